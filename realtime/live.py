"""The public state of a live hearing, shared by the pages and the WebSocket snapshot.

The pages render it with the stream's seq and then follow `?after=`; a socket opened
without `after` gets the same state inside its `snapshot` (realtime.snapshots.hearing_state),
so every client starts from one shape (static/realtime/live.js reads it).
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
