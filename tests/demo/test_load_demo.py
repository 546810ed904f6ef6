import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts import permissions
from accounts.models import Membership, Organization
from consultations import selectors
from consultations.models import Consultation

pytestmark = pytest.mark.django_db
User = get_user_model()

ACCOUNTS = [
    "admin",
    "bappeda",
    "bakesbangpol",
    "moderator",
    "planner",
    "warga",
    "pelita",
    "pelita.anggota",
    "fwpl",
    "ycp",
    "karyamuda",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Eleven demo accounts: keep the key stretching out of the test's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_every_demo_account_signs_in_with_the_documented_password(demo):
    for username in ACCOUNTS:
        assert User.objects.get(username=username).check_password("demo12345"), username


def test_roles_of_the_demo_accounts(demo):
    users = {u.username: u for u in User.objects.all()}
    assert users["admin"].is_superuser
    assert permissions.is_official(users["bappeda"]) and users["bappeda"].is_staff
    assert permissions.is_official(users["bakesbangpol"]) and users["bakesbangpol"].is_staff
    assert users["bakesbangpol"].has_perm("accounts.change_organization")
    assert permissions.is_moderator(users["moderator"])
    assert permissions.is_planner(users["planner"])
    assert permissions.membership_of(users["warga"]) is None
    assert not permissions.is_staff_role(users["warga"])


def test_demo_organizations_and_their_people(demo):
    today = timezone.localdate()
    by_acronym = {o.acronym: o for o in Organization.objects.all()}
    assert set(by_acronym) == {"Pelita", "FWPL", "YCP", "Karya Muda"}
    pelita = by_acronym["Pelita"]
    assert pelita.name == "LSM Pelita Pasuruan" and pelita.is_verified
    assert by_acronym["FWPL"].name == "Forum Warga Peduli Lingkungan"
    assert by_acronym["FWPL"].is_verified
    ycp = by_acronym["YCP"]
    assert ycp.name == "Yayasan Cahaya Pesisir"
    assert ycp.is_verified and not ycp.registration_valid_on(today)
    assert by_acronym["Karya Muda"].name == "Ormas Karya Muda"
    assert by_acronym["Karya Muda"].status == Organization.Status.PENDING
    for username, acronym, role in [
        ("pelita", "Pelita", "representative"),
        ("pelita.anggota", "Pelita", "member"),
        ("fwpl", "FWPL", "representative"),
        ("ycp", "YCP", "representative"),
        ("karyamuda", "Karya Muda", "representative"),
    ]:
        membership = Membership.objects.get(user__username=username)
        assert (membership.organization.acronym, membership.role) == (acronym, role)


def test_the_policy_draft(demo):
    policy = Consultation.objects.get(
        title="Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi Publik dalam "
        "Penyusunan Kebijakan"
    )
    assert policy.kind == Consultation.Kind.POLICY_DRAFT
    assert policy.status == Consultation.Status.OPEN
    assert policy.voting_method == Consultation.VotingMethod.STANCE
    assert policy.moderation == Consultation.Moderation.POST
    numbers = [s.number for s in selectors.sections_of(policy)]
    assert numbers == [f"Pasal {n}" for n in range(1, 9)]
    titles = [item.title for item in selectors.items_of(policy)]
    assert len(titles) == 3
    assert "keseluruhan" in titles[0] and "Pasal 3" in titles[1] and "Pasal 5" in titles[2]


def test_the_rpjmd_consultation(demo):
    rpjmd = Consultation.objects.get(
        title="Konsultasi Publik Rancangan Awal RPJMD Kota Pasuruan 2025–2029"
    )
    assert rpjmd.kind == Consultation.Kind.RPJMD
    assert rpjmd.status == Consultation.Status.OPEN
    assert rpjmd.voting_method == Consultation.VotingMethod.APPROVAL
    assert rpjmd.max_choices == 3
    assert rpjmd.moderation == Consultation.Moderation.PRE
    numbers = [s.number for s in selectors.sections_of(rpjmd)]
    assert numbers == ["Bab I", "Bab II", "Bab III", "Bab IV", "Bab V"]
    items = list(selectors.items_of(rpjmd))
    assert len(items) == 6
    for item in items:
        assert item.code and item.programme_path.startswith("Misi ")
        assert item.indicators and item.budget_ceiling > 0
    assert items[0].title == "Peningkatan Kualitas Pelayanan Kesehatan Masyarakat"


def test_one_concluded_and_one_draft_consultation(demo):
    statuses = sorted(Consultation.objects.values_list("status", flat=True))
    assert statuses == ["concluded", "draft", "open", "open"]


def test_loading_twice_changes_nothing(demo):
    counts = (User.objects.count(), Organization.objects.count(), Consultation.objects.count())
    call_command("load_demo", verbosity=0)
    assert counts == (
        User.objects.count(),
        Organization.objects.count(),
        Consultation.objects.count(),
    )


def test_an_extension_runs_inside_the_same_load(db, monkeypatch):
    from demo.management.commands import load_demo

    seen = {}
    monkeypatch.setattr(load_demo, "DEMO_EXTENSIONS", ["tests.demo.test_load_demo.record"])
    monkeypatch.setattr(load_demo, "_SEEN", seen, raising=False)
    call_command("load_demo", verbosity=0)
    assert seen["policy"].title.startswith("Rancangan Peraturan Wali Kota")
    assert seen["pelita"].username == "pelita"


def record(demo):
    from demo.management.commands import load_demo

    load_demo._SEEN["policy"] = demo.consultations["policy"]
    load_demo._SEEN["pelita"] = demo.users["pelita"]


def test_a_failing_extension_leaves_an_empty_database(db, monkeypatch):
    from demo.management.commands import load_demo

    monkeypatch.setattr(load_demo, "DEMO_EXTENSIONS", [explode])
    with pytest.raises(RuntimeError):
        call_command("load_demo", verbosity=0)
    assert not Consultation.objects.exists()
    assert not User.objects.exists()


def explode(demo):
    raise RuntimeError("boom")


def test_the_concluded_consultation_ran_in_the_past(demo):
    concluded = Consultation.objects.get(status=Consultation.Status.CONCLUDED)
    now = timezone.now()
    assert concluded.opens_at < concluded.closed_at < concluded.concluded_at < now
    assert concluded.closes_at == concluded.closed_at
    first, final = concluded.versions.order_by("number")
    assert first.published_at == concluded.published_at == concluded.opens_at
    assert concluded.closed_at < final.published_at < concluded.concluded_at
    answered = concluded.comments.filter(response__published_at__isnull=False).count()
    assert answered == concluded.comments.count() == 3


def test_the_load_leaves_the_comment_limits_as_configured(db, settings):
    before = dict(settings.RUANG)
    call_command("load_demo", verbosity=0)
    assert before == settings.RUANG


def test_the_demo_writes_through_the_services_only():
    """No test utilities in the demo package; direct writes are the few commented ones."""
    from pathlib import Path

    import demo

    for path in Path(demo.__file__).parent.rglob("*.py"):
        assert "django.test" not in path.read_text(), path
