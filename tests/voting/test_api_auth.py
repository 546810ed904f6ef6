"""Token authentication on the vote endpoint (the path apps and the benchmark use)."""

import pytest
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from voting.models import Vote
from voting.serializers import VoteOutput

pytestmark = pytest.mark.django_db


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + AuthToken.objects.create(user=user)[1])
    return client


def test_representative_votes_with_a_token(representative, stance_item):
    response = token_client(representative).put(
        f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "for"}, format="json"
    )

    assert response.status_code == 200


def test_citizen_with_a_token_is_refused_with_the_reason(citizen, stance_item):
    response = token_client(citizen).put(
        f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "for"}, format="json"
    )

    assert response.status_code == 403


def test_a_wrong_token_is_401(stance_item):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")

    response = client.put(f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "for"}, format="json")

    assert response.status_code == 401


def test_an_inactive_user_token_is_401(representative, stance_item):
    client = token_client(representative)
    representative.is_active = False
    representative.save()

    response = client.put(f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "for"}, format="json")

    assert response.status_code == 401


def test_a_vote_costs_a_fixed_number_of_queries(
    representative, stance_item, django_assert_num_queries
):
    """Token + membership + organization, item, vote lock (+ ballot salt), chain head
    lock (only while voting is open, on the database's clock), the write (record, head,
    vote and tally returning the counts: one statement on PostgreSQL, four on SQLite),
    stream counter update (returning the seq), event, and the transaction's begin and end
    (here a savepoint and its release)."""
    client = token_client(representative)
    client.put(f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "for"}, format="json")
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 12):
        response = client.put(
            f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "against"}, format="json"
        )
    assert response.status_code == 200


def test_the_vote_answer_has_the_documented_shape(representative, stance_item):
    response = token_client(representative).put(
        f"/api/v1/items/{stance_item.pk}/vote/", {"choice": "for"}, format="json"
    )

    stored = Vote.objects.get(item=stance_item)
    assert response.json() == VoteOutput(stored).data
