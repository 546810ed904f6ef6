"""Tallies through the API: exact, one row per item, full shape."""

import pytest

from voting import services
from voting.models import Choice, Tally, VoteChain

pytestmark = pytest.mark.django_db


def test_item_tally_counts_every_choice(
    api_as, anonymous, representative, other_representative, stance_item
):
    services.vote_cast(actor=representative, item=stance_item, choice="for")
    services.vote_cast(actor=other_representative, item=stance_item, choice="for")

    response = api_as(None).get(f"/api/v1/items/{stance_item.pk}/tally/")

    assert response.status_code == 200
    head = VoteChain.objects.get(consultation=stance_item.consultation)
    assert response.json() == {
        "item": stance_item.pk,
        "counts": {"for": 2, "against": 0, "abstain": 0},
        "total": 2,
        "hidden": False,
        "chain": {"length": 2, "head": head.head},
    }


def test_item_without_votes_has_a_zero_tally(api_as, stance_item):
    body = api_as(None).get(f"/api/v1/items/{stance_item.pk}/tally/").json()

    assert body["counts"] == {"for": 0, "against": 0, "abstain": 0}
    assert body["total"] == 0


def test_approval_tally_counts_approvals(api_as, representative, approval_items):
    services.vote_cast(actor=representative, item=approval_items[1], choice="approve")

    body = api_as(None).get(f"/api/v1/items/{approval_items[1].pk}/tally/").json()

    assert body["counts"] == {"approve": 1}


def test_consultation_tallies_list_every_item(
    api_as, representative, approval_consultation, approval_items
):
    services.vote_cast(actor=representative, item=approval_items[0], choice="approve")

    body = api_as(None).get(f"/api/v1/consultations/{approval_consultation.pk}/tallies/").json()

    assert [row["item"] for row in body["results"]] == [item.pk for item in approval_items]
    assert body["results"][0]["counts"] == {"approve": 1}
    assert body["hidden"] is False


def test_draft_consultation_tallies_are_hidden_from_the_public(api_as, draft_consultation):
    response = api_as(None).get(f"/api/v1/consultations/{draft_consultation.pk}/tallies/")

    assert response.status_code == 404


def test_reading_a_tally_is_a_single_row(api_as, stance_item, django_assert_max_num_queries):
    client = api_as(None)
    # the item with its consultation, then the tally and the chain head: primary-key rows
    with django_assert_max_num_queries(3):
        client.get(f"/api/v1/items/{stance_item.pk}/tally/")


def test_consultation_tallies_have_no_n_plus_one(
    api_as, representative, approval_consultation, approval_items, django_assert_max_num_queries
):
    for item in approval_items[:3]:
        services.vote_cast(actor=representative, item=item, choice="approve")
    client = api_as(None)
    with django_assert_max_num_queries(3):  # the consultation, the items + tallies, the head
        response = client.get(f"/api/v1/consultations/{approval_consultation.pk}/tallies/")
    assert len(response.json()["results"]) == 5


def test_every_choice_has_its_own_counter_field():
    assert set(Tally.COLUMNS) == set(Choice)
    fields = {Tally._meta.get_field(column).name for column in Tally.COLUMNS.values()}
    assert len(fields) == len(Choice)
