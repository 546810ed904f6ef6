"""The comment list costs a constant number of queries, however many comments and replies."""

import pytest

from tests.factories import CommentFactory, OrganizationFactory, ResponseFactory, UserFactory

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
