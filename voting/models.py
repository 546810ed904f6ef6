"""Votes, tallies and the vote audit chain (ARCHITECTURE.md §3, docs/VOTING.md)."""

import secrets

from django.conf import settings
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from consultations.models import Choice, Consultation, Item


def _new_salt() -> str:
    return secrets.token_hex(16)


class Ballot(models.Model):
    """One organization's ballot paper in one consultation.

    Its row is locked (select_for_update) by every vote of the organization in the
    consultation, which serializes them: that is what keeps the approval limit
    exact under concurrency. The secret salt derives the pseudonyms the public log
    uses instead of the organization and the person (docs/VOTING.md).
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="ballots")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ballots")
    salt = models.CharField(max_length=32, default=_new_salt, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "consultation"], name="ballot_one_per_organization"
            )
        ]

    def __str__(self):
        return f"ballot of {self.organization_id} in {self.consultation_id}"


class Vote(models.Model):
    """The organization's current choice on an item: at most one row per (organization, item)."""

    # No single-column indexes: vote_one_per_item leads with the organization and the
    # (item, choice) index with the item. Every index costs a write on every vote.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="votes", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="votes", db_index=False)
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    receipt = models.CharField(_("receipt"), max_length=64, blank=True)

    class Meta:
        ordering = ["item", "organization"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["organization", "item"], name="vote_one_per_item"),
            models.CheckConstraint(
                condition=models.Q(choice__in=Choice.values), name="vote_known_choice"
            ),
        ]
        indexes = [models.Index(fields=["item", "choice"])]

    def __str__(self):
        return f"{self.organization_id} → {self.item_id}: {self.choice}"


class TallyQuerySet(models.QuerySet):
    def move(self, item_id: int, *, add: str | None, remove: str | None) -> "Tally | None":
        """Count one more `add` and one fewer `remove` on the item and return the tally as
        that left it, in one statement; None when the item has no tally row yet.

        The vote path's one statement written by hand (docs/DECISIONS.md): an UPDATE of
        the counters with RETURNING. The ORM's `update()` answers only how many rows
        changed, so reading the counts back would be a second statement on every vote.
        The row stays locked until the transaction ends. Names come from the model.
        """
        connection = connections[self.db]
        quote, meta = connection.ops.quote_name, self.model._meta
        now = timezone.now()
        assignments = [f"{quote(meta.get_field('updated_at').column)} = %s"]
        for choice, sign in ((add, "+"), (remove, "-")):
            if choice:
                column = quote(meta.get_field(self.model.COLUMNS[choice]).column)
                assignments.append(f"{column} = {column} {sign} 1")
        counters = list(self.model.COLUMNS.values())
        returning = ", ".join(quote(meta.get_field(name).column) for name in counters)
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)}"  # noqa: S608 - names from _meta
            f" WHERE {quote(meta.pk.column)} = %s RETURNING {returning}"
        )
        updated_at = meta.get_field("updated_at").get_db_prep_value(now, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [updated_at, item_id])
            row = cursor.fetchone()
        if row is None:
            return None
        return self.model(item_id=item_id, updated_at=now, **dict(zip(counters, row, strict=True)))


class Tally(models.Model):
    """Running counts of one item, kept in the vote's transaction with F() updates.

    One column per choice, so reading an item's tally is one primary-key row.
    `check_tallies` recounts them from the votes.
    """

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True)
    for_count = models.PositiveIntegerField(default=0)
    against_count = models.PositiveIntegerField(default=0)
    abstain_count = models.PositiveIntegerField(default=0)
    approve_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    # The counter field of each choice: "<choice>_count" (a test checks every one exists).
    COLUMNS = {choice: f"{choice.value}_count" for choice in Choice}

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self):
        return f"tally of item {self.item_id}"

    def count(self, choice: str) -> int:
        return getattr(self, self.COLUMNS[choice])


class VoteChain(models.Model):
    """The head of a consultation's audit chain; its row lock serializes appends."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, primary_key=True, related_name="vote_chain"
    )
    length = models.PositiveIntegerField(default=0)
    head = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("vote chain")
        verbose_name_plural = _("vote chains")

    def __str__(self):
        return f"chain of {self.consultation_id}: {self.length} records"


class VoteRecord(models.Model):
    """One append-only link of the audit chain: who (as a pseudonym) did what, when.

    hash = SHA-256 over the canonical JSON of the public fields and prev_hash
    (voting/chain.py). Never updated or deleted by the application.
    """

    class Action(models.TextChoices):
        CAST = "cast", _("Cast")
        CHANGE = "change", _("Changed")
        WITHDRAW = "withdraw", _("Withdrawn")

    # As on Vote: the composite indexes below lead with the consultation and the
    # organization, so those foreign keys need no index of their own.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="vote_records", db_index=False
    )
    seq = models.PositiveIntegerField()
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="vote_records")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voter = models.CharField(max_length=32, help_text="Public pseudonym of the organization.")
    actor_token = models.CharField(max_length=32, help_text="Public pseudonym of the person.")
    choice = models.CharField(max_length=10, blank=True, help_text="Empty for a withdrawal.")
    action = models.CharField(max_length=10, choices=Action.choices)
    nonce = models.CharField(max_length=32)
    recorded_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # unique: a constraint (no LIKE index beside it)

    class Meta:
        ordering = ["consultation", "seq"]
        verbose_name = _("vote record")
        verbose_name_plural = _("vote records")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "seq"], name="voterecord_unique_seq"),
            models.UniqueConstraint(fields=["hash"], name="voterecord_unique_hash"),
        ]
        indexes = [models.Index(fields=["organization", "recorded_at"])]

    def __str__(self):
        return f"{self.consultation_id}#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("vote records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("vote records are append-only")
