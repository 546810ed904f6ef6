"""The comment list costs a constant number of queries, however many comments and replies."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from comments.models import Comment, Response
from tests.factories import (
    CommentFactory,
    HearingFactory,
    OrganizationFactory,
    ResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_section(open_consultation, pasal_1):
    organizations = [OrganizationFactory() for _ in range(5)]
    authors = [UserFactory() for _ in range(10)]
    for n in range(50):
        top = CommentFactory(
            consultation=open_consultation,
            section=pasal_1,
            author=authors[n % 10],
            organization=organizations[n % 5],
        )
        CommentFactory(
            consultation=open_consultation,
            section=pasal_1,
            parent=top,
            author=authors[(n + 1) % 10],
            organization=organizations[(n + 1) % 5],
        )
        if n % 3 == 0:
            ResponseFactory(comment=top, published_at=top.created_at)
    return pasal_1


@pytest.mark.parametrize("persona", ["anonymous", "member", "moderator", "official"])
def test_listing_100_comments_and_replies_takes_a_bounded_number_of_queries(
    persona, request, api_as, busy_section, django_assert_max_num_queries
):
    client = api_as(request.getfixturevalue(persona))
    with django_assert_max_num_queries(8):
        answer = client.get(f"/api/v1/comments/?section={busy_section.pk}&page_size=200")
    assert len(answer.json()["results"]) == 100


def test_nested_listing_is_bounded_too(
    api_as, busy_section, open_consultation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        answer = api_as(None).get(
            f"/api/v1/consultations/{open_consultation.pk}/comments/?page_size=200"
        )
    assert len(answer.json()["results"]) == 100


# --- Scale of reads (issue 7): as many queries for 30 comments as for 3, on any page ---


@pytest.fixture
def grow(open_consultation, pasal_1, organization, member):
    """grow(n): n more top-level comments and n more replies, each matching every filter.

    Every comment is on the same section, item and hearing, by the member for the
    organization, a published question with a published response, one minute after the last.
    """
    item = open_consultation.items.get()
    hearing = HearingFactory(consultation=open_consultation)
    responder = UserFactory()
    parent = CommentFactory(consultation=open_consultation, created_at=START)
    fields = {
        "consultation": open_consultation,
        "section": pasal_1,
        "item": item,
        "hearing": hearing,
        "author": member,
        "organization": organization,
        "stance": Comment.Stance.QUESTION,
    }

    def add(n):
        comments = []
        for parent_or_none in (None, parent):
            for _ in range(n):
                add.minutes += 1
                created_at = START + datetime.timedelta(minutes=add.minutes)
                comments.append(
                    CommentFactory.build(parent=parent_or_none, created_at=created_at, **fields)
                )
        Comment.objects.bulk_create(comments)
        Response.objects.bulk_create(
            ResponseFactory.build(comment=c, responder=responder, published_at=c.created_at)
            for c in comments
        )

    add.minutes = 0
    add.filters = {
        "no filter": {},
        "consultation": {"consultation": open_consultation.pk},
        "section": {"section": pasal_1.pk},
        "item": {"item": item.pk},
        "hearing": {"hearing": hearing.pk},
        "parent": {"parent": parent.pk},
        "organization": {"organization": organization.pk},
        "author": {"author": member.pk},
        "stance": {"stance": Comment.Stance.QUESTION},
        "status": {"status": Comment.Status.PUBLISHED},
        "since": {"created_after": START.isoformat()},
        "until": {"created_before": (START + datetime.timedelta(days=30)).isoformat()},
        "has_response": {"has_response": "true"},
        "top_level": {"top_level": "true"},
        "search": {"q": "diperjelas"},
    }
    return add


START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
PERSONAS = ["anonymous", "member", "moderator"]


def reader(user) -> APIClient:
    """A client as the API sees one: a token per request, so nothing is cached on the user."""
    client = APIClient()
    if user.is_authenticated:
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user)[1]}")
    return client


def queries_of(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.content[:300])
    return len(queries), answer.json()


def comments_url(filters: dict) -> str:
    return "/api/v1/comments/?" + urlencode(filters)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_filter_costs_as_many_queries_for_30_comments_as_for_3(persona, request, grow):
    client = reader(request.getfixturevalue(persona))
    grow(3)
    few = {name: queries_of(client, comments_url(f))[0] for name, f in grow.filters.items()}
    grow(27)
    many = {name: queries_of(client, comments_url(f))[0] for name, f in grow.filters.items()}
    assert many == few
    assert max(many.values()) <= 4  # token, the user's groups, the page, its responses


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["no filter", "consultation", "section", "stance", "search"])
def test_a_page_deep_in_the_cursor_costs_as_many_queries_as_the_first(
    persona, name, request, grow, django_assert_num_queries
):
    client = reader(request.getfixturevalue(persona))
    grow(15)
    first, page = queries_of(client, comments_url({**grow.filters[name], "page_size": 5}))
    pages = 1
    while page["next"]:
        with django_assert_num_queries(first):
            page = client.get(page["next"]).json()
        assert page["results"]
        pages += 1
    assert pages >= 6  # 30 comments (31 for a moderator's unfiltered list), 5 a page
