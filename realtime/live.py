"""The public state of a live hearing, shared by the pages and the WebSocket snapshot.

The pages render it with the stream's seq and then follow `?after=`; a socket opened
without `after` gets it as its `snapshot` (registered in apps.py), so every client starts
from the same shape (static/realtime/live.js reads it).
"""

from consultations import selectors


def tally_of(item) -> dict | None:
    """The live tally of an item from the voting app, when that app provides a reader."""
    if item is None:
        return None
    try:
        from voting import selectors as voting_selectors
    except ImportError:
        return None
    reader = getattr(voting_selectors, "tally_of", None)
    return reader(item) if reader else None


def hearing_state(hearing) -> dict:
    return selectors.hearing_snapshot(hearing, tally=tally_of(hearing.voting_item))


def hearing_snapshot(hearing, *, user, audiences) -> dict:
    """Snapshot builder for `/ws/hearings/<id>/`: public state only, whoever asks."""
    return hearing_state(hearing)
