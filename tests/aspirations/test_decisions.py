"""Decisions stage by stage: who may take them, what each outcome needs, what it does."""

import pytest

from aspirations import decisions, supports
from aspirations.models import Aspiration, Decision, Support
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def decide(api_as, user, proposal, **body):
    return api_as(user).post(f"/api/v1/aspirations/{proposal.pk}/decisions/", body, format="json")


def forward(actor, proposal):
    return decisions.aspiration_decide(actor=actor, aspiration=proposal, outcome="forwarded")


def test_forwarding_climbs_kelurahan_kecamatan_kota(api_as, lurah, camat, proposal):
    assert decide(api_as, lurah, proposal, outcome="forwarded").status_code == 201
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status) == ("kecamatan", "forwarded")
    assert decide(api_as, camat, proposal, outcome="forwarded").status_code == 201
    proposal.refresh_from_db()
    assert proposal.stage == "kota"


def test_an_official_of_another_stage_or_area_is_refused_and_nothing_is_written(
    api_as, camat, bappeda, lurah_trajeng, official, proposal
):
    for user in (camat, bappeda, lurah_trajeng):
        answer = decide(api_as, user, proposal, outcome="forwarded")
        assert answer.status_code == 403, user
    answer = decide(api_as, official, proposal, outcome="forwarded")
    assert answer.status_code == 403
    assert "tahap Musrenbang" in answer.json()["detail"]  # Indonesian by default
    assert not Decision.objects.exists()
    proposal.refresh_from_db()
    assert (proposal.stage, proposal.status) == ("kelurahan", "submitted")


def test_citizens_and_organizations_do_not_decide(
    api_as, representative, citizen, other_representative, proposal
):
    for user in (representative, citizen, other_representative):
        assert decide(api_as, user, proposal, outcome="forwarded").status_code == 403
    assert decide(api_as, None, proposal, outcome="forwarded").status_code == 401


def test_a_superuser_may_decide_at_any_stage(api_as, superuser, proposal):
    assert decide(api_as, superuser, proposal, outcome="forwarded").status_code == 201


@pytest.mark.parametrize("outcome", ["rejected", "deferred"])
def test_rejecting_or_deferring_needs_a_reason_a_citizen_can_read(api_as, lurah, proposal, outcome):
    for reason in ("", "   ", "tidak"):
        answer = decide(api_as, lurah, proposal, outcome=outcome, reason=reason)
        assert answer.status_code == 400
        assert "reason" in answer.json()
    assert not Decision.objects.exists()
    answer = decide(
        api_as, lurah, proposal, outcome=outcome, reason="Sudah dianggarkan lewat dana kelurahan."
    )
    assert answer.status_code == 201
    proposal.refresh_from_db()
    assert proposal.status == outcome


def test_a_deferred_proposal_can_be_taken_up_again(api_as, lurah, proposal):
    decide(api_as, lurah, proposal, outcome="deferred", reason="Menunggu hasil survei lapangan.")
    assert decide(api_as, lurah, proposal, outcome="forwarded").status_code == 201


def test_a_rejected_proposal_is_decided_for_good(api_as, lurah, proposal):
    decide(api_as, lurah, proposal, outcome="rejected", reason="Lokasi di luar wilayah kota.")
    assert decide(api_as, lurah, proposal, outcome="forwarded").status_code == 409
    assert Decision.objects.count() == 1


def test_only_the_city_accepts_and_only_into_its_plan(
    api_as, lurah, camat, bappeda, proposal, drainage_programme
):
    answer = decide(api_as, lurah, proposal, outcome="accepted", item=drainage_programme.pk)
    assert answer.status_code == 400
    forward(lurah, proposal)
    forward(camat, proposal)
    assert decide(api_as, bappeda, proposal, outcome="accepted").status_code == 400  # no item
    foreign = ItemFactory(code="9.99.99")
    answer = decide(api_as, bappeda, proposal, outcome="accepted", item=foreign.pk)
    assert answer.status_code == 400
    assert "item" in answer.json()
    answer = decide(api_as, bappeda, proposal, outcome="accepted", item=drainage_programme.pk)
    assert answer.status_code == 201
    proposal.refresh_from_db()
    assert (proposal.status, proposal.item_id, proposal.pagu) == (
        "accepted",
        drainage_programme.pk,
        None,
    )


def test_there_is_no_stage_after_the_city(api_as, lurah, camat, bappeda, proposal):
    forward(lurah, proposal)
    forward(camat, proposal)
    answer = decide(api_as, bappeda, proposal, outcome="forwarded")
    assert answer.status_code == 400
    assert "outcome" in answer.json()


def test_a_negative_pagu_is_refused(api_as, lurah, camat, bappeda, proposal, drainage_programme):
    forward(lurah, proposal)
    forward(camat, proposal)
    answer = decide(
        api_as, bappeda, proposal, outcome="accepted", item=drainage_programme.pk, pagu="-5"
    )
    assert answer.status_code == 400
    assert not Decision.objects.filter(outcome="accepted").exists()


def test_a_programme_is_named_only_by_an_acceptance(api_as, lurah, proposal, drainage_programme):
    answer = decide(api_as, lurah, proposal, outcome="forwarded", item=drainage_programme.pk)
    assert answer.status_code == 400


def test_an_unknown_outcome_is_refused(api_as, lurah, proposal):
    assert decide(api_as, lurah, proposal, outcome="approved").status_code == 400


# --- merging ----------------------------------------------------------------------------------


def test_a_merge_carries_supports_over_and_counts_a_double_supporter_once(
    api_as, lurah, other_representative, citizen, proposal, propose
):
    target = propose(citizen, title="Normalisasi saluran kawasan Panggungrejo")
    neighbour = UserFactory(username="tetangga")
    supports.aspiration_support(actor=other_representative, aspiration=proposal)
    supports.aspiration_support(actor=other_representative, aspiration=target)  # backs both
    supports.aspiration_support(actor=neighbour, aspiration=proposal)
    supports.aspiration_support(actor=citizen, aspiration=proposal)  # the target's proposer
    answer = decide(api_as, lurah, proposal, outcome="merged", merged_into=target.pk)
    assert answer.status_code == 201
    target.refresh_from_db()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.merged_into_id) == ("merged", target.pk)
    assert (target.support_organizations, target.support_citizens) == (1, 1)
    assert Support.objects.filter(aspiration=target, citizen=neighbour, via=proposal).exists()
    assert not Support.objects.filter(aspiration=target, citizen=citizen).exists()
    # the merged proposal keeps the counts it had, as the record of its supporters
    assert (proposal.support_organizations, proposal.support_citizens) == (1, 2)


def test_merge_into_itself_is_refused(api_as, lurah, proposal):
    answer = decide(api_as, lurah, proposal, outcome="merged", merged_into=proposal.pk)
    assert answer.status_code == 400
    assert "merged_into" in answer.json()
    assert not Decision.objects.exists()


def test_merge_into_a_merged_proposal_is_refused(api_as, lurah, proposal, propose, citizen):
    first = propose(citizen, title="Usulan A")
    second = propose(citizen, title="Usulan B")
    decisions.aspiration_decide(actor=lurah, aspiration=first, outcome="merged", merged_into=second)
    answer = decide(api_as, lurah, proposal, outcome="merged", merged_into=first.pk)
    assert answer.status_code == 400
    assert f"#{second.pk}" in answer.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.status == Aspiration.Status.SUBMITTED


def test_a_merge_needs_a_target_that_exists(api_as, lurah, proposal):
    assert decide(api_as, lurah, proposal, outcome="merged").status_code == 400
    assert decide(api_as, lurah, proposal, outcome="merged", merged_into=987654).status_code == 400


# --- the timeline -----------------------------------------------------------------------------


def test_every_decision_is_kept_dated_and_signed(api_as, lurah, camat, proposal, representative):
    forward(lurah, proposal)
    decisions.aspiration_decide(
        actor=camat, aspiration=proposal, outcome="deferred", reason="Dibahas lagi tahun depan."
    )
    timeline = api_as(representative).get(f"/api/v1/aspirations/{proposal.pk}/decisions/").json()
    assert [(d["stage"], d["outcome"], d["decided_by_name"]) for d in timeline] == [
        ("kelurahan", "forwarded", "Pak Lurah"),
        ("kecamatan", "deferred", "Bu Camat"),
    ]
    assert all(d["decided_at"] for d in timeline)
    assert timeline[1]["reason"] == "Dibahas lagi tahun depan."
