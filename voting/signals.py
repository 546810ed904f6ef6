"""Hooks for the layers above voting (ARCHITECTURE.md §1). Sent inside the service's
transaction; receivers that work outside it wait for the commit."""

from django.dispatch import Signal

# A hearing's live voting window opened on an item (kwargs `hearing`, `item`).
voting_opened = Signal()
