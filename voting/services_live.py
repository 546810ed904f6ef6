"""A hearing's live voting window: open and close it, and the receivers of the hooks
consultations and hearings define (closing a consultation announces the final tallies; an
ending hearing closes its window)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, Invalid, require
from consultations.models import Item
from hearings import payloads as hearing_payloads
from hearings import permissions as hearing_permissions
from hearings import selectors as hearing_selectors
from realtime import events
from voting import payloads
from voting.services import tallies_announce


def _require_hearing_runner(actor, hearing) -> None:
    require(
        hearing_permissions.can_run_hearing(actor, hearing),
        _("Only officials and moderators may run a hearing."),
    )


def hearing_open_voting(*, actor, hearing, item: Item):
    """Open the live voting window on one item of the hearing's consultation."""
    _require_hearing_runner(actor, hearing)
    if item is None:
        raise Invalid(_("Choose the item to vote on."), field="item")
    with transaction.atomic():
        hearing = hearing_selectors.hearing_for_update(hearing)
        if not hearing.is_live:
            raise Conflict(_("This hearing is not live."))
        if item.consultation_id != hearing.consultation_id:
            raise Invalid(_("This item belongs to another consultation."), field="item")
        if not hearing.consultation.is_open:
            raise Conflict(_("Votes are only possible while the consultation is open."))
        if hearing.voting_item_id is not None:
            raise Conflict(_("Close the current vote before opening another one."))
        hearing.voting_item = item
        hearing.voting_opened_at = timezone.now()
        hearing.save(update_fields=["voting_item", "voting_opened_at"])
        events.publish(hearing.stream, "voting.opened", hearing_payloads.voting(hearing))
        # The votes cast before the window opened are on the screens at once.
        events.publish(hearing.stream, "tally.updated", payloads.tally_of(item))
    return hearing


def _close_voting(hearing) -> None:
    item = hearing.voting_item
    data = payloads.voting_closed(hearing, item)
    hearing.voting_item = None
    hearing.voting_opened_at = None
    hearing.save(update_fields=["voting_item", "voting_opened_at"])
    events.publish(hearing.stream, "voting.closed", data)


def hearing_close_voting(*, actor, hearing):
    """Close the window; the event carries the tally frozen at this moment."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = hearing_selectors.hearing_for_update(hearing)
        if hearing.voting_item_id is None:
            raise Conflict(_("No vote is open."))
        _close_voting(hearing)
    return hearing


def close_window_on_hearing_end(*, hearing, **_signal) -> None:
    """hearings.signals.hearing_ending: a hearing that ends closes its open voting window."""
    if hearing.voting_item_id is not None:
        _close_voting(hearing)


def announce_tallies_on_close(*, consultation, actor, **_signal) -> None:
    """consultations.signals.consultation_closed: the final tallies go out."""
    tallies_announce(actor=actor, consultation=consultation)
