"""Factories for every model; tests build exactly the world they talk about."""

import datetime

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from knox.models import AuthToken

from accounts import names
from accounts.models import (
    Agency,
    Consent,
    Invitation,
    Membership,
    Organization,
    OrganizationChange,
    PrivacyChoice,
)
from aspirations import models as aspiration_models
from comments import models as comment_models
from comments.models import Comment, CommentEdit, CommentReport, ModerationAction, Response
from consultations.models import Consultation, DraftVersion, Item, Section
from hearings.models import AgendaItem, Attendance, Hearing, ManualCount, SpeakerRequest

PASSWORD = "rahasia-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.id")
    first_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()

    @factory.post_generation
    def privacy(self, create, extracted, **kwargs):
        """Test accounts agreed to the privacy notice in force, as a sign-up does (else every
        page would lead to its accept page); `privacy__show_name=True` shows the name."""
        if not create:
            return
        fields = {"notice_version": settings.PRIVACY_NOTICE_VERSION}
        if "show_name" in kwargs:
            fields["show_name"] = bool(kwargs["show_name"])
        PrivacyChoice.objects.filter(user=self).update(**fields)
        self.privacy = PrivacyChoice.objects.get(user=self)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Dinas {n}")
    acronym = factory.Sequence(lambda n: f"D{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Lembaga Swadaya {n}")
    acronym = factory.Sequence(lambda n: f"LS{n}")
    registration_number = factory.Sequence(lambda n: f"SKT-{n:04d}/BKBP/2024")
    registration_issued_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=365)
    )
    registration_expires_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=4 * 365)
    )
    status = Organization.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)
    name_key = factory.LazyAttribute(lambda o: names.skeleton(o.name))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A test that wants two names reading alike (hostile payloads) gets the second one
        # without a key, as an organization from before the rule would be.
        if kwargs.get("name_key") and model_class.objects.filter(name_key=kwargs["name_key"]):
            kwargs["name_key"] = None
        return super()._create(model_class, *args, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Rancangan Peraturan Wali Kota {n}")
    kind = Consultation.Kind.POLICY_DRAFT
    summary = "Ringkasan rancangan untuk konsultasi publik."
    agency = factory.SubFactory(AgencyFactory)
    status = Consultation.Status.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    published_at = factory.LazyAttribute(
        lambda c: None if c.status == Consultation.Status.DRAFT else c.opens_at
    )

    @factory.post_generation
    def version(self, create, extracted, **kwargs):
        if not create:
            return
        DraftVersion.objects.create(
            consultation=self,
            number=1,
            published_at=None if self.status == Consultation.Status.DRAFT else self.opens_at,
        )


class DraftVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DraftVersion

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 2)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    version = factory.LazyAttribute(lambda s: s.consultation.versions.order_by("-number").first())
    number = factory.Sequence(lambda n: f"Pasal {n + 1}")
    heading = factory.Sequence(lambda n: f"Ketentuan {n + 1}")
    body = "Setiap warga berhak menyampaikan pendapat secara lisan maupun tertulis."
    position = factory.Sequence(lambda n: n + 1)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Program Prioritas {n + 1}")
    code = factory.Sequence(lambda n: f"1.02.{n + 1:02d}")
    programme_path = "Misi 2 › Sasaran 2.1"
    indicators = factory.LazyFunction(lambda: ["Cakupan layanan (%)"])
    budget_ceiling = "1500000000.00"
    position = factory.Sequence(lambda n: n + 1)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory(UserFactory)
    organization = None
    stance = Comment.Stance.SUPPORT
    body = factory.Sequence(lambda n: f"Usulan nomor {n}: mohon diperjelas ketentuan ini.")
    status = Comment.Status.PUBLISHED


class CommentEditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentEdit

    comment = factory.SubFactory(CommentFactory)
    body = "Teks sebelum diubah."


class CommentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentReport

    comment = factory.SubFactory(CommentFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = "Mengandung ujaran kebencian."


class ModerationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModerationAction

    comment = factory.SubFactory(CommentFactory)
    actor = factory.SubFactory(UserFactory)
    action = ModerationAction.Action.HIDE
    reason = "Tidak relevan."


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    comment = factory.SubFactory(CommentFactory)
    consultation = factory.LazyAttribute(lambda r: r.comment.consultation)
    outcome = Response.Outcome.ACCEPTED
    body = "Usulan diterima dan dimasukkan ke rancangan berikutnya."
    responder = factory.SubFactory(UserFactory)


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Forum Konsultasi Publik {n + 1}")
    starts_at = factory.LazyFunction(timezone.now)
    location = "Gedung Gradika, Kota Pasuruan"
    display_key = factory.Sequence(lambda n: f"display-key-{n:06d}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    hearing = factory.SubFactory(HearingFactory)
    title = factory.Sequence(lambda n: f"Agenda {n + 1}")
    position = factory.Sequence(lambda n: n + 1)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    hearing = factory.SubFactory(HearingFactory)
    organization = factory.SubFactory(OrganizationFactory)
    method = Attendance.Method.OFFICER


class SpeakerRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpeakerRequest

    hearing = factory.SubFactory(HearingFactory)
    organization = factory.SubFactory(OrganizationFactory)
    requested_by = factory.SubFactory(UserFactory)
    position = factory.Sequence(lambda n: n + 1)


class ManualCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManualCount

    hearing = factory.SubFactory(HearingFactory)
    item = factory.SubFactory(ItemFactory)
    method = ManualCount.Method.HANDS
    counts = factory.LazyFunction(lambda: {"for": 12, "against": 3, "abstain": 1})


class TrustedFlaggerFactory(factory.django.DjangoModelFactory):
    """A user a moderator named; pass `user=None, organization=…` for a whole organization."""

    class Meta:
        model = comment_models.TrustedFlagger

    user = factory.SubFactory(UserFactory)
    organization = None
    reason = "Pelapor yang laporannya selalu tepat."


# --- aspirations ------------------------------------------------------------------------------


class KecamatanFactory(factory.django.DjangoModelFactory):
    """The four of Kota Pasuruan exist already (data migration): this finds them by name."""

    class Meta:
        model = aspiration_models.Kecamatan
        django_get_or_create = ("name",)

    name = "Panggungrejo"


class KelurahanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.Kelurahan
        django_get_or_create = ("kecamatan", "name")

    kecamatan = factory.SubFactory(KecamatanFactory)
    name = "Panggungrejo"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.Category
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Bidang {n + 1}")
    position = factory.Sequence(lambda n: n + 1)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.Criterion
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Kriteria {n + 1}")
    position = factory.Sequence(lambda n: n + 1)


class AspirationFactory(factory.django.DjangoModelFactory):
    """A proposal as submitted (status "submitted" at the kelurahan stage), with version 1."""

    class Meta:
        model = aspiration_models.Aspiration
        skip_postgeneration_save = True

    consultation = factory.SubFactory(
        ConsultationFactory, kind=Consultation.Kind.RPJMD, title="Rancangan Awal RPJMD"
    )
    author = factory.SubFactory(UserFactory)
    organization = None
    title = factory.Sequence(lambda n: f"Perbaikan saluran drainase RW {n % 12 + 1:02d}")
    description = "Saluran tersumbat dan meluap setiap hujan deras; perlu dinormalisasi."
    category = factory.SubFactory(CategoryFactory, name="Pekerjaan Umum")
    kelurahan = factory.SubFactory(KelurahanFactory)
    kecamatan = factory.LazyAttribute(lambda a: a.kelurahan.kecamatan)
    rw = "03"
    estimated_cost = "150000000.00"
    beneficiaries = 450

    @factory.post_generation
    def first_version(self, create, extracted, **kwargs):
        if not create:
            return
        aspiration_models.AspirationVersion.objects.create(
            aspiration=self,
            number=1,
            title=self.title,
            description=self.description,
            category=self.category,
            kelurahan=self.kelurahan,
            rw=self.rw,
            estimated_cost=self.estimated_cost,
            beneficiaries=self.beneficiaries,
            created_by=self.author,
            created_at=self.created_at,
        )


class AspirationVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.AspirationVersion

    aspiration = factory.SubFactory(AspirationFactory)
    number = factory.Sequence(lambda n: n + 2)
    title = "Perbaikan saluran drainase (revisi)"
    description = "Termasuk penggantian tutup saluran."
    category = factory.LazyAttribute(lambda v: v.aspiration.category)
    kelurahan = factory.LazyAttribute(lambda v: v.aspiration.kelurahan)
    estimated_cost = "175000000.00"
    beneficiaries = 450
    created_by = factory.LazyAttribute(lambda v: v.aspiration.author)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.Attachment

    aspiration = factory.SubFactory(AspirationFactory)
    name = "saluran.pdf"
    content_type = aspiration_models.Attachment.Kind.PDF
    data = b"%PDF-1.4\n% contoh\n"
    size = factory.LazyAttribute(lambda a: len(a.data))
    sha256 = "0" * 64
    uploaded_by = factory.LazyAttribute(lambda a: a.aspiration.author)


class SupportFactory(factory.django.DjangoModelFactory):
    """An organization's support (pass `organization=None, citizen=user` for a citizen's)."""

    class Meta:
        model = aspiration_models.Support

    aspiration = factory.SubFactory(AspirationFactory)
    organization = factory.SubFactory(OrganizationFactory)
    citizen = None
    cast_by = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.Decision

    aspiration = factory.SubFactory(AspirationFactory)
    stage = aspiration_models.Stage.KELURAHAN
    outcome = aspiration_models.Decision.Outcome.FORWARDED
    reason = "Usulan prioritas kelurahan."
    decided_by = factory.SubFactory(UserFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = aspiration_models.Score

    aspiration = factory.SubFactory(AspirationFactory)
    criterion = factory.SubFactory(CriterionFactory)
    stage = aspiration_models.Stage.KELURAHAN
    value = 4
    scored_by = factory.SubFactory(UserFactory)


class ForumProposalFactory(factory.django.DjangoModelFactory):
    """A proposal on a forum hearing's agenda (its own agenda item), at the proposal's stage."""

    class Meta:
        model = aspiration_models.ForumProposal

    aspiration = factory.SubFactory(AspirationFactory)
    hearing = factory.SubFactory(
        HearingFactory, consultation=factory.SelfAttribute("..aspiration.consultation")
    )
    agenda_item = factory.SubFactory(
        AgendaItemFactory,
        hearing=factory.SelfAttribute("..hearing"),
        title=factory.LazyAttribute(lambda a: f"Usulan #{a.factory_parent.aspiration.pk}"),
    )
    stage = factory.LazyAttribute(lambda link: link.aspiration.stage)


class OfficialScopeFactory(factory.django.DjangoModelFactory):
    """A kelurahan official by default; the user is in the officials group."""

    class Meta:
        model = aspiration_models.OfficialScope

    user = factory.SubFactory(UserFactory, groups=["officials"])
    stage = aspiration_models.Stage.KELURAHAN
    kelurahan = factory.SubFactory(KelurahanFactory)
    kecamatan = None


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    username = factory.LazyAttribute(lambda i: i.user.username if i.user else "tidak-ada")
    role = Membership.Role.MEMBER


class OrganizationChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationChange

    organization = factory.SubFactory(OrganizationFactory)
    kind = OrganizationChange.Kind.INVITED
    subject_username = factory.Sequence(lambda n: f"calon{n}")
    role = Membership.Role.MEMBER


def api_token(user) -> str:
    """A new API token's key for `user` (knox keeps only its hash)."""
    return AuthToken.objects.create(user=user)[1]


# --- analysis (themes, duplicate groups) -----------------------------------------------------


class AnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Analysis"
        # A comment's save already made the consultation's row (stale); take that one.
        django_get_or_create = ("consultation",)

    consultation = factory.SubFactory(ConsultationFactory)
    status = "ready"
    computed_at = factory.LazyFunction(timezone.now)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Theme"

    analysis = factory.SubFactory(AnalysisFactory)
    position = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Lampu jalan, PJU {n}")
    terms = factory.LazyFunction(lambda: ["lampu jalan", "PJU", "gelap"])


class DuplicateGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.DuplicateGroup"

    analysis = factory.SubFactory(AnalysisFactory)
    position = factory.Sequence(lambda n: n)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "analysis.Placement"

    theme = factory.SubFactory(ThemeFactory)
    analysis = factory.LazyAttribute(lambda p: p.theme.analysis)
    comment = factory.LazyAttribute(
        lambda p: CommentFactory(consultation=p.theme.analysis.consultation)
    )


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A follow-up on an accepted, published response (the common case)."""

    class Meta:
        model = "followups.FollowUp"

    response = factory.SubFactory(ResponseFactory, published_at=factory.LazyFunction(timezone.now))
    consultation = factory.LazyAttribute(lambda f: f.response.consultation)
    status = "in_progress"
    progress = 40
    note = "Saluran drainase sedang dinormalisasi; pekerjaan fisik tahap pertama berjalan."
    recorded_by = factory.SubFactory(UserFactory, groups=["officials"])


class QuestionCommentFactory(CommentFactory):
    """A question asked in a live hearing's room (a comment with stance `question`)."""

    hearing = factory.SubFactory(
        HearingFactory, status="live", consultation=factory.SelfAttribute("..consultation")
    )
    stance = Comment.Stance.QUESTION


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.Question"

    comment = factory.SubFactory(QuestionCommentFactory)


class QuestionUpvoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.QuestionUpvote"

    comment = factory.SubFactory(QuestionCommentFactory)
    user = factory.SubFactory(UserFactory)


# --- hearings: undangan ------------------------------------------------------------------------


class HearingInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.HearingInvitation"

    hearing = factory.SubFactory(HearingFactory)
    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"005/{n + 1}/BAPPEDA/2026")
    sent_by = factory.SubFactory(UserFactory)


# --- privacy (UU PDP): consents, erasure audit -------------------------------------------------


class PrivacyChoiceFactory(factory.django.DjangoModelFactory):
    """Every account gets its row on creation; this one fetches and updates it."""

    class Meta:
        model = PrivacyChoice
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    pseudonym = factory.LazyAttribute(lambda c: names.pseudonym(c.user.pk))


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    kind = Consent.Kind.PRIVACY_NOTICE
    version = factory.LazyFunction(lambda: settings.PRIVACY_NOTICE_VERSION)


class ErasureLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.ErasureLog"

    pseudonym = factory.Sequence(lambda n: f"Warga-{n:06X}")
    comments_kept = 2


# --- notifications -----------------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Notification"

    user = factory.SubFactory(UserFactory)
    kind = "comment_rejected"
    title = "Komentar Anda pada “Ranperwal Ruang Terbuka Hijau” ditolak."
    url = "/komentar/saya/"
    data = factory.LazyFunction(
        lambda: {
            "consultation_title": "Ranperwal Ruang Terbuka Hijau",
            "reason": "Di luar pokok bahasan.",
        }
    )


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.NotificationPreference"

    user = factory.SubFactory(UserFactory)
    kind = "comment_rejected"
    channel = "in_app"


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.NotificationSettings"
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    language = "id"


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.OutgoingEmail"

    user = factory.SubFactory(UserFactory)
    kind = "comment_rejected"
    to = factory.LazyAttribute(lambda e: e.user.email)
    subject = "[Ruang Dialog] Komentar Anda ditolak."
    body_text = "Komentar Anda ditolak."


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Reminder"

    key = factory.Sequence(lambda n: f"voting_closing:{n}:1")
