import pytest

from backend.errors import Conflict, Invalid, NotAllowed, NotFound
from comments import selectors
from comments import services as comments_services
from comments.models import Comment
from consultations import services
from realtime.models import StreamEvent
from tests.factories import (
    CommentFactory,
    ConsultationFactory,
    HearingFactory,
    ItemFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not Comment.objects.exists() and not StreamEvent.objects.exists()


def test_member_comments_on_a_section_on_behalf_of_the_organization(
    member, organization, open_consultation, pasal_3
):
    comment = comments_services.comment_create(
        actor=member,
        consultation=open_consultation,
        section=pasal_3,
        stance="support",
        body="Hak warga sudah baik.",
    )
    assert comment.organization == organization
    assert comment.section == pasal_3
    assert comment.status == Comment.Status.PUBLISHED


def test_representative_comments_on_an_item(representative, open_consultation, post):
    item = open_consultation.items.get()
    comment = post(representative, open_consultation, item=item, stance="neutral")
    assert comment.item == item
    assert comment.section is None


def test_comment_on_the_consultation_as_a_whole(member, open_consultation, post):
    comment = post(member, open_consultation)
    assert comment.section is None and comment.item is None


def test_post_moderated_comment_is_published_at_once_and_broadcast(
    member, open_consultation, pasal_1, post
):
    comment = post(member, open_consultation, section=pasal_1)
    event = StreamEvent.objects.get(stream=open_consultation.stream)
    assert comment.status == Comment.Status.PUBLISHED
    assert event.type == "comment.published"
    assert event.data["id"] == comment.pk


def test_pre_moderated_comment_waits_pending_and_only_moderators_hear_of_it(
    member, pre_consultation, post
):
    comment = post(member, pre_consultation)
    event = StreamEvent.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (event.type, event.audience) == ("comment.submitted", "moderation")


@pytest.mark.parametrize(
    "persona", ["citizen", "unverified_member", "official", "moderator", "planner"]
)
def test_only_verified_organization_members_comment_on_an_lsm_consultation(
    persona, request, open_consultation, post
):
    with pytest.raises(NotAllowed):
        post(request.getfixturevalue(persona), open_consultation)
    assert nothing_stored()


def test_anonymous_cannot_comment(anonymous, open_consultation, post):
    with pytest.raises(NotAllowed):
        post(anonymous, open_consultation)
    assert nothing_stored()


@pytest.mark.parametrize("persona", ["citizen", "unverified_member"])
def test_individuals_comment_on_a_public_consultation_without_organization(
    persona, request, public_consultation, post
):
    comment = post(request.getfixturevalue(persona), public_consultation)
    assert comment.organization is None
    assert comment.is_published


def test_member_comments_on_a_public_consultation_on_behalf_of_the_organization(
    member, organization, public_consultation, post
):
    assert post(member, public_consultation).organization == organization


@pytest.mark.parametrize("status", ["closed", "concluded"])
def test_comment_on_a_consultation_that_is_not_open_is_refused_with_409(status, member, post):
    consultation = ConsultationFactory(status=status)
    with pytest.raises(Conflict):
        post(member, consultation)
    assert nothing_stored()


def test_comment_on_a_draft_consultation_is_not_found(member, draft_consultation, post):
    with pytest.raises(NotFound):
        post(member, draft_consultation)
    assert nothing_stored()


def test_comment_during_a_live_hearing_is_accepted_and_broadcast_on_both_streams(
    member, closed_consultation, live_hearing, post
):
    comment = post(member, closed_consultation, hearing=live_hearing)
    streams = set(StreamEvent.objects.values_list("stream", flat=True))
    assert comment.hearing == live_hearing
    assert streams == {closed_consultation.stream, live_hearing.stream}


def test_comment_on_a_hearing_that_is_not_live_is_refused(member, open_consultation, post):
    hearing = HearingFactory(consultation=open_consultation, status="ended")
    with pytest.raises(Conflict):
        post(member, open_consultation, hearing=hearing)
    assert nothing_stored()


def test_hearing_of_another_consultation_is_refused(member, open_consultation, post):
    hearing = HearingFactory(status="live")
    with pytest.raises(Invalid):
        post(member, open_consultation, hearing=hearing)
    assert nothing_stored()


@pytest.mark.parametrize(
    "body",
    [
        "  dua spasi di depan dan di belakang  ",
        "baris satu\nbaris dua\r\n\n\tterindentasi",
        "<b>tebal</b> & 'kutip' \"ganda\"",
        "emoji 🙏🏽 dan aksara ꦗꦮ",
    ],
)
def test_body_is_kept_exactly_as_written(body, member, open_consultation, post):
    comment = post(member, open_consultation, body=body)
    comment.refresh_from_db()
    assert comment.body == body


def test_body_of_exactly_5000_characters_is_accepted(member, open_consultation, post):
    assert len(post(member, open_consultation, body="a" * 5000).body) == 5000


@pytest.mark.parametrize("body", ["", "   ", "\n\t", "a" * 5001, "nul\x00byte"])
def test_bad_body_is_refused_and_nothing_stored(body, member, open_consultation):
    with pytest.raises(Invalid) as error:
        comments_services.comment_create(
            actor=member, consultation=open_consultation, stance="support", body=body
        )
    assert error.value.field == "body"
    assert nothing_stored()


@pytest.mark.parametrize("stance", ["", "for", "SUPPORT", None])
def test_stance_outside_the_list_is_refused(stance, member, open_consultation, post):
    with pytest.raises(Invalid):
        post(member, open_consultation, stance=stance)
    assert nothing_stored()


def test_section_of_another_consultation_is_refused(member, open_consultation, post):
    other_section = SectionFactory()
    with pytest.raises(Invalid):
        post(member, open_consultation, section=other_section)
    assert nothing_stored()


def test_section_of_an_older_version_is_refused(member, official, open_consultation, post):
    old = open_consultation.sections.first()
    version = services.version_start(actor=official, consultation=open_consultation)
    services.version_publish(actor=official, version=version)
    with pytest.raises(Invalid):
        post(member, open_consultation, section=old)
    assert post(member, open_consultation, section=version.sections.first()).pk


def test_item_of_another_consultation_is_refused(member, open_consultation, post):
    with pytest.raises(Invalid):
        post(member, open_consultation, item=ItemFactory())
    assert nothing_stored()


def test_reply_to_a_top_level_comment_joins_its_section(
    member, other_representative, open_consultation, pasal_1, post
):
    question = post(member, open_consultation, section=pasal_1, stance="question")
    reply = post(other_representative, open_consultation, parent=question, stance="neutral")
    assert reply.parent == question
    assert reply.section == pasal_1


def test_reply_to_a_reply_is_refused(member, other_representative, open_consultation, post):
    top = post(member, open_consultation)
    reply = post(other_representative, open_consultation, parent=top)
    with pytest.raises(Invalid):
        post(member, open_consultation, parent=reply)
    assert Comment.objects.count() == 2


def test_reply_to_a_comment_of_another_consultation_is_refused(member, open_consultation, post):
    elsewhere = CommentFactory()
    with pytest.raises(Invalid):
        post(member, open_consultation, parent=elsewhere)


def test_reply_to_someone_elses_pending_comment_is_refused(
    member, other_representative, pre_consultation, post
):
    pending = post(other_representative, pre_consultation)
    with pytest.raises(Invalid):
        post(member, pre_consultation, parent=pending)


def test_reply_in_another_section_than_its_comment_is_refused(
    member, open_consultation, pasal_1, pasal_3, post
):
    top = post(member, open_consultation, section=pasal_1)
    with pytest.raises(Invalid):
        post(member, open_consultation, parent=top, section=pasal_3)


def test_suspended_organization_member_cannot_comment(
    member, organization, open_consultation, post
):
    organization.status = "suspended"
    organization.save()
    member.refresh_from_db()
    with pytest.raises(NotAllowed):
        post(member, open_consultation)


def test_expired_registration_still_allows_comments(member, organization, open_consultation, post):
    """An expired SKT stops the vote, not the comments (ARCHITECTURE.md §3)."""
    import datetime

    organization.registration_expires_on = datetime.date(2020, 1, 1)
    organization.save()
    assert post(member, open_consultation).organization == organization


def test_a_comment_whose_read_back_fails_is_not_saved_and_can_be_sent_again(
    member, open_consultation, post, monkeypatch
):
    """The database went away after the insert: the author gets an error, nothing is kept,
    and the same text is accepted when sent again (not refused as a double submit)."""
    from django.db import OperationalError

    real = selectors.comment_list

    def drops(user, queryset=None):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(selectors, "comment_list", drops)
    with pytest.raises(OperationalError):
        post(member, open_consultation, body="Mohon trotoar diperlebar.")
    assert nothing_stored()

    monkeypatch.setattr(selectors, "comment_list", real)
    comment = post(member, open_consultation, body="Mohon trotoar diperlebar.")
    assert Comment.objects.get().pk == comment.pk
