"""The people behind an input hear that it moved (followups.signals.follow_up_recorded)."""

import pytest

from aspirations.models import Aspiration
from backend.errors import Conflict
from consultations.models import Consultation
from followups import selectors, services
from followups.signals import follow_up_recorded
from notifications.models import Notification
from tests.factories import AspirationFactory, ConsultationFactory, ItemFactory


def test_the_author_of_the_answered_comment_is_told_after_commit(
    official, member, accepted_response, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, follow_up, recipients, **kwargs):
        heard.append((follow_up.progress, [user.username for user in recipients]))

    follow_up_recorded.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.follow_up_record(
                actor=official,
                consultation=accepted_response.consultation,
                response=accepted_response,
                status="in_progress",
                progress=40,
                note="Tahap pertama berjalan.",
            )
    finally:
        follow_up_recorded.disconnect(listener)
    assert heard == [(40, [member.username])]


def test_the_member_behind_the_comment_gets_a_notification(
    official, member, accepted_response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_record(
            actor=official,
            consultation=accepted_response.consultation,
            response=accepted_response,
            status="in_progress",
            progress=40,
            note="Normalisasi saluran tahap pertama berjalan.",
        )
    (notification,) = Notification.objects.filter(user=member, kind="follow_up_recorded")
    assert "40%" in notification.title
    assert notification.url.endswith(f"#response-{accepted_response.pk}")
    assert not Notification.objects.filter(user=official).exists()


def test_a_refused_follow_up_notifies_nobody(
    official, drainage_comment, answer, django_capture_on_commit_callbacks
):
    noted = answer(drainage_comment, "noted")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        services.follow_up_record(
            actor=official,
            consultation=noted.consultation,
            response=noted,
            status="done",
            progress=100,
            note="x",
        )
    assert not Notification.objects.filter(kind="follow_up_recorded").exists()


def test_a_proposal_tells_its_author_and_a_programme_the_authors_it_carries(official, citizen):
    rpjmd = ConsultationFactory(kind=Consultation.Kind.RPJMD)
    programme = ItemFactory(consultation=rpjmd, code="1.03.05")
    carried = AspirationFactory(
        consultation=rpjmd, author=citizen, item=programme, status=Aspiration.Status.ACCEPTED
    )
    AspirationFactory(consultation=rpjmd, item=programme, status=Aspiration.Status.REJECTED)
    on_proposal = services.follow_up_record(
        actor=official,
        consultation=rpjmd,
        aspiration=carried,
        status="planned",
        progress=0,
        note="Masuk DPA 2027.",
    )
    on_programme = services.follow_up_record(
        actor=official,
        consultation=rpjmd,
        item=programme,
        status="in_progress",
        progress=25,
        note="9 dari 35 km.",
    )
    assert selectors.people_behind(on_proposal) == [citizen]
    assert selectors.people_behind(on_programme) == [citizen]
