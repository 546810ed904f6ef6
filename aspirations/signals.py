"""Hooks for the layers above aspirations (ARCHITECTURE.md §1). Sent inside the service's
transaction; receivers that work outside it wait for the commit."""

from django.dispatch import Signal

# A stage decision on a proposal was recorded (kwarg `decision`).
aspiration_decided = Signal()
