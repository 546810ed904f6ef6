"""Votes, tallies and the vote audit chain (ARCHITECTURE.md §3, docs/VOTING.md)."""

import functools
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

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self):
        return f"tally of item {self.item_id}"

    def count(self, choice: str) -> int:
        return getattr(self, self.COLUMNS[choice])


class VoteChain(models.Model):
    """The head of a consultation's audit chain; its row lock serializes appends.

    `closed_at` is written by the consultation's close while it holds that lock: a vote
    that waited for the lock meets the row as the close left it (PostgreSQL re-reads a
    row it waited for and checks the query's conditions again) and finds no open head.
    """

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, primary_key=True, related_name="vote_chain"
    )
    length = models.PositiveIntegerField(default=0)
    head = models.CharField(max_length=64, default="0" * 64)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote chain")
        verbose_name_plural = _("vote chains")

    def __str__(self):
        return f"chain of {self.consultation_id}: {self.length} records"


class VoteRecordQuerySet(models.QuerySet):
    def append(self, record, *, head, vote, add: str | None, remove: str | None):
        """Write a vote's change in one statement: insert `record`, point the chain `head`
        at it, write `vote` (delete it for a withdrawal) and move the item's counts by one
        `add` and one fewer `remove`. Returns the item's Tally as that left it, made first
        if the item had none (the item's first vote).

        The vote path's one statement written by hand (docs/DECISIONS.md "Vote path"): the
        ORM would take four statements and compile each (0.3–1 ms of Python apiece). On
        PostgreSQL the four are data-modifying CTEs of one statement, which run in no
        given order and see one snapshot; that is safe here because none reads another's
        rows and every row but the tally's is already locked by the caller (the vote and
        the chain head, `select_for_update()`), so the tally's is the only lock taken and
        the lock order stays the caller's. On SQLite (no writes in WITH) the same four
        statements run one after the other. Names, and each value's database form, come
        from the models' `_meta`.
        """
        connection = connections[self.db]
        sql = _append_sql(connection.alias, record.action, add, remove)
        now = timezone.now()
        if record.action == VoteRecord.Action.WITHDRAW:
            vote_params = [vote.pk]
        else:
            vote_fields = (Vote._meta.get_field(name) for name in VOTE_WRITE)
            vote_params = [*(_db(vote, field, connection) for field in vote_fields), vote.pk]
        params = (
            [_db(record, field, connection) for field in _inserted(VoteRecord)],
            [head.length, head.head, head.pk],
            vote_params,
            [Tally._meta.get_field("updated_at").get_db_prep_save(now, connection), record.item_id],
        )
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(sql["together"], [value for part in params for value in part])
                record.pk, *counts = cursor.fetchone()
            else:
                rows = []
                for statement, part in zip(sql["apart"], params, strict=True):
                    cursor.execute(statement, part)
                    rows.append(cursor.fetchone() if "RETURNING" in statement else None)
                record.pk, counts = rows[0][0], rows[-1] or [None]
            if counts[0] is None:  # the item's first vote: its tally row is made now
                Tally.objects.using(self.db).bulk_create(
                    [Tally(item_id=record.item_id)], ignore_conflicts=True
                )
                cursor.execute(sql["apart"][-1], params[-1])
                counts = cursor.fetchone()
        record._state.adding, record._state.db = False, self.db
        counters = dict(zip(Tally.COLUMNS.values(), counts, strict=True))
        return Tally(item_id=record.item_id, updated_at=now, **counters)


# The vote's fields a cast or change writes (VoteRecordQuerySet.append).
VOTE_WRITE = ("choice", "cast_by", "cast_at", "updated_at", "receipt")


def _db(instance, field, connection):
    return field.get_db_prep_save(getattr(instance, field.attname), connection)


def _inserted(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@functools.cache
def _append_sql(alias: str, action: str, add: str | None, remove: str | None) -> dict:
    """The statement of `VoteRecordQuerySet.append`, built once per shape: its four parts
    (`apart`) and, for PostgreSQL, the parts as CTEs of one statement (`together`)."""
    connection = connections[alias]
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    inserted = _inserted(VoteRecord)
    record_pk = quote(VoteRecord._meta.pk.column)
    record = (
        f"INSERT INTO {table(VoteRecord)} ({', '.join(quote(f.column) for f in inserted)})"  # noqa: S608 - names from _meta
        f" VALUES ({', '.join(['%s'] * len(inserted))}) RETURNING {record_pk}"
    )
    head = (
        f"UPDATE {table(VoteChain)} SET {column(VoteChain, 'length')} = %s,"  # noqa: S608 - names from _meta
        f" {column(VoteChain, 'head')} = %s WHERE {quote(VoteChain._meta.pk.column)} = %s"
    )
    vote_pk = quote(Vote._meta.pk.column)
    if action == VoteRecord.Action.WITHDRAW:
        vote = f"DELETE FROM {table(Vote)} WHERE {vote_pk} = %s"  # noqa: S608 - names from _meta
    else:
        assignments = ", ".join(f"{column(Vote, name)} = %s" for name in VOTE_WRITE)
        vote = f"UPDATE {table(Vote)} SET {assignments} WHERE {vote_pk} = %s"  # noqa: S608 - names from _meta
    moves = [f"{column(Tally, 'updated_at')} = %s"]
    for choice, sign in ((add, "+"), (remove, "-")):
        if choice:
            counter = column(Tally, Tally.COLUMNS[choice])
            moves.append(f"{counter} = {counter} {sign} 1")
    counters = [column(Tally, name) for name in Tally.COLUMNS.values()]
    tally = (
        f"UPDATE {table(Tally)} SET {', '.join(moves)}"  # noqa: S608 - names from _meta
        f" WHERE {quote(Tally._meta.pk.column)} = %s RETURNING {', '.join(counters)}"
    )
    together = (
        f"WITH r AS ({record}), h AS ({head}), v AS ({vote}), t AS ({tally})"  # noqa: S608 - names from _meta
        f" SELECT r.{record_pk}, {', '.join(f't.{name}' for name in counters)}"
        " FROM r LEFT JOIN t ON TRUE"
    )
    return {"apart": (record, head, vote, tally), "together": together}


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

    objects = VoteRecordQuerySet.as_manager()

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
