"""Constant query counts: the public list (with every filter), a proposal, the triage queue
and the ranking cost the same number of queries for 3 proposals as for 30."""

import pytest

from aspirations import decisions, supports
from tests.factories import (
    AspirationFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(rpjmd, kel_panggungrejo, public_works, lurah, criteria, drainage_programme):
    def make(n):
        made = []
        for i in range(n):
            organization = OrganizationFactory()
            made.append(
                AspirationFactory(
                    consultation=rpjmd,
                    kelurahan=kel_panggungrejo,
                    category=public_works,
                    organization=organization if i % 2 else None,
                    author=UserFactory(),
                )
            )
            supporter = MembershipFactory(
                organization=OrganizationFactory(), role="representative"
            ).user
            supports.aspiration_support(actor=supporter, aspiration=made[-1])
            decisions.aspiration_score(
                actor=lurah, aspiration=made[-1], scores=[(criteria[0], i % 5 + 1)]
            )
        return made

    return make


def count_queries(django_assert_max_num_queries, call, limit):
    call()  # warm: what a user object caches for the rest of its request is not counted
    with django_assert_max_num_queries(limit) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?stage=kelurahan&status=submitted",
        "?kecamatan=1&kelurahan=1&category=1&q=saluran",
        "?supported_by_my_organization=true",
    ],
)
def test_the_public_list_costs_the_same_for_3_and_30(
    many, api_as, client, representative, django_assert_max_num_queries, query
):
    many(3)
    api = api_as(representative)
    small_api = count_queries(
        django_assert_max_num_queries, lambda: api.get(f"/api/v1/aspirations/{query}"), 12
    )
    client.force_login(representative)
    small_page = count_queries(
        django_assert_max_num_queries, lambda: client.get(f"/aspirasi/{query}"), 20
    )
    many(27)
    assert (
        count_queries(
            django_assert_max_num_queries, lambda: api.get(f"/api/v1/aspirations/{query}"), 12
        )
        == small_api
    )
    assert (
        count_queries(django_assert_max_num_queries, lambda: client.get(f"/aspirasi/{query}"), 20)
        == small_page
    )


def test_the_triage_queue_and_the_ranking_cost_the_same_for_3_and_30(
    many, client, lurah, kel_panggungrejo, django_assert_max_num_queries
):
    client.force_login(lurah)
    many(3)
    ranking = f"/api/v1/aspirations/ranking/?stage=kelurahan&kelurahan={kel_panggungrejo.pk}"
    counts = [
        count_queries(django_assert_max_num_queries, lambda: client.get("/aspirasi/triase/"), 20),
        count_queries(django_assert_max_num_queries, lambda: client.get(ranking), 12),
    ]
    many(27)
    assert [
        count_queries(django_assert_max_num_queries, lambda: client.get("/aspirasi/triase/"), 20),
        count_queries(django_assert_max_num_queries, lambda: client.get(ranking), 12),
    ] == counts


def test_a_proposal_page_costs_the_same_with_many_decisions_and_supports(
    many, client, lurah, camat, rpjmd, django_assert_max_num_queries
):
    proposal = many(1)[0]
    first = count_queries(
        django_assert_max_num_queries, lambda: client.get(f"/aspirasi/{proposal.pk}/"), 25
    )
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    decisions.aspiration_decide(
        actor=camat, aspiration=proposal, outcome="deferred", reason="Menunggu kajian teknis."
    )
    for _ in range(5):
        user = MembershipFactory(organization=OrganizationFactory(), role="representative").user
        supports.aspiration_support(actor=user, aspiration=proposal)
    assert (
        count_queries(
            django_assert_max_num_queries, lambda: client.get(f"/aspirasi/{proposal.pk}/"), 25
        )
        == first
    )


def test_the_api_list_pages_by_cursor(many, api_as):
    many(5)
    api = api_as(None)
    first = api.get("/api/v1/aspirations/?page_size=2").json()
    second = api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4
