"""The author of a comment hears of each moderator's decision and of the response to it,
made by the real actions (the services the pages and the API call)."""

import pytest
from django.db import transaction

from comments import moderation as comment_moderation
from comments import responses as comment_responses
from notifications.models import Notification, OutgoingEmail
from tests.notifications.conftest import kinds_of

pytestmark = pytest.mark.django_db


def test_rejecting_a_pending_comment_tells_its_author_with_the_reason(
    committed, moderator, member, pending_comment, mailoutbox
):
    committed(
        comment_moderation.comment_reject,
        actor=moderator,
        comment=pending_comment,
        reason="Pertanyaan ini di luar pokok bahasan RPJMD.",
    )
    notification = Notification.objects.get(user=member)
    assert notification.kind == "comment_rejected"
    assert "ditolak" in notification.title
    assert notification.data["reason"] == "Pertanyaan ini di luar pokok bahasan RPJMD."
    assert notification.url.endswith(f"#komentar-{pending_comment.pk}")
    assert len(mailoutbox) == 1
    assert "Pertanyaan ini di luar pokok bahasan RPJMD." in mailoutbox[0].body
    assert mailoutbox[0].to == [member.email]


def test_approving_a_pending_comment_tells_its_author(
    committed, moderator, member, pending_comment
):
    committed(comment_moderation.comment_approve, actor=moderator, comment=pending_comment)
    assert kinds_of(member) == ["comment_approved"]


def test_hiding_a_published_comment_tells_its_author_why(
    committed, moderator, member, published_comment
):
    committed(
        comment_moderation.comment_hide,
        actor=moderator,
        comment=published_comment,
        reason="Memuat data pribadi warga.",
    )
    notification = Notification.objects.get(user=member)
    assert notification.kind == "comment_hidden"
    assert notification.data["reason"] == "Memuat data pribadi warga."


def test_dismissing_reports_on_a_public_comment_tells_the_author_nothing(
    committed, moderator, member, other_representative, published_comment
):
    comment_moderation.comment_report(
        actor=other_representative, comment=published_comment, reason="Menyesatkan."
    )
    committed(comment_moderation.comment_approve, actor=moderator, comment=published_comment)
    assert kinds_of(member) == []


def test_a_published_response_tells_the_author_of_the_comment(
    committed, official, member, published_comment
):
    committed(
        comment_responses.response_create,
        actor=official,
        comment=published_comment,
        outcome="accepted",
        body="Definisi 'warga' diperjelas pada Pasal 1 angka 5.",
        publish=True,
    )
    notification = Notification.objects.get(user=member)
    assert notification.kind == "comment_responded"
    assert "diterima" in notification.title.lower()
    assert notification.data["outcome"] == "accepted"


def test_a_draft_response_tells_nobody_until_it_is_published(
    committed, official, member, published_comment
):
    response = committed(
        comment_responses.response_create,
        actor=official,
        comment=published_comment,
        outcome="noted",
        body="Dicatat untuk pembahasan.",
    )
    assert kinds_of(member) == []
    committed(comment_responses.response_publish, actor=official, response=response)
    assert kinds_of(member) == ["comment_responded"]


def test_publishing_all_drafted_responses_at_once_is_one_job_for_all_authors(
    committed, official, member, representative, open_consultation, pasal_1, post
):
    first = post(member, open_consultation, section=pasal_1)
    second = post(representative, open_consultation, section=pasal_1)
    for comment in (first, second):
        comment_responses.response_create(
            actor=official, comment=comment, outcome="noted", body="Dicatat."
        )
    committed(comment_responses.responses_publish, actor=official, consultation=open_consultation)
    assert kinds_of(member) == ["comment_responded"]
    assert kinds_of(representative) == ["comment_responded"]


def test_a_moderation_that_rolls_back_notifies_nobody(
    django_capture_on_commit_callbacks, moderator, member, pending_comment
):
    class Abandoned(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abandoned),
        transaction.atomic(),
    ):
        comment_moderation.comment_reject(
            actor=moderator, comment=pending_comment, reason="Di luar pokok bahasan."
        )
        raise Abandoned  # e.g. a later step of the same request failed
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()
