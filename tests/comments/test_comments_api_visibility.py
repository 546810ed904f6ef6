"""Pending, hidden and rejected comments of others never reach a non-moderator, by any route."""

import pytest

from comments import moderation, responses, selectors, services
from comments.models import Comment
from tests.factories import CommentFactory, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db

SECRET = "rahasia-tersembunyi"


@pytest.fixture
def world(open_consultation, pasal_1, member, other_representative, moderator, official):
    """One comment in each status by Sari, on Pasal 1; plus Dedi's own pending comment."""
    comments = {
        status: CommentFactory(
            consultation=open_consultation,
            section=pasal_1,
            author=other_representative,
            organization=other_representative.membership.organization,
            status=status,
            stance="oppose",
            body=f"{status} {SECRET if status != 'published' else 'terbuka'}",
        )
        for status in Comment.Status.values
    }
    comments["own_pending"] = CommentFactory(
        consultation=open_consultation,
        section=pasal_1,
        author=member,
        organization=member.membership.organization,
        status="pending",
        body="milik dedi menunggu",
    )
    draft = ConsultationFactory(status="draft")
    comments["on_draft"] = CommentFactory(consultation=draft, status="published", body=SECRET)
    responses.response_create(
        actor=official, comment=comments["published"], outcome="noted", body="draf tanggapan"
    )
    return comments


def ids(answer):
    assert answer.status_code == 200, answer.content
    return {row["id"] for row in answer.json()["results"]}


LIST_URLS = [
    "/api/v1/comments/",
    "/api/v1/comments/?status=pending",
    "/api/v1/comments/?status=hidden&status=rejected",
    "/api/v1/comments/?stance=oppose",
    f"/api/v1/comments/?q={SECRET}",
    "/api/v1/comments/?has_response=true",
    "/api/v1/comments/?has_response=false",
    "/api/v1/comments/?created_after=2000-01-01T00:00:00Z",
]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("persona", ["anonymous", "citizen", "representative", "planner"])
def test_lists_filters_and_search_never_show_others_unpublished_comments(
    url, persona, request, api_as, world
):
    seen = ids(api_as(request.getfixturevalue(persona)).get(url))
    forbidden = {world[s].pk for s in ("pending", "hidden", "rejected", "on_draft", "own_pending")}
    assert not seen & forbidden


def test_the_author_sees_their_own_pending_comment_and_its_status(api_as, member, world):
    seen = ids(api_as(member).get("/api/v1/comments/?status=pending"))
    assert seen == {world["own_pending"].pk}


@pytest.mark.parametrize("persona", ["moderator", "official"])
def test_moderators_and_officials_see_every_status(persona, request, api_as, world):
    seen = ids(api_as(request.getfixturevalue(persona)).get("/api/v1/comments/?page_size=200"))
    assert {c.pk for c in world.values()} <= seen


@pytest.mark.parametrize("status", ["pending", "hidden", "rejected"])
@pytest.mark.parametrize("persona", ["anonymous", "citizen", "member"])
def test_detail_of_an_unpublished_comment_is_404(status, persona, request, api_as, world):
    client = api_as(request.getfixturevalue(persona))
    answer = client.get(f"/api/v1/comments/{world[status].pk}/")
    assert answer.status_code == 404
    assert SECRET not in answer.content.decode()


def test_comment_on_a_draft_consultation_is_404_for_the_public(api_as, citizen, world):
    assert api_as(citizen).get(f"/api/v1/comments/{world['on_draft'].pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "member"])
def test_nothing_secret_in_any_list_body(persona, request, api_as, world):
    client = api_as(request.getfixturevalue(persona))
    for url in LIST_URLS:
        assert SECRET not in client.get(url).content.decode()


def test_counts_by_stance_count_only_what_the_reader_may_see(
    world, pasal_1, open_consultation, anonymous, member, moderator
):
    public = selectors.comment_counts_by_stance(anonymous, open_consultation)[pasal_1.pk]
    own = selectors.comment_counts_by_stance(member, open_consultation)[pasal_1.pk]
    everything = selectors.comment_counts_by_stance(moderator, open_consultation)[pasal_1.pk]
    assert (public["total"], public["oppose"]) == (1, 1)
    assert own["total"] == 2
    assert everything["total"] == 5


def test_draft_responses_are_not_shown_to_the_public(api_as, world):
    row = api_as(None).get(f"/api/v1/comments/{world['published'].pk}/").json()
    assert row["response"] is None
    assert "draf tanggapan" not in api_as(None).get("/api/v1/responses/").content.decode()
    assert ids(api_as(None).get("/api/v1/comments/?has_response=true")) == set()


def test_draft_responses_are_shown_to_officials(api_as, official, world):
    row = api_as(official).get(f"/api/v1/comments/{world['published'].pk}/").json()
    assert row["response"]["body"] == "draf tanggapan"


def test_moderation_reason_is_for_the_author_not_for_readers(
    api_as, moderator, member, citizen, open_consultation
):
    comment = services.comment_create(
        actor=member, consultation=open_consultation, stance="support", body="Setuju penuh."
    )
    moderation.comment_hide(actor=moderator, comment=comment, reason="Catatan internal.")
    moderation.comment_restore(actor=moderator, comment=comment, reason="")
    Comment.objects.filter(pk=comment.pk).update(moderation_reason="Catatan internal.")
    assert api_as(citizen).get(f"/api/v1/comments/{comment.pk}/").json()["moderation_reason"] == ""
    assert (
        api_as(member).get(f"/api/v1/comments/{comment.pk}/").json()["moderation_reason"]
        == "Catatan internal."
    )


def test_thread_replies_follow_the_same_rule(
    open_consultation, pasal_1, member, other_representative, anonymous
):
    top = CommentFactory(consultation=open_consultation, section=pasal_1, author=member)
    CommentFactory(
        consultation=open_consultation,
        section=pasal_1,
        parent=top,
        author=other_representative,
        status="hidden",
        body=SECRET,
    )
    visible = CommentFactory(
        consultation=open_consultation, section=pasal_1, parent=top, author=member
    )
    [thread_top] = selectors.comment_thread(anonymous, open_consultation, pasal_1)
    assert list(thread_top.replies.all()) == [visible]


def test_another_consultations_section_filter_leaks_nothing(api_as, world):
    other = SectionFactory()
    assert ids(api_as(None).get(f"/api/v1/comments/?section={other.pk}")) == set()
