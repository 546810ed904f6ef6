"""A consultation, in the API and as a page: as many queries for 50 comments and votes as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Membership
from tests.factories import (
    CommentFactory,
    ItemFactory,
    MembershipFactory,
    OrganizationFactory,
    ResponseFactory,
    UserFactory,
)
from tests.pages_support import client_for
from voting import services as voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(open_consultation, representative):
    """grow(n): n more comments (on the sections, some answered) and n more votes.

    The consultation has five items; the representative's organization votes on all of them
    first, then one more organization per five votes.
    """
    for _ in range(4):
        ItemFactory(consultation=open_consultation)
    items = list(open_consultation.items.order_by("position", "id"))
    sections = list(open_consultation.sections.order_by("position"))
    voters = [representative]

    def add(n):
        for k in range(n):
            comment = CommentFactory(consultation=open_consultation, section=sections[k % 3])
            if k % 2:
                ResponseFactory(comment=comment, published_at=comment.created_at)
        for _ in range(n // len(items)):
            voter = voters.pop() if voters else new_representative()
            for item in items:
                voting.vote_cast(actor=voter, item=item, choice="for")

    return add


def new_representative():
    return MembershipFactory(
        user=UserFactory(),
        organization=OrganizationFactory(),
        role=Membership.Role.REPRESENTATIVE,
    ).user


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(queries)


def test_the_consultation_in_the_api_costs_the_same_queries_for_50_as_for_5(
    open_consultation, representative, grow
):
    url = f"/api/v1/consultations/{open_consultation.pk}/"
    anonymous = APIClient()
    token = AuthToken.objects.create(user=representative)[1]
    signed_in = APIClient()
    signed_in.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    grow(5)
    few = [queries_of(anonymous, url), queries_of(signed_in, url)]
    grow(45)
    assert [queries_of(anonymous, url), queries_of(signed_in, url)] == few
    assert few[0] <= 2


@pytest.mark.parametrize("persona", ["anonymous", "representative", "moderator"])
def test_the_consultation_page_costs_the_same_queries_for_50_as_for_5(
    persona, request, open_consultation, grow
):
    """Sections with their comment counts, items with tallies and the organization's votes."""
    user = request.getfixturevalue(persona)
    client = client_for(user if user.is_authenticated else None)
    url = reverse("consultation-detail", args=[open_consultation.pk])
    grow(5)
    few = queries_of(client, url)
    grow(45)
    assert queries_of(client, url) == few
    assert few <= 14
