"""The demo has proposals at every stage and the officials the walk-through needs."""

import pytest
from django.core.management import call_command

from aspirations import permissions, selectors
from aspirations.models import Aspiration, Kecamatan, Stage
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_demo_has_a_proposal_at_every_stage_and_in_every_state(demo):
    places = set(Aspiration.objects.values_list("stage", "status"))
    assert {stage for stage, _status in places} == set(Stage.values)
    assert {status for _stage, status in places} == set(Aspiration.Status.values)
    accepted = Aspiration.objects.get(status="accepted")
    assert (accepted.item.code, accepted.pagu) == ("1.02.03", 45000000)
    merged = Aspiration.objects.get(status="merged")
    assert merged.merged_into.support_organizations == 2  # Pelita backed both: counted once
    assert Comment.objects.filter(aspiration__isnull=False, status="published").exists()


def test_the_walk_through_has_its_officials(demo, django_user_model):
    users = {u.username: u for u in django_user_model.objects.all()}
    for username, stage in (
        ("lurah.panggungrejo", "kelurahan"),
        ("camat.panggungrejo", "kecamatan"),
        ("bappeda", "kota"),
    ):
        assert permissions.scope_of(users[username]).stage == stage
        assert users[username].check_password("demo12345")
    # At Kecamatan Panggungrejo the rob pump leads with 14: a new proposal scored 13 is second.
    ranking = list(
        selectors.ranking("kecamatan", kecamatan=Kecamatan.objects.get(name="Panggungrejo"))
    )
    assert [a.stage_score for a in ranking] == [14, 12, 10]
