"""Factories for every model; tests build exactly the world they talk about."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Agency, Membership, Organization
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
