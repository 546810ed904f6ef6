"""The state of a live hearing as the pages hold it: one snapshot, three uses.

The pages render it (with the stream's seq read first) and then follow `?after=`; a socket
opened without `after` gets it as its `snapshot` (realtime/snapshots.py). Every part is the
payload of its entity, built by the app that owns it, so an event's `data` replaces its part
as it is: static/realtime/live.js `applyEvent` (mirrored in tests/realtime/reducer.py) does
exactly that, and tests/realtime/test_event_reducer.py checks it for every event type.
"""

from comments import payloads as comment_payloads
from hearings import payloads, selectors
from voting import payloads as voting_payloads

# Event `data` per type, written once in the apps' payloads.py (docs/REALTIME.md, §1).
EVENT_DATA = {
    **comment_payloads.EVENT_DATA,
    **payloads.EVENT_DATA,
    **voting_payloads.EVENT_DATA,
}


def hearing_state(hearing, *, moderator: bool = False) -> dict:
    """`moderator`: also the comments waiting for moderation (the console, `?view=moderator`)."""
    voting_item = hearing.voting_item if hearing.voting_item_id else None
    state = {
        "hearing": payloads.hearing(hearing),
        "agenda": payloads.agenda(hearing),
        "voting": payloads.voting(hearing),
        "tally": voting_payloads.tally_of(voting_item) if voting_item else None,
        "screen_comments": [
            comment_payloads.comment(c) for c in selectors.screen_comments(hearing)
        ],
        "comments": [comment_payloads.comment(c) for c in selectors.room_comments(hearing)],
        "speakers": payloads.speakers(hearing),
        "manual_counts": [payloads.manual_count(c) for c in selectors.manual_counts_of(hearing)],
        "attendance": payloads.attendance(hearing),
    }
    if moderator:
        state["pending_comments"] = [
            comment_payloads.comment(c) for c in selectors.awaiting_moderation(hearing)
        ]
    return state
