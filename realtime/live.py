"""The public state of a live hearing, shared by the pages and the WebSocket snapshot.

The pages render it with the stream's seq and then follow `?after=`; a socket opened
without `after` gets it inside its `snapshot` (realtime/snapshots.py), so every client starts
from the same shape (static/realtime/live.js reads it).
"""

from hearings import selectors
from voting import selectors as voting_selectors


def hearing_state(hearing) -> dict:
    tally = voting_selectors.tally_of(hearing.voting_item) if hearing.voting_item_id else None
    return selectors.hearing_snapshot(hearing, tally=tally)
