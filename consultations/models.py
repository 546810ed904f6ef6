from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency


class Choice(models.TextChoices):
    """What an organization may answer on an item; which of them depends on the voting method."""

    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")
    APPROVE = "approve", _("Approve")


class ConsultationQuerySet(models.QuerySet):
    def open_now(self):
        """`Consultation.is_open` as a query, on the database's clock: what a vote checks
        inside its transaction, after the lock it shares with the close."""
        return self.filter(
            models.Q(status=Consultation.Status.OPEN)
            | models.Q(status=Consultation.Status.SCHEDULED, opens_at__lte=Now())
        ).filter(models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=Now()))


class Consultation(models.Model):
    """A draft policy or RPJMD programme set put to the public for comments and votes."""

    class Kind(models.TextChoices):
        POLICY_DRAFT = "policy_draft", _("Draft policy")
        RPJMD = "rpjmd", _("RPJMD")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CONCLUDED = "concluded", _("Concluded")

    class Audience(models.TextChoices):
        LSM = "lsm", _("Registered organizations")
        PUBLIC = "public", _("Public")

    class Moderation(models.TextChoices):
        POST = "post", _("Post-moderation")
        PRE = "pre", _("Pre-moderation")

    class Ballot(models.TextChoices):
        OPEN = "open", _("Open ballot")
        SECRET = "secret", _("Secret ballot")

    class VotingMethod(models.TextChoices):
        STANCE = "stance", _("Stance (for / against / abstain)")
        APPROVAL = "approval", _("Approval (choose up to N items)")

    class DataLicense(models.TextChoices):
        """The licence its open data is published under (reports/opendata.py), SPDX ids."""

        CC_BY_4_0 = "CC-BY-4.0", "Creative Commons Attribution 4.0"
        CC_BY_SA_4_0 = "CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0"
        CC0_1_0 = "CC0-1.0", "Creative Commons Zero 1.0 (public domain)"
        ODBL_1_0 = "ODbL-1.0", "Open Data Commons Open Database License 1.0"

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("agency"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.LSM
    )
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.POST
    )
    ballot = models.CharField(_("ballot"), max_length=10, choices=Ballot.choices, default="open")
    voting_method = models.CharField(
        _("voting method"),
        max_length=10,
        choices=VotingMethod.choices,
        default=VotingMethod.STANCE,
    )
    max_choices = models.PositiveSmallIntegerField(_("maximum choices"), default=1)
    data_license = models.CharField(
        _("open data licence"),
        max_length=20,
        choices=DataLicense.choices,
        default=DataLicense.CC_BY_4_0,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Who ended it early and why; empty when the clock closed it at `closes_at`.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.TextField(_("reason for closing early"), blank=True, max_length=2000)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["status", "opens_at"])]

    def __str__(self):
        return self.title

    def vote_choices(self) -> tuple[str, ...]:
        """The choices this consultation's voting method accepts, in the order pages and
        tallies show them: the one home of this rule (votes, live windows, manual counts)."""
        if self.voting_method == self.VotingMethod.APPROVAL:
            return (Choice.APPROVE.value,)
        return (Choice.FOR.value, Choice.AGAINST.value, Choice.ABSTAIN.value)

    @property
    def stream(self) -> str:
        return f"consultation:{self.pk}"

    @property
    def is_open(self) -> bool:
        """Comments and votes are accepted: published, not closed, the opening time has come
        and the closing time has not passed (the clock job that moves the status may still
        be on its way). The one home of "is it still open?" for comments, votes, hearings
        and secret-ballot tallies; `Consultation.objects.open_now()` is the same rule on the
        database's clock."""
        now = timezone.now()
        if self.status == self.Status.SCHEDULED:
            if self.opens_at is None or self.opens_at > now:
                return False
        elif self.status != self.Status.OPEN:
            return False
        return self.closes_at is None or self.closes_at > now

    @property
    def has_closed(self) -> bool:
        """Published and its closing time has passed, whether or not the job has closed it:
        nothing may reopen it (ARCHITECTURE.md §3)."""
        if self.status in (self.Status.CLOSED, self.Status.CONCLUDED):
            return True
        if self.status == self.Status.DRAFT:
            return False
        return self.closes_at is not None and self.closes_at <= timezone.now()

    @property
    def is_public(self) -> bool:
        """Visible to anyone: everything but drafts."""
        return self.status != self.Status.DRAFT


class DraftVersion(models.Model):
    """One version of the draft text; publishing a new one keeps the old one readable."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("change note"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="draftversion_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.consultation} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Section(models.Model):
    """An ordered part of one draft version (Bab/Pasal); comments attach here."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("position"), default=0)
    number = models.CharField(_("number"), max_length=40)
    heading = models.CharField(_("heading"), max_length=300)
    body = models.TextField(_("body"), max_length=50000)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The same section in the previous version, to show what changed.",
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="section_unique_number")
        ]

    def __str__(self):
        return f"{self.number} {self.heading}"


class Item(models.Model):
    """A votable unit: the whole draft, an article, or an RPJMD programme."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    code = models.CharField(_("code"), max_length=60, blank=True)
    programme_path = models.CharField(_("programme path"), max_length=300, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    budget_ceiling = models.DecimalField(
        _("budget ceiling (IDR)"), max_digits=18, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["consultation", "position", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return f"{self.code} {self.title}".strip()
