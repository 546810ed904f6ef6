"""Hooks for the layers above hearings (ARCHITECTURE.md §1: a lower layer that must react to
a higher one defines a signal the higher one connects to)."""

from django.dispatch import Signal

# Sent by hearings.services.hearing_end inside its transaction, with the hearing locked and
# still live (kwarg `hearing`). voting closes the hearing's open voting window on it.
hearing_ending = Signal()

# Sent by hearings.services.hearing_create inside its transaction (kwarg `hearing`).
# notifications tells the members of the verified organizations, once it commits.
hearing_scheduled = Signal()

# Sent by hearings.services.agenda_item_remove inside its transaction, with the hearing locked,
# before the item is deleted (kwargs `hearing`, `agenda_item`, `actor`). A receiver refuses the
# removal by raising a DomainError: aspirations keeps a forum proposal's item to the officials
# of the proposal's stage and area.
agenda_item_removing = Signal()
