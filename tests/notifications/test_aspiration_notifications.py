"""The author and the supporters of a proposal hear of each decision on it, with the reason."""

import pytest

from aspirations import decisions, supports
from notifications.models import Notification
from tests.factories import AspirationFactory
from tests.notifications.conftest import kinds_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(member):
    return AspirationFactory(author=member, title="Perbaikan saluran drainase RW 03")


def test_a_decision_reaches_the_author_and_every_supporter_with_the_reason(
    committed, superuser, proposal, member, other_representative, citizen, representative
):
    supports.aspiration_support(actor=other_representative, aspiration=proposal)
    supports.aspiration_support(actor=citizen, aspiration=proposal)
    committed(
        decisions.aspiration_decide,
        actor=superuser,
        aspiration=proposal,
        outcome="deferred",
        reason="Ditunda ke tahun anggaran berikutnya karena pagu kecamatan sudah penuh.",
    )
    for user in (member, other_representative, citizen):
        notification = Notification.objects.get(user=user)
        assert notification.kind == "aspiration_decided"
        assert "Perbaikan saluran drainase RW 03" in notification.title
        assert notification.data["outcome"] == "deferred"
        assert "pagu kecamatan" in notification.data["reason"]
    assert kinds_of(representative) == []  # Pelita's representative neither wrote nor backed it


def test_each_stage_decision_is_a_notification_of_its_own(committed, superuser, proposal, member):
    for _stage in range(2):
        committed(
            decisions.aspiration_decide,
            actor=superuser,
            aspiration=proposal,
            outcome="forwarded",
        )
    assert kinds_of(member) == ["aspiration_decided", "aspiration_decided"]
