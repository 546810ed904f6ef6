import datetime

import pytest
from django.utils import timezone

from backend.errors import Conflict, Invalid, NotAllowed
from comments import moderation, services
from comments.models import Comment, CommentEdit
from realtime.models import StreamEvent
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def age(comment, minutes):
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    comment.refresh_from_db()


def test_author_can_edit_within_fifteen_minutes_and_history_is_kept(member, published_comment):
    original = published_comment.body
    age(published_comment, 14)
    edited = services.comment_edit(
        actor=member, comment=published_comment, body="Versi perbaikan.", stance="question"
    )
    assert edited.body == "Versi perbaikan."
    assert edited.stance == "question"
    assert edited.edited_at is not None
    assert list(CommentEdit.objects.values_list("body", flat=True)) == [original]


def test_edit_of_a_published_comment_is_broadcast_again(
    member, published_comment, open_consultation
):
    services.comment_edit(actor=member, comment=published_comment, body="Diperbaiki.")
    last = StreamEvent.objects.filter(stream=open_consultation.stream).last()
    assert (last.type, last.data["body"]) == ("comment.published", "Diperbaiki.")


def test_author_cannot_edit_after_the_window(member, published_comment):
    age(published_comment, 16)
    with pytest.raises(Conflict):
        services.comment_edit(actor=member, comment=published_comment, body="Terlambat.")
    assert not CommentEdit.objects.exists()


@pytest.mark.parametrize(
    "persona", ["representative", "other_representative", "moderator", "official", "citizen"]
)
def test_nobody_but_the_author_edits(persona, request, published_comment):
    with pytest.raises(NotAllowed):
        services.comment_edit(
            actor=request.getfixturevalue(persona), comment=published_comment, body="Bukan saya."
        )


def test_edit_is_validated_like_a_new_comment(member, published_comment):
    with pytest.raises(Invalid):
        services.comment_edit(actor=member, comment=published_comment, body="x" * 5001)
    with pytest.raises(Invalid):
        services.comment_edit(actor=member, comment=published_comment, body=" ")


def test_a_hidden_comment_cannot_be_edited(member, moderator, published_comment):
    moderation.comment_hide(actor=moderator, comment=published_comment, reason="Tidak relevan.")
    with pytest.raises(Conflict):
        services.comment_edit(actor=member, comment=published_comment, body="Coba lagi.")


def test_editing_an_approved_comment_on_a_pre_moderated_consultation_needs_approval_again(
    member, moderator, pending_comment
):
    moderation.comment_approve(actor=moderator, comment=pending_comment)
    edited = services.comment_edit(actor=member, comment=pending_comment, body="Teks baru.")
    assert edited.status == Comment.Status.PENDING


def test_author_deletes_a_comment_without_replies_entirely(member, published_comment):
    assert services.comment_delete(actor=member, comment=published_comment) is None
    assert not Comment.objects.exists()


def test_deleting_a_published_comment_broadcasts_comment_hidden(
    member, published_comment, open_consultation
):
    services.comment_delete(actor=member, comment=published_comment)
    last = StreamEvent.objects.filter(stream=open_consultation.stream).last()
    assert last.type == "comment.hidden"
    assert last.data["id"] == published_comment.pk
    assert "body" not in last.data


def test_deleting_a_comment_with_replies_leaves_a_removed_placeholder(
    member, other_representative, published_comment, open_consultation, post
):
    reply = post(other_representative, open_consultation, parent=published_comment)
    placeholder = services.comment_delete(actor=member, comment=published_comment)
    placeholder.refresh_from_db()
    assert placeholder.is_removed
    assert placeholder.body == ""
    assert list(placeholder.replies.all()) == [reply]


def test_deleting_an_answered_comment_keeps_the_answer(member, published_comment):
    ResponseFactory(comment=published_comment)
    placeholder = services.comment_delete(actor=member, comment=published_comment)
    assert placeholder.is_removed
    assert placeholder.response.pk


def test_edit_history_goes_with_a_removed_comment(
    member, other_representative, published_comment, open_consultation, post
):
    post(other_representative, open_consultation, parent=published_comment)
    services.comment_edit(actor=member, comment=published_comment, body="Versi dua.")
    services.comment_delete(actor=member, comment=published_comment)
    assert not CommentEdit.objects.exists()


@pytest.mark.parametrize("persona", ["other_representative", "moderator", "official"])
def test_nobody_but_the_author_deletes(persona, request, published_comment):
    with pytest.raises(NotAllowed):
        services.comment_delete(actor=request.getfixturevalue(persona), comment=published_comment)
    assert Comment.objects.filter(pk=published_comment.pk).exists()


def test_a_removed_comment_cannot_be_deleted_or_edited_again(
    member, other_representative, published_comment, open_consultation, post
):
    post(other_representative, open_consultation, parent=published_comment)
    services.comment_delete(actor=member, comment=published_comment)
    published_comment.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.comment_delete(actor=member, comment=published_comment)
    with pytest.raises(NotAllowed):
        services.comment_edit(actor=member, comment=published_comment, body="Kembali.")
