"""Aspirations (usulan): proposals from LSMs and citizens, their supports, the Musrenbang
stages kelurahan → kecamatan → kota, the decisions taken at each, and the link to the RPJMD
programme (Item) a proposal is accepted into. docs/ASPIRATIONS.md tells the story."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from consultations.models import Consultation, Item


class Kecamatan(models.Model):
    """A district of the city; the data migration loads Kota Pasuruan's four."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class Kelurahan(models.Model):
    """An urban village inside one kecamatan (34 in Kota Pasuruan)."""

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "name"], name="kelurahan_unique_name")
        ]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    """The Musrenbang levels a proposal climbs, in order."""

    KELURAHAN = "kelurahan", _("Kelurahan")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KOTA = "kota", _("City (OPD forum / Bappeda)")


STAGE_ORDER = (Stage.KELURAHAN.value, Stage.KECAMATAN.value, Stage.KOTA.value)


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


def stages_from(stage: str) -> tuple[str, ...]:
    """The stages a proposal has reached if it now stands at any of these."""
    return STAGE_ORDER[STAGE_ORDER.index(stage) :]


class Category(models.Model):
    """Urusan/bidang: the list officials keep; a proposal names one."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered for new proposals"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """A scoring criterion the city sets (urgency, reach, fit with the RPJMD missions …);
    the forum scores each proposal 1–5 on it."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self):
        return self.name


class Aspiration(models.Model):
    """A proposal (usulan/aspirasi) for the plan a consultation is drafting."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        FORWARDED = "forwarded", _("Forwarded")
        DEFERRED = "deferred", _("Deferred")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged")
        REJECTED = "rejected", _("Rejected")

    # Waiting for (another) decision at its stage; the others are final.
    OPEN_STATUSES = (Status.SUBMITTED.value, Status.FORWARDED.value, Status.DEFERRED.value)

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("consultation"),
        db_index=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("author"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("on behalf of"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("category"),
        db_index=False,
    )
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("kecamatan"),
        db_index=False,
    )
    kelurahan = models.ForeignKey(
        Kelurahan,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("kelurahan"),
        db_index=False,
    )
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    estimated_cost = models.DecimalField(_("estimated cost (IDR)"), max_digits=15, decimal_places=2)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (people)"))
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.KELURAHAN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # Kept with the support rows in the same transaction (supports.aspiration_support).
    support_organizations = models.PositiveIntegerField(_("supporting organizations"), default=0)
    support_citizens = models.PositiveIntegerField(_("supporting citizens"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    item = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("RPJMD programme"),
    )
    pagu = models.DecimalField(
        _("pagu (IDR)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    first_decision_at = models.DateTimeField(_("first decision at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("aspiration")
        verbose_name_plural = _("aspirations")
        # The public list pages by id (newest first); each filter's index ends in id, so
        # a page deep in the cursor is an index range scan, as cheap as the first.
        indexes = [
            models.Index(fields=["consultation", "id"]),
            models.Index(fields=["kecamatan", "id"]),
            models.Index(fields=["kelurahan", "id"]),
            models.Index(fields=["category", "id"]),
            models.Index(fields=["stage", "status", "id"]),
            models.Index(fields=["status", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0), name="aspiration_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(pagu__isnull=True) | Q(pagu__gte=0),
                name="aspiration_pagu_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="aspiration_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_decided(self) -> bool:
        """Once any official decided on it, nobody edits it (not even officials)."""
        return self.first_decision_at is not None

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)


class AspirationVersion(models.Model):
    """The proposal's text as it stood in each version; the current one is repeated here,
    so every version reads the same way."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    estimated_cost = models.DecimalField(_("estimated cost (IDR)"), max_digits=15, decimal_places=2)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries (people)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["aspiration", "number"]
        verbose_name = _("aspiration version")
        verbose_name_plural = _("aspiration versions")
        constraints = [
            models.UniqueConstraint(
                fields=["aspiration", "number"], name="aspirationversion_unique_number"
            )
        ]

    def __str__(self):
        return f"#{self.aspiration_id} v{self.number}"


class Attachment(models.Model):
    """A photo or PDF (≤ 5 MB) kept in the database with its proposal, so a proposal and its
    files are written, rolled back and backed up together. Served only as a download.

    A file belongs to the versions from `added_in_version` up to (not including)
    `removed_in_version`: an old version still lists the files it had.
    """

    class Kind(models.TextChoices):
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"
        PDF = "application/pdf", "PDF"

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    added_in_version = models.PositiveIntegerField(default=1)
    removed_in_version = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["aspiration", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type != self.Kind.PDF


class Support(models.Model):
    """Dukungan: one per organization (cast by its representative) and one per citizen,
    counted apart; the unique constraints keep the counts exact under concurrency.

    A row with `via` came over from a proposal merged into this one; a supporter who
    backed both counts once.
    """

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="supports")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="aspiration_supports",
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    via = models.ForeignKey(
        Aspiration, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["aspiration", "created_at", "id"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        indexes = [models.Index(fields=["organization", "aspiration"])]
        constraints = [
            models.UniqueConstraint(
                fields=["aspiration", "organization"],
                condition=Q(organization__isnull=False),
                name="support_one_per_organization",
            ),
            models.UniqueConstraint(
                fields=["aspiration", "citizen"],
                condition=Q(citizen__isnull=False),
                name="support_one_per_citizen",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=True, citizen__isnull=False)
                | Q(organization__isnull=False, citizen__isnull=True),
                name="support_organization_or_citizen",
            ),
        ]

    def __str__(self):
        return f"support #{self.aspiration_id}"


class Decision(models.Model):
    """One official's decision at one stage, dated and signed; the proposal's timeline.

    The ranking and the counts the proposal had when the decision was taken are kept with
    it, as the forum saw them.
    """

    class Outcome(models.TextChoices):
        FORWARDED = "forwarded", _("Forwarded to the next stage")
        ACCEPTED = "accepted", _("Accepted into the plan")
        MERGED = "merged", _("Merged into another proposal")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    merged_into = models.ForeignKey(
        Aspiration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pagu = models.DecimalField(
        _("pagu (IDR)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    ranked_among = models.PositiveIntegerField(null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    support_organizations = models.PositiveIntegerField(default=0)
    support_citizens = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["aspiration", "decided_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"#{self.aspiration_id} {self.stage}: {self.outcome}"


class Score(models.Model):
    """The forum's score (1–5) of a proposal on one criterion, at one stage."""

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    value = models.PositiveSmallIntegerField(_("score"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["aspiration", "stage", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["aspiration", "criterion", "stage"], name="score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self):
        return f"#{self.aspiration_id} {self.criterion_id}@{self.stage}: {self.value}"


class OfficialScope(models.Model):
    """Which stage (and area) an official decides for: a kelurahan's official, a
    kecamatan's, or the city's (Bappeda / the OPD forum). Set by an administrator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="aspiration_scope",
        verbose_name=_("official"),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    kecamatan = models.ForeignKey(
        Kecamatan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kelurahan = models.ForeignKey(
        Kelurahan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["stage", "user__username"]
        verbose_name = _("stage official")
        verbose_name_plural = _("stage officials")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage="kelurahan", kelurahan__isnull=False, kecamatan__isnull=True)
                | Q(stage="kecamatan", kecamatan__isnull=False, kelurahan__isnull=True)
                | Q(stage="kota", kecamatan__isnull=True, kelurahan__isnull=True),
                name="officialscope_area_fits_stage",
            )
        ]

    def __str__(self):
        area = self.kelurahan or self.kecamatan
        return f"{self.user} · {self.get_stage_display()}{f' {area}' if area else ''}"


class ForumProposal(models.Model):
    """A proposal on a forum hearing's agenda (a Musrenbang forum held as a live hearing):
    its agenda item is the hearing's own, so the chair advances through proposals like any
    item, and the live pages show the proposal's supports and the forum's scores at `stage`
    (the stage it was put on the agenda at). Deleting the agenda item deletes the link."""

    agenda_item = models.OneToOneField(
        "hearings.AgendaItem", on_delete=models.CASCADE, related_name="forum_proposal"
    )
    hearing = models.ForeignKey(
        "hearings.Hearing", on_delete=models.CASCADE, related_name="forum_proposals"
    )
    aspiration = models.ForeignKey(
        Aspiration, on_delete=models.CASCADE, related_name="forum_agenda"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposal on a forum agenda")
        verbose_name_plural = _("proposals on forum agendas")
        ordering = ["hearing", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "aspiration"], name="forum_proposal_once_per_hearing"
            )
        ]

    def __str__(self):
        return f"#{self.aspiration_id} @ hearing {self.hearing_id}"
