"""A Python mirror of `applyEvent` in realtime/static/realtime/live.js, case for case and
helper for helper: what a page does with each event. Change the two together.

test_event_reducer.py applies the events a service emitted to the snapshot taken before
and compares the result with a fresh snapshot; so if the page's reducer (this mirror)
and the server's payloads drift apart, a test fails.
"""

import copy
from datetime import datetime

SCREEN_COMMENT_LIMIT = 6
ROOM_COMMENT_LIMIT = 50
QUESTION_LIMIT = 200
# A question the page has not seen a `question.updated` for: no upvotes, nothing else.
QUESTION_STATE = {"upvotes": 0, "answered_at": None, "merged_into": None, "featured_at": None}

# Every type `apply_event` has a case for (besides the default: ignore the unknown).
HANDLED = (
    "snapshot",
    "hearing.started",
    "hearing.updated",
    "hearing.ended",
    "agenda.changed",
    "voting.opened",
    "voting.closed",
    "tally.updated",
    "comment.published",
    "comment.submitted",
    "comment.hidden",
    "comment.screened",
    "screen.changed",
    "speakers.changed",
    "attendance.updated",
    "manual_count.entered",
    "question.updated",
    "forum.changed",
)


def apply_event(state: dict, message: dict) -> dict:
    data = copy.deepcopy(message["data"])  # the page gets its own copy off the wire
    match message["type"]:
        case "snapshot":
            state.update(data)
        case "hearing.started" | "hearing.updated" | "hearing.ended":
            state["hearing"] = data
        case "agenda.changed":
            state["agenda"] = data
        case "voting.opened":
            state["voting"] = data
            state["tally"] = None  # the tally.updated published with it follows
        case "voting.closed":
            state["voting"] = None
            state["tally"] = None
        case "tally.updated":
            if state["voting"] and state["voting"]["item"]["id"] == data["item"]:
                state["tally"] = data
        case "comment.published":
            if not data.get("redacted"):
                publish_comment(state, data)
        case "comment.submitted":
            if "pending_comments" in state and not data.get("redacted"):
                state["pending_comments"] = upsert_by_id(state["pending_comments"], data)
        case "comment.hidden":
            remove_comment(state, data["id"])
        case "comment.screened":
            if not data.get("redacted"):
                screen_comment(state, data)
        case "screen.changed":
            state["hearing"]["screen_mode"] = data["mode"]
        case "speakers.changed":
            state["speakers"] = data
        case "attendance.updated":
            state["attendance"] = data
        case "manual_count.entered":
            state["manual_counts"] = [c for c in state["manual_counts"] if c["id"] != data["id"]]
            state["manual_counts"].append(data)
        case "question.updated":
            state["questions"] = [
                {**q, **data} if q["id"] == data["id"] else q for q in state["questions"]
            ]
        case "forum.changed":
            state["forum"] = data
        case _:
            pass
    return state


def publish_comment(state, comment):
    if "pending_comments" in state:
        state["pending_comments"] = without_id(state["pending_comments"], comment["id"])
    state["comments"] = upsert_by_id(state["comments"], comment)[-ROOM_COMMENT_LIMIT:]
    if comment["on_screen_at"]:
        place_on_screen(state, comment)
    if comment["stance"] == "question":
        upsert_question(state, comment)


def upsert_question(state, comment):
    """A question's comment fields change; the room's state of it stays."""
    known = next((q for q in state["questions"] if q["id"] == comment["id"]), QUESTION_STATE)
    question = {**comment, **{name: known[name] for name in QUESTION_STATE}}
    state["questions"] = upsert_by_id(state["questions"], question)[-QUESTION_LIMIT:]


def screen_comment(state, comment):
    state["comments"] = [comment if c["id"] == comment["id"] else c for c in state["comments"]]
    if any(q["id"] == comment["id"] for q in state["questions"]):
        upsert_question(state, comment)
    if comment["on_screen_at"]:
        place_on_screen(state, comment)
    else:
        state["screen_comments"] = without_id(state["screen_comments"], comment["id"])


def remove_comment(state, id):
    state["comments"] = without_id(state["comments"], id)
    state["screen_comments"] = without_id(state["screen_comments"], id)
    state["questions"] = without_id(state["questions"], id)
    if "pending_comments" in state:
        state["pending_comments"] = without_id(state["pending_comments"], id)


def place_on_screen(state, comment):
    rows = [*without_id(state["screen_comments"], comment["id"]), comment]
    rows.sort(key=lambda c: (datetime.fromisoformat(c["on_screen_at"]), c["id"]))
    state["screen_comments"] = rows[-SCREEN_COMMENT_LIMIT:]


def upsert_by_id(rows, comment):
    return sorted([*without_id(rows, comment["id"]), comment], key=lambda c: c["id"])


def without_id(rows, id):
    return [c for c in rows if c["id"] != id]
