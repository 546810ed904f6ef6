"""Load the Pasuruan demo (the "Demo data contract" every branch and the README rely on).

Every change goes through the apps' services, called in the order the real
lifecycle would call them, in one transaction: a failure leaves an empty
database. Running it again on a loaded database does nothing. The only rows
written without a service are the staff accounts (no service creates them: the
admin does, with Django's auth API, as here) and a few historical facts no
service can express: timestamps in the past (see `_conclude`, `_organizations`
and demo/comments.py), each marked where it is written.

The story of the concluded consultation is played forward: it is published,
commented on and its final text written while it is open (the services accept
text changes only then), then it is closed, answered and concluded, and only
then are its dates moved into the past.

Other modules add their own demo data (comments, votes, a hearing) by
appending a function `load(demo)` (or its dotted path) to DEMO_EXTENSIONS; each
runs in order, inside the same transaction, after the core data while the
consultations are still open, and receives the `Demo` object below (users,
organizations, agencies, consultations by key). DEMO_AFTER_CLOSE runs once the
concluded consultation is closed and before it is concluded (its responses).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts import memberships as accounts_memberships
from accounts import services as accounts_services
from accounts.models import Membership, Organization
from consultations import services
from consultations.models import Consultation
from demo.comments import ruang_settings
from demo.content import (
    CONCLUDED_SECTIONS,
    CONCLUDED_TITLE,
    DRAFT_SECTIONS,
    DRAFT_TITLE,
    ORGANIZATIONS,
    POLICY_SECTIONS,
    POLICY_SUMMARY,
    POLICY_TITLE,
    POLICY_V2_PASAL_3,
    RPJMD_ITEMS,
    RPJMD_SECTIONS,
    RPJMD_SUMMARY,
    RPJMD_TITLE,
    STAFF,
)

User = get_user_model()

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented in the README

# `load(demo)` functions (or dotted paths to them) from other modules: comments, votes,
# hearings. Each runs through that module's services. Keep one line per module.
DEMO_EXTENSIONS: list = [
    "demo.votes.load_demo_votes",
    "demo.hearings.load_demo_hearing",
    "demo.comments.load_demo_comments",  # before the concluded final text
    "demo.feedback.load",
    "demo.aspirations.load",
    "demo.analysis.load",  # written submissions, a campaign, then the analysis
]
# Run after the concluded consultation closed, before it is concluded.
DEMO_AFTER_CLOSE: list = [
    "demo.comments.respond_concluded",
    "demo.followups.load",  # after its responses: a follow-up on the accepted one
]


@dataclass
class Demo:
    """What the core demo created, for extensions to build on."""

    users: dict = field(default_factory=dict)  # username -> User
    agencies: dict = field(default_factory=dict)  # acronym -> Agency
    organizations: dict = field(default_factory=dict)  # acronym -> Organization
    # "policy", "rpjmd", "concluded", "draft" -> Consultation
    consultations: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)  # key in demo/comments.py -> Comment
    now: datetime.datetime = field(default_factory=timezone.now)

    def log(self, message: str) -> None:
        """Extensions may report what they added; the command prints it."""
        self.messages.append(message)

    messages: list = field(default_factory=list)


def demo_exists() -> bool:
    return User.objects.filter(username="admin").exists() or Consultation.objects.exists()


class Command(BaseCommand):
    help = "Load the Kota Pasuruan demo data (does nothing when data already exists)."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        # Every comment of the load (demo/comments.py, and the proposals aspirations turns
        # into comments) skips the per-user rate limit and its counters, so the server
        # that starts next holds none and the accounts' first comments are not refused
        # with 429. Nothing clears the cache instead: with REDIS_URL that would flush the
        # database the job queue and the other servers share.
        with (
            transaction.atomic(),
            ruang_settings(COMMENT_RATE_PER_MINUTE=None, COMMENT_RATE_PER_HOUR=None),
        ):
            demo = load()
        for message in demo.messages:
            self.stdout.write(message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(demo.users)} accounts (password {DEMO_PASSWORD}), "
                f"{len(demo.organizations)} organizations, "
                f"{len(demo.consultations)} consultations."
            )
        )


def load() -> Demo:
    demo = Demo()
    _users(demo)
    _agencies(demo)
    _organizations(demo)
    _policy_draft(demo)
    _rpjmd(demo)
    _concluded(demo)
    _draft(demo)
    _run(DEMO_EXTENSIONS, demo)
    services.consultation_close(
        actor=demo.users["bappeda"],
        consultation=_concluded_now(demo),
        reason="Masa konsultasi berakhir.",  # `_conclude` makes it the clock's close
    )
    _run(DEMO_AFTER_CLOSE, demo)
    _conclude(demo)
    _privacy_notice_agreed()
    return demo


def _privacy_notice_agreed() -> None:
    """Every demo account agreed to the privacy notice in force, as a sign-up does (staff
    accept theirs the same way); names stay hidden behind pseudonyms unless chosen."""
    for user in User.objects.filter(is_active=True).order_by("pk"):
        accounts_services.privacy_notice_accept(actor=user, version=settings.PRIVACY_NOTICE_VERSION)


def _run(extensions, demo: Demo) -> None:
    for extension in extensions:
        (import_string(extension) if isinstance(extension, str) else extension)(demo)


def _user(demo: Demo, username: str, full_name: str, email: str = "") -> User:
    user = accounts_services.user_register(
        username=username,
        password=DEMO_PASSWORD,
        email=email or f"{username.replace('.', '')}@contoh.id",
        full_name=full_name,
    )
    demo.users[username] = user
    return user


def _users(demo: Demo) -> None:
    # Staff accounts have no service: sign-up (user_register) makes citizens only, and staff
    # are made by the admin with Django's auth API (createsuperuser, the admin's user form),
    # which is what these two manager calls are. Roles are the groups of the data migration.
    demo.users["admin"] = User.objects.create_superuser(
        username="admin",
        email="admin@pasuruankota.go.id",
        password=DEMO_PASSWORD,
        first_name="Administrator",
    )
    for username, full_name, email, groups, is_staff in STAFF:
        user = User.objects.create_user(
            username=username,
            email=email,
            password=DEMO_PASSWORD,
            first_name=full_name,
            is_staff=is_staff,  # officials work in the Django admin
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        demo.users[username] = user
    _user(demo, "warga", "Slamet Riyadi")


def _agencies(demo: Demo) -> None:
    official = demo.users["bappeda"]
    for name, acronym in [
        ("Badan Perencanaan Pembangunan Daerah Kota Pasuruan", "Bappeda"),
        ("Badan Kesatuan Bangsa dan Politik Kota Pasuruan", "Bakesbangpol"),
        ("Bagian Hukum Sekretariat Daerah Kota Pasuruan", "Bagian Hukum"),
        ("Dinas Lingkungan Hidup Kota Pasuruan", "DLH"),
    ]:
        demo.agencies[acronym] = accounts_services.agency_create(
            actor=official, name=name, acronym=acronym
        )


def _organizations(demo: Demo) -> None:
    today = timezone.localdate()
    bakesbangpol = demo.users["bakesbangpol"]
    for acronym, name, skt, address, (rep, rep_name), members, final in ORGANIZATIONS:
        representative = _user(demo, rep, rep_name)
        issued_on = today - datetime.timedelta(days=400)
        expires_on = today + datetime.timedelta(days=5 * 365 - 400)
        if final == "expired":
            # Issued five years ago; it was valid when Bakesbangpol verified it (see below).
            issued_on, expires_on = today - datetime.timedelta(days=5 * 365 + 40), today
        organization = accounts_services.organization_register(
            actor=representative,
            name=name,
            acronym=acronym,
            registration_number=skt,
            registration_issued_on=issued_on,
            registration_expires_on=expires_on,
            address=address,
            contact_email=f"{rep}@contoh.id",
            contact_phone="0343-42" + str(1000 + len(demo.organizations)),
        )
        for username, full_name in members:
            member = _user(demo, username, full_name)
            invitation = accounts_memberships.membership_invite(
                actor=representative,
                organization=organization,
                username=member.username,
                role=Membership.Role.MEMBER,
            )
            accounts_memberships.invitation_accept(actor=member, invitation=invitation)
        if final in ("verified", "expired"):
            organization = accounts_services.organization_verify(
                actor=bakesbangpol, organization=organization
            )
        if final == "expired":
            # Historical fact: the SKT ran out 40 days ago, after the verification. The
            # services verify only a registration valid today and never move dates into
            # the past, so this one field is written directly after them.
            Organization.objects.filter(pk=organization.pk).update(
                registration_expires_on=today - datetime.timedelta(days=40)
            )
            organization.refresh_from_db()
        demo.organizations[acronym] = organization


def _sections(actor, consultation, sections) -> None:
    for number, heading, body in sections:
        services.section_add(
            actor=actor, consultation=consultation, number=number, heading=heading, body=body
        )


def _policy_draft(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=POLICY_TITLE,
        kind=Consultation.Kind.POLICY_DRAFT,
        summary=POLICY_SUMMARY,
        agency=demo.agencies["Bagian Hukum"],
        closes_at=demo.now + datetime.timedelta(days=21),
        audience=Consultation.Audience.PUBLIC,
        moderation=Consultation.Moderation.POST,
        ballot=Consultation.Ballot.OPEN,
        voting_method=Consultation.VotingMethod.STANCE,
    )
    _sections(official, consultation, POLICY_SECTIONS)
    services.item_add(
        actor=official,
        consultation=consultation,
        title="Rancangan Peraturan Wali Kota secara keseluruhan",
        description="Sikap organisasi atas rancangan secara keseluruhan.",
    )
    services.item_add(
        actor=official,
        consultation=consultation,
        title="Pasal 3 — Hak Masyarakat",
        description="Jangka waktu penyampaian rancangan dan hak atas tanggapan tertulis.",
    )
    services.item_add(
        actor=official,
        consultation=consultation,
        title="Pasal 5 — Forum Konsultasi Publik",
        description="Kewajiban menyelenggarakan forum dan berita acara.",
    )
    consultation = services.consultation_publish(actor=official, consultation=consultation)
    # A second version after early input, so "what changed" has something to show.
    version = services.version_start(
        actor=official,
        consultation=consultation,
        note="Pasal 3: jangka waktu diperpanjang menjadi 21 hari setelah masukan awal LSM.",
    )
    pasal_3 = version.sections.get(number="Pasal 3")
    services.section_update(actor=official, section=pasal_3, body=POLICY_V2_PASAL_3)
    services.version_publish(actor=official, version=version)
    demo.consultations["policy"] = consultation


def _rpjmd(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=RPJMD_TITLE,
        kind=Consultation.Kind.RPJMD,
        summary=RPJMD_SUMMARY,
        agency=demo.agencies["Bappeda"],
        closes_at=demo.now + datetime.timedelta(days=14),
        audience=Consultation.Audience.LSM,
        moderation=Consultation.Moderation.PRE,
        ballot=Consultation.Ballot.OPEN,
        voting_method=Consultation.VotingMethod.APPROVAL,
        max_choices=3,
    )
    _sections(official, consultation, RPJMD_SECTIONS)
    for code, title, path, indicators, ceiling in RPJMD_ITEMS:
        services.item_add(
            actor=official,
            consultation=consultation,
            title=title,
            code=code,
            programme_path=path,
            indicators=indicators,
            budget_ceiling=Decimal(ceiling),
        )
    demo.consultations["rpjmd"] = services.consultation_publish(
        actor=official, consultation=consultation
    )


# The concluded consultation ran earlier this year: these many days before the load.
CONCLUDED_OPENED_DAYS_AGO = 120
CONCLUDED_CLOSED_DAYS_AGO = 90
CONCLUDED_CONCLUDED_DAYS_AGO = 60
CONCLUDED_FINAL_TEXT_DAYS_AFTER_CLOSING = 20


def _concluded(demo: Demo) -> None:
    """Created and published now; the extensions comment on it while it is open."""
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=CONCLUDED_TITLE,
        kind=Consultation.Kind.POLICY_DRAFT,
        summary="Konsultasi telah selesai; rekapitulasi tanggapan sudah diumumkan.",
        agency=demo.agencies["DLH"],
        audience=Consultation.Audience.PUBLIC,
        opens_at=demo.now - datetime.timedelta(days=CONCLUDED_OPENED_DAYS_AGO),
    )
    _sections(official, consultation, CONCLUDED_SECTIONS)
    services.item_add(
        actor=official, consultation=consultation, title="Rancangan secara keseluruhan"
    )
    demo.consultations["concluded"] = services.consultation_publish(
        actor=official, consultation=consultation
    )


def _concluded_now(demo: Demo) -> Consultation:
    return Consultation.objects.get(pk=demo.consultations["concluded"].pk)


def _conclude(demo: Demo) -> None:
    """Conclude it, then move its history into the past.

    Historical fact: the services stamp every transition with the present time and never
    move a date into the past, so the dates of a consultation that closed months ago are
    set here, directly, after the services made every transition.
    """
    official = demo.users["bappeda"]
    consultation = services.consultation_conclude(actor=official, consultation=_concluded_now(demo))
    opened = demo.now - datetime.timedelta(days=CONCLUDED_OPENED_DAYS_AGO)
    closed = demo.now - datetime.timedelta(days=CONCLUDED_CLOSED_DAYS_AGO)
    Consultation.objects.filter(pk=consultation.pk).update(
        published_at=opened,
        closes_at=closed,
        closed_at=closed,
        closed_by=None,  # it closed at its closing time, not early
        close_reason="",
        concluded_at=demo.now - datetime.timedelta(days=CONCLUDED_CONCLUDED_DAYS_AGO),
    )
    # Version 1 went public with the consultation; any later one is the final text.
    consultation.versions.filter(number=1).update(published_at=opened)
    consultation.versions.filter(number__gt=1).update(
        published_at=closed + datetime.timedelta(days=CONCLUDED_FINAL_TEXT_DAYS_AFTER_CLOSING)
    )
    consultation.refresh_from_db()
    demo.consultations["concluded"] = consultation


def _draft(demo: Demo) -> None:
    official = demo.users["bappeda"]
    consultation = services.consultation_create(
        actor=official,
        title=DRAFT_TITLE,
        kind=Consultation.Kind.POLICY_DRAFT,
        summary="Masih disiapkan oleh Dinas Lingkungan Hidup; belum terbuka untuk publik.",
        agency=demo.agencies["DLH"],
    )
    _sections(official, consultation, DRAFT_SECTIONS)
    demo.consultations["draft"] = consultation
