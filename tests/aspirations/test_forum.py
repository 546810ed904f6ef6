"""A Musrenbang forum held as a live hearing: proposals on the agenda (by the officials of
their stage and area), their supports and the forum's scores live on the big screen."""

import pytest
from django.db import IntegrityError, transaction

from aspirations import decisions, forum, payloads, supports
from aspirations.models import ForumProposal, Stage
from consultations.models import Consultation
from hearings import services as hearing_services
from hearings.models import AgendaItem, Hearing
from realtime import events, live
from realtime.models import StreamEvent
from tests.factories import ConsultationFactory, ForumProposalFactory, HearingFactory
from tests.realtime.reducer import apply_event

pytestmark = pytest.mark.django_db


def put_on_agenda(api_as, user, proposal, hearing, **body):
    return api_as(user).post(
        f"/api/v1/aspirations/{proposal.pk}/agenda/",
        {"hearing": hearing.pk, **body},
        format="json",
    )


def forum_events(hearing) -> list[dict]:
    return [e for e in events.events_after(hearing.stream, 0) if e["type"] == "forum.changed"]


def nothing_written(hearing) -> bool:
    return (
        not ForumProposal.objects.exists()
        and AgendaItem.objects.filter(hearing=hearing).count() == 1
        and not forum_events(hearing)
    )


# --- putting a proposal on the agenda ---------------------------------------------------------


def test_the_kelurahan_official_puts_a_proposal_on_the_forum_agenda(
    api_as, lurah, proposal, hearing
):
    answer = put_on_agenda(api_as, lurah, proposal, hearing)

    assert answer.status_code == 201, answer.content
    link = ForumProposal.objects.get()
    assert (link.hearing, link.aspiration, link.stage) == (hearing, proposal, Stage.KELURAHAN)
    assert answer.json() == payloads.proposal(link)
    assert answer.json()["supports"] == {"organizations": 0, "citizens": 0}
    assert link.agenda_item.position == 2
    assert f"#{proposal.pk}" in link.agenda_item.title
    types = [e["type"] for e in events.events_after(hearing.stream, 0)]
    assert types[-2:] == ["agenda.changed", "forum.changed"]


def test_a_position_puts_it_first(api_as, lurah, proposal, hearing):
    put_on_agenda(api_as, lurah, proposal, hearing, position=1)
    assert ForumProposal.objects.get().agenda_item.position == 1


@pytest.mark.parametrize("position", [0, "x", 10_001])
def test_a_bad_position_is_refused(api_as, lurah, proposal, hearing, position):
    assert put_on_agenda(api_as, lurah, proposal, hearing, position=position).status_code == 400
    assert nothing_written(hearing)


def test_an_official_of_another_kelurahan_is_refused(api_as, lurah_trajeng, proposal, hearing):
    answer = put_on_agenda(api_as, lurah_trajeng, proposal, hearing)
    assert answer.status_code == 403
    assert "Kelurahan" in answer.json()["detail"] or "kelurahan" in answer.json()["detail"]
    assert nothing_written(hearing)


def test_an_official_of_another_stage_is_refused(api_as, camat, proposal, hearing):
    assert put_on_agenda(api_as, camat, proposal, hearing).status_code == 403
    assert nothing_written(hearing)


def test_an_official_without_a_stage_and_a_representative_are_refused(
    api_as, official, representative, proposal, hearing
):
    assert put_on_agenda(api_as, official, proposal, hearing).status_code == 403
    assert put_on_agenda(api_as, representative, proposal, hearing).status_code == 403
    assert nothing_written(hearing)


@pytest.mark.parametrize("outcome", ["rejected", "merged"])
def test_a_decided_proposal_is_not_put_on_the_agenda(
    api_as, lurah, propose, representative, proposal, hearing, outcome
):
    other = propose(representative, title="Saluran Jl. Hasanudin")
    fields = {"merged_into": other} if outcome == "merged" else {}
    decisions.aspiration_decide(
        actor=lurah,
        aspiration=proposal,
        outcome=outcome,
        reason="Sudah ditangani oleh usulan lain tahun ini.",
        **fields,
    )
    answer = put_on_agenda(api_as, lurah, proposal, hearing)
    assert answer.status_code == 409
    assert "decided" in answer.json()["detail"] or "diputuskan" in answer.json()["detail"]
    assert nothing_written(hearing)


def test_a_forwarded_proposal_goes_on_the_next_stage_forum_only(
    api_as, lurah, camat, proposal, hearing
):
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    assert put_on_agenda(api_as, lurah, proposal, hearing).status_code == 403
    assert put_on_agenda(api_as, camat, proposal, hearing).status_code == 201
    assert ForumProposal.objects.get().stage == Stage.KECAMATAN


def test_an_ended_hearing_gets_no_proposal(api_as, lurah, moderator, proposal, hearing):
    hearing_services.hearing_start(actor=moderator, hearing=hearing)
    hearing_services.hearing_end(actor=moderator, hearing=hearing)
    answer = put_on_agenda(api_as, lurah, proposal, hearing)
    assert answer.status_code == 409
    assert nothing_written(hearing)


def test_a_proposal_goes_on_an_agenda_once(api_as, lurah, proposal, hearing):
    put_on_agenda(api_as, lurah, proposal, hearing)
    answer = put_on_agenda(api_as, lurah, proposal, hearing)
    assert answer.status_code == 409
    assert ForumProposal.objects.count() == 1
    assert AgendaItem.objects.filter(hearing=hearing).count() == 2
    assert len(forum_events(hearing)) == 1


def test_a_hearing_of_another_consultation_is_refused(api_as, lurah, official, proposal):
    other = HearingFactory(consultation=ConsultationFactory(title="Ranperwal RTH"))
    answer = put_on_agenda(api_as, lurah, proposal, other)
    assert answer.status_code == 400
    assert answer.json()["hearing"] == [answer.json()["detail"]]
    assert not ForumProposal.objects.exists()


def test_an_unknown_hearing_is_a_clear_400(api_as, lurah, proposal):
    answer = api_as(lurah).post(
        f"/api/v1/aspirations/{proposal.pk}/agenda/", {"hearing": 999999}, format="json"
    )
    assert answer.status_code == 400
    assert "hearing" in str(answer.json())


# --- taking it off ----------------------------------------------------------------------------


def remove(api_as, user, proposal, hearing):
    return api_as(user).delete(f"/api/v1/aspirations/{proposal.pk}/agenda/{hearing.pk}/")


def test_the_official_takes_a_proposal_off_the_agenda(api_as, lurah, proposal, hearing):
    put_on_agenda(api_as, lurah, proposal, hearing)
    assert remove(api_as, lurah, proposal, hearing).status_code == 204
    assert not ForumProposal.objects.exists()
    assert AgendaItem.objects.filter(hearing=hearing).count() == 1
    assert forum_events(hearing)[-1]["data"] == {"hearing": hearing.pk, "proposals": []}


def test_taking_off_what_is_not_there_is_404(api_as, lurah, proposal, hearing):
    assert remove(api_as, lurah, proposal, hearing).status_code == 404


def test_another_area_does_not_take_it_off(api_as, lurah, lurah_trajeng, proposal, hearing):
    put_on_agenda(api_as, lurah, proposal, hearing)
    assert remove(api_as, lurah_trajeng, proposal, hearing).status_code == 403
    assert ForumProposal.objects.count() == 1


def test_the_stage_it_was_put_on_for_takes_it_off_after_a_forward(
    api_as, lurah, camat, proposal, hearing
):
    put_on_agenda(api_as, lurah, proposal, hearing)
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    assert remove(api_as, camat, proposal, hearing).status_code == 403
    assert remove(api_as, lurah, proposal, hearing).status_code == 204


def test_the_item_under_discussion_stays(api_as, lurah, moderator, proposal, hearing):
    put_on_agenda(api_as, lurah, proposal, hearing, position=1)
    hearing_services.hearing_start(actor=moderator, hearing=hearing)
    assert remove(api_as, lurah, proposal, hearing).status_code == 409
    assert ForumProposal.objects.count() == 1


def test_an_ended_hearing_keeps_its_agenda(api_as, lurah, moderator, proposal, hearing):
    put_on_agenda(api_as, lurah, proposal, hearing)
    hearing_services.hearing_start(actor=moderator, hearing=hearing)
    hearing_services.hearing_end(actor=moderator, hearing=hearing)
    assert remove(api_as, lurah, proposal, hearing).status_code == 409
    assert ForumProposal.objects.count() == 1


# --- the link ---------------------------------------------------------------------------------


def test_the_database_keeps_a_proposal_once_per_hearing(proposal):
    link = ForumProposalFactory(aspiration=proposal)
    with pytest.raises(IntegrityError), transaction.atomic():
        ForumProposalFactory(aspiration=proposal, hearing=link.hearing)


def test_removing_the_agenda_item_removes_the_link(proposal):
    link = ForumProposalFactory(aspiration=proposal)
    link.agenda_item.delete()
    assert not ForumProposal.objects.exists()


# --- live: supports and scores on the big screen ---------------------------------------------


def test_a_support_publishes_the_new_counts_on_the_forum(
    lurah, proposal, hearing, other_representative, citizen
):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    supports.aspiration_support(actor=other_representative, aspiration=proposal)
    supports.aspiration_support(actor=citizen, aspiration=proposal)

    last = forum_events(hearing)[-1]["data"]
    assert last["proposals"][0]["supports"] == {"organizations": 1, "citizens": 1}
    assert set(last["proposals"][0]) == set(payloads.PROPOSAL)

    supports.aspiration_unsupport(actor=citizen, aspiration=proposal)
    assert forum_events(hearing)[-1]["data"]["proposals"][0]["supports"]["citizens"] == 0


def test_supporting_twice_publishes_once(lurah, proposal, hearing, citizen):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    supports.aspiration_support(actor=citizen, aspiration=proposal)
    supports.aspiration_support(actor=citizen, aspiration=proposal)
    assert len(forum_events(hearing)) == 2  # the add, the first support


def test_a_proposal_on_no_agenda_publishes_nothing(proposal, hearing, citizen):
    supports.aspiration_support(actor=citizen, aspiration=proposal)
    assert not StreamEvent.objects.filter(type="forum.changed").exists()


def test_an_ended_forum_hears_no_more(lurah, moderator, proposal, hearing, citizen):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    hearing_services.hearing_start(actor=moderator, hearing=hearing)
    hearing_services.hearing_end(actor=moderator, hearing=hearing)
    before = len(forum_events(hearing))
    supports.aspiration_support(actor=citizen, aspiration=proposal)
    assert len(forum_events(hearing)) == before


def test_a_score_shows_per_criterion_with_the_total(lurah, proposal, hearing, criteria):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    decisions.aspiration_score(
        actor=lurah, aspiration=proposal, scores=[(criteria[0], 5), (criteria[2], 3)]
    )
    shown = forum_events(hearing)[-1]["data"]["proposals"][0]
    assert [(s["name"], s["value"]) for s in shown["scores"]] == [
        ("Urgensi", 5),
        ("Kesesuaian dengan misi RPJMD", 3),
    ]
    assert shown["score_total"] == 8


def test_a_score_at_a_later_stage_is_not_news_for_the_earlier_forum(
    lurah, camat, proposal, hearing, criteria
):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    decisions.aspiration_score(actor=lurah, aspiration=proposal, scores=[(criteria[0], 4)])
    decisions.aspiration_decide(actor=lurah, aspiration=proposal, outcome="forwarded")
    before = forum_events(hearing)
    assert before[-1]["data"]["proposals"][0]["status"] == "forwarded"

    decisions.aspiration_score(actor=camat, aspiration=proposal, scores=[(criteria[0], 1)])
    after = forum_events(hearing)
    assert len(after) == len(before)
    assert live.hearing_state(hearing)["forum"]["proposals"][0]["score_total"] == 4


def test_a_refused_support_publishes_nothing(lurah, proposal, hearing, representative):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    with pytest.raises(Exception):  # noqa: B017 - an organization's own proposal: NotAllowed
        supports.aspiration_support(actor=representative, aspiration=proposal)
    assert len(forum_events(hearing)) == 1


# --- the snapshot and the reducer -------------------------------------------------------------


def test_the_snapshot_lists_the_forum_in_the_order_proposals_were_put_on_the_agenda(
    api_as, lurah, propose, citizen, hearing
):
    first = propose(citizen, title="Lampu jalan RW 05")
    second = propose(citizen, title="Saluran RW 02")
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=first)
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=second, position=1)
    state = live.hearing_state(Hearing.objects.get(pk=hearing.pk))
    proposals = state["forum"]["proposals"]
    assert [p["title"] for p in proposals] == ["Lampu jalan RW 05", "Saluran RW 02"]
    items = {item["id"]: item["position"] for item in state["agenda"]["agenda"]}
    assert [items[p["agenda_item"]] for p in proposals] == [3, 1]  # the agenda has its order
    assert state["forum"]["proposals"][0]["kelurahan"] == "Panggungrejo"
    assert state["forum"]["proposals"][0]["estimated_cost"] == "150000000.00"


def test_the_forum_part_costs_the_same_queries_for_many_proposals(
    lurah, propose, citizen, hearing, criteria, django_assert_max_num_queries
):
    for n in range(8):
        proposal = propose(citizen, title=f"Usulan {n}")
        forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
        decisions.aspiration_score(actor=lurah, aspiration=proposal, scores=[(criteria[0], 3)])
    with django_assert_max_num_queries(2):
        shown = payloads.forum(hearing)
    assert len(shown["proposals"]) == 8


def test_a_support_applied_to_the_snapshot_gives_the_fresh_snapshot(
    lurah, moderator, proposal, hearing, citizen
):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    hearing_services.hearing_start(actor=moderator, hearing=hearing)
    seq = events.current_seq(hearing.stream)
    state = live.hearing_state(Hearing.objects.get(pk=hearing.pk))

    supports.aspiration_support(actor=citizen, aspiration=proposal)

    for event in events.events_after(hearing.stream, seq):
        apply_event(state, event)
    assert state == live.hearing_state(Hearing.objects.get(pk=hearing.pk))
    assert state["forum"]["proposals"][0]["supports"]["citizens"] == 1


# --- the pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label"), [("id", "Usulan Musrenbang"), ("en", "Musrenbang proposal")]
)
def test_the_screen_room_and_console_carry_the_forum_panel_and_state(
    client, official, lurah, proposal, hearing, criteria, language, label
):
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)
    client.cookies["django_language"] = language
    pages = [
        f"/hearings/{hearing.pk}/screen/?key={hearing.display_key}",
        f"/hearings/{hearing.pk}/",
    ]
    for path in pages:
        content = client.get(path).content.decode()
        assert 'id="forum-proposal"' in content and label in content, path
        assert f'"proposals": [{{"id": {proposal.pk}' in content, path
    client.force_login(official)
    content = client.get(f"/hearings/{hearing.pk}/console/").content.decode()
    assert 'id="forum-link"' in content and label in content
    assert 'id="forum-score-form"' in content and "Jangkauan manfaat" in content


# --- the proposal's page says where it is discussed ---------------------------------------------


def test_the_proposal_page_says_at_which_forum_and_when_it_is_discussed(
    client, lurah, propose, citizen, hearing
):
    proposal = propose(citizen, title="Lampu jalan RW 05")
    forum.forum_agenda_add(actor=lurah, hearing=hearing, aspiration=proposal)

    page = client.get(f"/aspirasi/{proposal.pk}/").content.decode()

    assert "Dibahas di forum" in page
    assert f'href="/hearings/{hearing.pk}/"' in page
    assert "Musrenbang Kelurahan Panggungrejo" in page
    assert "Terjadwal" in page


def test_a_proposal_on_no_agenda_has_no_forum_section(client, propose, citizen, hearing):
    proposal = propose(citizen, title="Lampu jalan RW 05")

    page = client.get(f"/aspirasi/{proposal.pk}/").content.decode()

    assert "Dibahas di forum" not in page


def test_a_forum_of_a_draft_consultation_stays_hidden_from_the_public(client, propose, citizen):
    proposal = propose(citizen, title="Lampu jalan RW 05")
    draft = ConsultationFactory(status=Consultation.Status.DRAFT)
    ForumProposalFactory(aspiration=proposal, hearing=HearingFactory(consultation=draft))

    page = client.get(f"/aspirasi/{proposal.pk}/").content.decode()

    assert "Dibahas di forum" not in page
