"""Hooks for the layers above consultations (ARCHITECTURE.md §1: a lower layer that must
react to a higher one defines a signal the higher one connects to)."""

from django.dispatch import Signal

# Sent inside the transaction that closes a consultation (by an official or by the clock),
# with the consultation already closed (kwargs `consultation`, `actor`). voting announces
# every item's final tally on it (a secret ballot's for the first time).
consultation_closed = Signal()
