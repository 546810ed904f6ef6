"""Hooks for the layers above consultations (ARCHITECTURE.md §1: a lower layer that must
react to a higher one defines a signal the higher one connects to)."""

from django.dispatch import Signal

# Sent inside the transaction that closes a consultation, before it is marked closed
# (kwargs `consultation`, `actor`). voting takes the lock its votes hold (the chain head)
# here: the votes in flight commit first and are counted, later ones see the close.
consultation_closing = Signal()

# Sent inside the transaction that opens a consultation for comments and votes (published
# with no future opening time, or opened by the clock), kwarg `consultation`. notifications
# tells the representatives that voting is open, once the change commits.
consultation_opened = Signal()

# Sent inside the transaction that closes a consultation (by an official or by the clock),
# with the consultation already closed (kwargs `consultation`, `actor`). voting announces
# every item's final tally on it (a secret ballot's for the first time).
consultation_closed = Signal()

# Asked (kwarg `consultation`) before an open consultation's closing time moves earlier:
# each receiver answers whether votes have been cast in it. voting answers from its vote
# log, so the notice period protects anyone who voted (consultations cannot count votes).
votes_cast = Signal()


def has_votes(consultation) -> bool:
    """Whether any layer above reports votes cast in the consultation."""
    answers = votes_cast.send(sender=type(consultation), consultation=consultation)
    return any(answer for _receiver, answer in answers)
