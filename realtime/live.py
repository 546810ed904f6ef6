"""The state of a live hearing as the pages hold it: one snapshot, three uses.

The pages render it (with the stream's seq read first) and then follow `?after=`; a socket
opened without `after` gets it as its `snapshot` (realtime/snapshots.py). Every part is the
payload of its entity, built by the app that owns it, so an event's `data` replaces its part
as it is: static/realtime/live.js `applyEvent` (mirrored in tests/realtime/reducer.py) does
exactly that, and tests/realtime/test_event_reducer.py checks it for every event type.
"""

import contextlib
import logging

from django.core.cache import cache

from aspirations import payloads as aspiration_payloads
from comments import payloads as comment_payloads
from hearings import payloads, selectors
from voting import payloads as voting_payloads

logger = logging.getLogger(__name__)

# Event `data` per type, written once in the apps' payloads.py (docs/REALTIME.md, §1).
EVENT_DATA = {
    **comment_payloads.EVENT_DATA,
    **payloads.EVENT_DATA,
    **voting_payloads.EVENT_DATA,
    **aspiration_payloads.EVENT_DATA,
}


# The public state at one seq of the stream is the same for every reader. When a hall of
# phones scans the big screen's QR code at once, it is built once per seq and shared through
# the cache (Redis in production: every worker; the demo's process), not once per phone
# (docs/PERFORMANCE.md, "QR-join storm"). A change that publishes no event on the stream (an
# organisation renamed) shows within STATE_SECONDS.
STATE_SECONDS = 30


def hearing_state(hearing, *, moderator: bool = False, seq: int | None = None) -> dict:
    """`moderator`: also the comments waiting for moderation (the console, `?view=moderator`).
    `seq`: the stream's seq, read before; the public state is then shared per seq."""
    if seq is None or moderator:
        return _hearing_state(hearing, moderator=moderator)
    key = f"hearing-state:{hearing.pk}:{seq}"
    try:
        state = cache.get(key)
    except Exception:  # the cache only saves work: without it, build the state
        logger.warning("hearing state cache unavailable", exc_info=True)
        return _hearing_state(hearing, moderator=False)
    if state is None:
        state = _hearing_state(hearing, moderator=False)
        with contextlib.suppress(Exception):
            cache.set(key, state, STATE_SECONDS)
    return state


def _hearing_state(hearing, *, moderator: bool) -> dict:
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
        "questions": [payloads.question(c) for c in selectors.room_questions(hearing)],
        "speakers": payloads.speakers(hearing),
        "manual_counts": [payloads.manual_count(c) for c in selectors.manual_counts_of(hearing)],
        "attendance": payloads.attendance(hearing),
        "forum": aspiration_payloads.forum(hearing),  # proposals on a Musrenbang forum's agenda
    }
    if moderator:
        state["pending_comments"] = [
            comment_payloads.comment(c) for c in selectors.awaiting_moderation(hearing)
        ]
    return state
