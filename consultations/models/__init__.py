"""Consultation domain models, one module per concern (ARCHITECTURE.md §3)."""

from consultations.models.consultations import Consultation, DraftVersion, Item, Section
from consultations.models.organizations import Agency, Membership, Organization

__all__ = [
    "Agency",
    "Consultation",
    "DraftVersion",
    "Item",
    "Membership",
    "Organization",
    "Section",
]
