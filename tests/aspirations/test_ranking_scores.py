"""The forum's scores (1–5 per criterion, at the proposal's stage) and the ranking they make."""

import pytest

from aspirations import decisions, lists, supports
from aspirations.models import Score

pytestmark = pytest.mark.django_db


def scores(api_as, user, proposal, entries):
    body = {"scores": [{"criterion": c.pk, "value": v} for c, v in entries]}
    return api_as(user).put(f"/api/v1/aspirations/{proposal.pk}/scores/", body, format="json")


def test_the_stage_official_scores_and_scoring_again_replaces(api_as, lurah, proposal, criteria):
    urgency = criteria[0]
    assert scores(api_as, lurah, proposal, [(urgency, 3)]).status_code == 200
    answer = scores(api_as, lurah, proposal, [(urgency, 5)])
    assert [(s["criterion_name"], s["stage"], s["value"]) for s in answer.json()] == [
        ("Urgensi", "kelurahan", 5)
    ]
    assert Score.objects.count() == 1


@pytest.mark.parametrize("value", [0, 6, -1, 2.5, True, "vier"])
def test_a_score_is_a_whole_number_from_1_to_5(api_as, lurah, proposal, criteria, value):
    answer = scores(api_as, lurah, proposal, [(criteria[0], value)])
    assert answer.status_code == 400
    assert not Score.objects.exists()


def test_a_criterion_is_scored_once_per_call(api_as, lurah, proposal, criteria):
    answer = scores(api_as, lurah, proposal, [(criteria[0], 3), (criteria[0], 4)])
    assert answer.status_code == 400


def test_a_retired_criterion_is_not_scored(api_as, lurah, official, proposal, criteria):
    lists.criterion_update(actor=official, criterion=criteria[0], is_active=False)
    assert scores(api_as, lurah, proposal, [(criteria[0], 3)]).status_code == 400


def test_only_the_stage_official_scores(api_as, camat, representative, proposal, criteria):
    assert scores(api_as, camat, proposal, [(criteria[0], 3)]).status_code == 403
    assert scores(api_as, representative, proposal, [(criteria[0], 3)]).status_code == 403


def test_a_decided_proposal_is_not_scored_any_more(api_as, lurah, proposal, criteria):
    decisions.aspiration_decide(
        actor=lurah, aspiration=proposal, outcome="rejected", reason="Sudah dikerjakan swadaya."
    )
    assert scores(api_as, lurah, proposal, [(criteria[0], 3)]).status_code == 409


def test_scores_are_kept_per_stage(api_as, lurah, camat, proposal, criteria):
    scores(api_as, lurah, proposal, [(criteria[0], 2)])
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    scores(api_as, camat, proposal, [(criteria[0], 5)])
    answer = api_as(None).get(f"/api/v1/aspirations/{proposal.pk}/scores/").json()
    assert [(s["stage"], s["value"]) for s in answer] == [("kecamatan", 5), ("kelurahan", 2)]


def test_the_ranking_orders_by_score_then_organizations_then_citizens(
    api_as, lurah, propose, citizen, other_representative, criteria, kel_panggungrejo
):
    low = propose(citizen, title="Skor rendah")
    high = propose(citizen, title="Skor tinggi")
    tie_backed = propose(citizen, title="Seri, didukung organisasi")
    tie_plain = propose(citizen, title="Seri, tanpa dukungan")
    for proposal, value in ((low, 1), (high, 5), (tie_backed, 3), (tie_plain, 3)):
        decisions.aspiration_score(actor=lurah, aspiration=proposal, scores=[(criteria[0], value)])
    supports.aspiration_support(actor=other_representative, aspiration=tie_backed)
    answer = api_as(None).get(
        f"/api/v1/aspirations/ranking/?stage=kelurahan&kelurahan={kel_panggungrejo.pk}"
    )
    assert [(row["rank"], row["aspiration"]["title"], row["score"]) for row in answer.json()] == [
        (1, "Skor tinggi", 5),
        (2, "Seri, didukung organisasi", 3),
        (3, "Seri, tanpa dukungan", 3),
        (4, "Skor rendah", 1),
    ]


def test_the_ranking_of_a_stage_keeps_the_proposals_that_moved_on(
    api_as, lurah, proposal, propose, citizen, kel_panggungrejo
):
    other = propose(citizen, title="Masih di kelurahan")
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    rows = (
        api_as(None)
        .get(f"/api/v1/aspirations/ranking/?stage=kelurahan&kelurahan={kel_panggungrejo.pk}")
        .json()
    )
    assert {row["aspiration"]["id"] for row in rows} == {proposal.pk, other.pk}
    rows = api_as(None).get("/api/v1/aspirations/ranking/?stage=kota").json()
    assert rows == []


def test_a_decision_keeps_the_rank_the_proposal_had(lurah, propose, citizen, criteria):
    first = propose(citizen, title="Pertama")
    second = propose(citizen, title="Kedua")
    decisions.aspiration_score(actor=lurah, aspiration=first, scores=[(criteria[0], 5)])
    decisions.aspiration_score(actor=lurah, aspiration=second, scores=[(criteria[0], 4)])
    decision = decisions.aspiration_decide(actor=lurah, aspiration=second, outcome="forwarded")
    assert (decision.rank, decision.ranked_among, decision.score) == (2, 2, 4)


@pytest.mark.parametrize(
    "query",
    [
        "stage=bogus",
        "stage=kelurahan",
        "stage=kecamatan&kecamatan=abc",
        "stage=kecamatan&kecamatan=99999999999999999999999",
    ],
)
def test_a_ranking_without_a_valid_area_is_a_clear_400(api_as, query):
    answer = api_as(None).get(f"/api/v1/aspirations/ranking/?{query}")
    assert answer.status_code == 400
    assert answer.json()["detail"]
