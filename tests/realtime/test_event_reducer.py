"""Zulip-style event tests: for every event type, a snapshot plus the events of a change,
applied as the page applies them, equals a fresh snapshot taken after the change.

Each case takes the snapshot the consumer sends (`snapshots.build`), makes the change
through the service, reads what the service emitted from the log, applies it with the
mirror of live.js (tests/realtime/reducer.py) and compares. Every emitted `data` is also
checked against its schema (`realtime.live.EVENT_DATA`). Both views are checked: the
public one and the moderators' (which also gets `comment.submitted` and the queue).
Where Node.js is installed, live.js's own `applyEvent` is run on the same events too and
must reach the same state as the mirror.
"""

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from comments import moderation as comment_moderation
from comments import services as comment_services
from consultations.models import Consultation
from hearings import questions as hearing_questions
from hearings import services as hearing_services
from hearings import speakers as hearing_speakers
from hearings.models import Hearing, SpeakerRequest
from realtime import events, live, snapshots
from tests.aspirations.forum_cases import FORUM_CASES, case_the_chair_moves_a_proposal_on_the_agenda
from tests.factories import AgendaItemFactory, HearingFactory
from tests.realtime.reducer import HANDLED, apply_event
from voting import services as voting_services

pytestmark = pytest.mark.django_db

VIEWS = {"public": events.PUBLIC, "moderator": events.MODERATION}
STATIC = Path(__file__).resolve().parents[2] / "realtime" / "static" / "realtime"
NODE = shutil.which("node")
RUNNER = """
import { applyEvent } from "%s";
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { state, events } = JSON.parse(input);
  for (const event of events) applyEvent(state, event);
  process.stdout.write(JSON.stringify(state));
});
"""


@pytest.fixture
def w(
    open_consultation,
    organization,
    official,
    moderator,
    member,
    representative,
    other_representative,
):
    """A scheduled hearing with a two-item agenda, and the people who take part."""
    item = open_consultation.items.get()
    hearing = HearingFactory(consultation=open_consultation, title="Forum Konsultasi Publik")
    AgendaItemFactory(hearing=hearing, title="Pembukaan", position=1)
    AgendaItemFactory(hearing=hearing, title="Rancangan", item=item, position=2)
    return SimpleNamespace(
        hearing=hearing,
        item=item,
        consultation=open_consultation,
        organization=organization,
        official=official,
        moderator=moderator,
        member=member,
        representative=representative,
        other_representative=other_representative,
        bodies=iter(f"Masukan nomor {n}: mohon pasal ini diperjelas." for n in range(100)),
    )


def snapshot(w, audience: str) -> tuple[int, dict]:
    """What a socket opened without `after` gets, as it crosses the wire."""
    hearing = Hearing.objects.select_related("consultation").get(pk=w.hearing.pk)
    seq, data = snapshots.build(
        "hearing", hearing, stream=hearing.stream, audiences=events.AUDIENCES[audience]
    )
    return seq, json.loads(json.dumps(data, ensure_ascii=False))


# --- the changes, one or more per event type ----------------------------------------------
# Each case prepares the world and returns the change; it runs between the two snapshots.


def start(w):
    hearing_services.hearing_start(actor=w.moderator, hearing=w.hearing)
    w.hearing.refresh_from_db()


def comment(w, **fields):
    return comment_services.comment_create(
        actor=w.member,
        consultation=w.consultation,
        stance="support",
        body=next(w.bodies),
        hearing=w.hearing,
        **fields,
    )


def pre_moderated(w):
    w.consultation.moderation = Consultation.Moderation.PRE
    w.consultation.save(update_fields=["moderation"])


def on_screen(w, *comments):
    for c in comments:
        hearing_services.comment_show_on_screen(actor=w.moderator, comment=c)


def ask_floor(w, *actors):
    return [hearing_speakers.speaker_request(actor=a, hearing=w.hearing) for a in actors]


def case_missed_events_then_snapshot(w):
    start(w)
    return lambda: hearing_services.hearing_advance(actor=w.moderator, hearing=w.hearing)


def case_start(w):
    return lambda: hearing_services.hearing_start(actor=w.moderator, hearing=w.hearing)


def case_update(w):
    start(w)
    return lambda: hearing_services.hearing_update(
        actor=w.official, hearing=w.hearing, title="Forum Kedua", location="Aula Kantor"
    )


def case_end_with_an_open_vote_and_a_queue(w):
    start(w)
    voting_services.hearing_open_voting(actor=w.moderator, hearing=w.hearing, item=w.item)
    first, second = ask_floor(w, w.representative, w.other_representative)
    hearing_speakers.speaker_give_floor(actor=w.moderator, speaker_request=first)
    return lambda: hearing_services.hearing_end(actor=w.moderator, hearing=w.hearing)


def case_advance(w):
    start(w)
    return lambda: hearing_services.hearing_advance(actor=w.moderator, hearing=w.hearing)


def case_add_agenda_item(w):
    start(w)
    return lambda: hearing_services.agenda_item_add(
        actor=w.official, hearing=w.hearing, title="Tanya jawab", position=1
    )


def case_move_agenda_item(w):
    start(w)
    last = w.hearing.agenda.order_by("-position").first()
    return lambda: hearing_services.agenda_item_move(actor=w.official, agenda_item=last, position=1)


def case_remove_agenda_item(w):
    start(w)
    last = w.hearing.agenda.order_by("-position").first()
    return lambda: hearing_services.agenda_item_remove(actor=w.official, agenda_item=last)


def case_open_voting_after_a_vote(w):
    start(w)
    voting_services.vote_cast(actor=w.representative, item=w.item, choice="for")
    return lambda: voting_services.hearing_open_voting(
        actor=w.moderator, hearing=w.hearing, item=w.item
    )


def case_open_voting_under_a_secret_ballot(w):
    w.consultation.ballot = Consultation.Ballot.SECRET
    w.consultation.save(update_fields=["ballot"])
    start(w)
    return lambda: voting_services.hearing_open_voting(
        actor=w.moderator, hearing=w.hearing, item=w.item
    )


def case_close_voting(w):
    start(w)
    voting_services.hearing_open_voting(actor=w.moderator, hearing=w.hearing, item=w.item)
    voting_services.vote_cast(actor=w.representative, item=w.item, choice="against")
    return lambda: voting_services.hearing_close_voting(actor=w.moderator, hearing=w.hearing)


def case_vote_in_the_window(w):
    start(w)
    voting_services.hearing_open_voting(actor=w.moderator, hearing=w.hearing, item=w.item)
    return lambda: voting_services.vote_cast(actor=w.representative, item=w.item, choice="for")


def case_withdraw_a_vote(w):
    start(w)
    voting_services.hearing_open_voting(actor=w.moderator, hearing=w.hearing, item=w.item)
    voting_services.vote_cast(actor=w.representative, item=w.item, choice="for")
    return lambda: voting_services.vote_withdraw(actor=w.representative, item=w.item)


def case_comment_in_the_room(w):
    start(w)
    comment(w)
    return lambda: comment(w)


def case_edit_a_comment_on_the_screen(w):
    start(w)
    first = comment(w)
    on_screen(w, first)
    return lambda: comment_services.comment_edit(
        actor=w.member, comment=first, body="Perbaikan: mohon pasal ini dihapus."
    )


def case_approve_a_pending_comment(w):
    pre_moderated(w)
    start(w)
    pending = comment(w)
    return lambda: comment_moderation.comment_approve(actor=w.moderator, comment=pending)


def case_restore_a_hidden_comment_that_was_on_the_screen(w):
    start(w)
    first, second = comment(w), comment(w)
    on_screen(w, first, second)
    comment_moderation.comment_hide(actor=w.moderator, comment=first, reason="Di luar topik.")
    return lambda: comment_moderation.comment_restore(actor=w.moderator, comment=first)


def case_comment_waiting_for_moderation(w):
    pre_moderated(w)
    start(w)
    comment(w)
    return lambda: comment(w)


def case_edit_a_comment_waiting_for_moderation(w):
    pre_moderated(w)
    start(w)
    pending = comment(w)
    return lambda: comment_services.comment_edit(
        actor=w.member, comment=pending, body="Perbaikan sebelum dimoderasi."
    )


def case_hide_a_comment_on_the_screen(w):
    start(w)
    first = comment(w)
    on_screen(w, first)
    return lambda: comment_moderation.comment_hide(
        actor=w.moderator, comment=first, reason="Di luar topik."
    )


def case_reject_a_pending_comment(w):
    pre_moderated(w)
    start(w)
    pending = comment(w)
    return lambda: comment_moderation.comment_reject(
        actor=w.moderator, comment=pending, reason="Bukan masukan."
    )


def case_author_deletes_a_comment(w):
    start(w)
    first = comment(w)
    return lambda: comment_services.comment_delete(actor=w.member, comment=first)


def case_show_on_screen(w):
    start(w)
    first, second = comment(w), comment(w)
    on_screen(w, second)
    return lambda: on_screen(w, first)


def case_take_off_screen(w):
    start(w)
    first, second = comment(w), comment(w)
    on_screen(w, first, second)
    return lambda: hearing_services.comment_hide_from_screen(actor=w.moderator, comment=first)


def case_blank_screen(w):
    start(w)
    return lambda: hearing_services.screen_set_mode(
        actor=w.moderator, hearing=w.hearing, mode=Hearing.Screen.BLANK
    )


def case_ask_for_the_floor(w):
    start(w)
    ask_floor(w, w.representative)
    return lambda: ask_floor(w, w.other_representative)


def case_reorder_the_queue(w):
    start(w)
    first, second = ask_floor(w, w.representative, w.other_representative)
    return lambda: hearing_speakers.speaker_reorder(
        actor=w.moderator, hearing=w.hearing, order=[second.pk, first.pk]
    )


def case_give_the_floor(w):
    start(w)
    first, second = ask_floor(w, w.representative, w.other_representative)
    hearing_speakers.speaker_give_floor(actor=w.moderator, speaker_request=first, seconds=90)
    return lambda: hearing_speakers.speaker_give_floor(
        actor=w.moderator, speaker_request=second, seconds=120
    )


def case_speaker_done(w):
    start(w)
    (first,) = ask_floor(w, w.representative)
    hearing_speakers.speaker_give_floor(actor=w.moderator, speaker_request=first)
    return lambda: hearing_speakers.speaker_done(
        actor=w.moderator, speaker_request=SpeakerRequest.objects.get(pk=first.pk)
    )


def case_withdraw_from_the_queue(w):
    start(w)
    (first,) = ask_floor(w, w.representative)
    return lambda: hearing_speakers.speaker_withdraw(actor=w.representative, speaker_request=first)


def case_officer_checks_an_organization_in(w):
    start(w)
    return lambda: hearing_services.attendance_check_in(
        actor=w.moderator, hearing=w.hearing, organization=w.organization
    )


def case_enter_a_manual_count(w):
    start(w)
    return lambda: hearing_services.manual_count_enter(
        actor=w.moderator,
        hearing=w.hearing,
        item=w.item,
        method="hands",
        counts={"for": 12, "against": 3, "abstain": 1},
    )


def ask(w, actor=None):
    """A question in the room (a comment with stance `question`)."""
    return comment_services.comment_create(
        actor=actor or w.member,
        consultation=w.consultation,
        stance="question",
        body=next(w.bodies),
        hearing=w.hearing,
    )


def upvoted_question(w):
    start(w)
    asked = ask(w)
    hearing_questions.question_upvote(actor=w.representative, comment=asked)
    return asked


def case_ask_a_question(w):
    start(w)
    ask(w)
    return lambda: ask(w, w.other_representative)


def case_edit_an_upvoted_question(w):
    asked = upvoted_question(w)
    return lambda: comment_services.comment_edit(
        actor=w.member, comment=asked, body="Perbaikan: kapan taman dibuka?"
    )


def case_show_an_upvoted_question_on_screen_as_a_comment(w):
    asked = upvoted_question(w)
    return lambda: on_screen(w, asked)


def case_hide_an_upvoted_question(w):
    asked = upvoted_question(w)
    return lambda: comment_moderation.comment_hide(
        actor=w.moderator, comment=asked, reason="Di luar topik."
    )


def case_upvote_a_question(w):
    asked = upvoted_question(w)
    return lambda: hearing_questions.question_upvote(actor=w.other_representative, comment=asked)


def case_take_an_upvote_back(w):
    asked = upvoted_question(w)
    return lambda: hearing_questions.question_unupvote(actor=w.representative, comment=asked)


def case_mark_a_question_answered(w):
    asked = upvoted_question(w)
    return lambda: hearing_questions.question_mark_answered(actor=w.moderator, comment=asked)


def case_merge_a_duplicate_question(w):
    asked = upvoted_question(w)
    duplicate = ask(w, w.other_representative)
    return lambda: hearing_questions.question_merge(
        actor=w.moderator, comment=duplicate, into=asked
    )


def case_put_another_question_on_the_screen(w):
    asked = upvoted_question(w)
    other = ask(w, w.other_representative)
    hearing_questions.question_show_on_screen(actor=w.moderator, comment=asked)
    return lambda: hearing_questions.question_show_on_screen(actor=w.moderator, comment=other)


CASES = {
    "snapshot": [case_missed_events_then_snapshot],
    "hearing.started": [case_start],
    "hearing.updated": [case_update],
    "hearing.ended": [case_end_with_an_open_vote_and_a_queue],
    "agenda.changed": [
        case_advance,
        case_add_agenda_item,
        case_move_agenda_item,
        case_remove_agenda_item,
        case_the_chair_moves_a_proposal_on_the_agenda,
    ],
    "voting.opened": [case_open_voting_after_a_vote, case_open_voting_under_a_secret_ballot],
    "voting.closed": [case_close_voting, case_end_with_an_open_vote_and_a_queue],
    "tally.updated": [case_vote_in_the_window, case_withdraw_a_vote],
    "comment.published": [
        case_comment_in_the_room,
        case_edit_a_comment_on_the_screen,
        case_approve_a_pending_comment,
        case_restore_a_hidden_comment_that_was_on_the_screen,
        case_ask_a_question,
        case_edit_an_upvoted_question,
    ],
    "comment.submitted": [
        case_comment_waiting_for_moderation,
        case_edit_a_comment_waiting_for_moderation,
    ],
    "comment.hidden": [
        case_hide_a_comment_on_the_screen,
        case_reject_a_pending_comment,
        case_author_deletes_a_comment,
        case_hide_an_upvoted_question,
    ],
    "comment.screened": [
        case_show_on_screen,
        case_take_off_screen,
        case_show_an_upvoted_question_on_screen_as_a_comment,
    ],
    "screen.changed": [case_blank_screen],
    "speakers.changed": [
        case_ask_for_the_floor,
        case_reorder_the_queue,
        case_give_the_floor,
        case_speaker_done,
        case_withdraw_from_the_queue,
        case_end_with_an_open_vote_and_a_queue,
    ],
    "attendance.updated": [case_officer_checks_an_organization_in],
    "manual_count.entered": [case_enter_a_manual_count],
    "forum.changed": FORUM_CASES,  # tests/aspirations/forum_cases.py
    "question.updated": [
        case_upvote_a_question,
        case_take_an_upvote_back,
        case_mark_a_question_answered,
        case_merge_a_duplicate_question,
        case_put_another_question_on_the_screen,
    ],
}

PARAMS = [
    pytest.param(type, case, view, id=f"{type}-{case.__name__[5:]}-{view}")
    for type, cases in CASES.items()
    for case in cases
    for view in VIEWS
]


@pytest.mark.parametrize(("type", "case", "view"), PARAMS)
def test_events_applied_to_a_snapshot_give_the_fresh_snapshot(w, type, case, view, tmp_path):
    audience = VIEWS[view]
    change = case(w)
    seq, state = snapshot(w, audience)

    change()

    emitted = events.events_after(w.hearing.stream, seq, audiences=events.AUDIENCES[audience])
    fresh_seq, fresh = snapshot(w, audience)
    if type == "snapshot":
        emitted = [{"type": "snapshot", "seq": fresh_seq, "data": fresh}]
    elif view == "moderator":  # sees every audience (a public view may see none of it)
        assert type in [e["type"] for e in emitted]
    before = copy.deepcopy(state)
    for event in emitted:
        if event["type"] != "snapshot":
            assert set(event["data"]) == set(live.EVENT_DATA[event["type"]]), event["type"]
        apply_event(state, event)
    assert state == fresh
    if NODE:
        assert run_live_js(before, emitted, tmp_path) == fresh


def run_live_js(state: dict, emitted: list[dict], tmp_path: Path) -> dict:
    """The page's own reducer (live.js `applyEvent`) on the same state and events."""
    module = tmp_path / "live.mjs"
    shutil.copy(STATIC / "live.js", module)
    runner = tmp_path / "run.mjs"
    runner.write_text(RUNNER % module.as_uri())
    result = subprocess.run(
        [NODE, str(runner)],
        input=json.dumps({"state": state, "events": emitted}),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def test_every_event_type_has_a_reducer_case():
    """A new event type fails here until the page handles it and a case above proves it."""
    assert set(CASES) == set(events.EVENT_TYPES)
    assert set(HANDLED) == set(events.EVENT_TYPES)


def test_every_event_type_but_the_snapshot_has_a_data_schema():
    assert set(live.EVENT_DATA) == set(events.EVENT_TYPES) - {"snapshot"}


def apply_event_cases(source: str) -> set[str]:
    body = source[source.index("export function applyEvent(") :]
    return set(re.findall(r'case "([^"]+)":', body[: body.index("\n}\n")]))


def test_live_js_handles_exactly_the_types_the_server_sends():
    """The page's reducer and its mirror have one case per type in EVENT_TYPES, no more."""
    assert apply_event_cases((STATIC / "live.js").read_text()) == set(events.EVENT_TYPES)


@pytest.mark.parametrize("page", ["live.js", "room.js", "screen.js", "console.js"])
def test_the_pages_name_only_event_types_the_server_sends(page):
    named = set(re.findall(r'type === "([^"]+)"', (STATIC / page).read_text()))
    assert named <= set(events.EVENT_TYPES)
    assert "kind" not in re.findall(r"data\.(\w+)", (STATIC / page).read_text())
