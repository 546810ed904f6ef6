"""A Musrenbang forum held as a live hearing: proposals on the hearing's agenda, their
supports and the forum's scores live on the big screen (docs/ASPIRATIONS.md, "Forum").

The agenda item is the hearing's own (hearings.services), so the chair moves through the
proposals like through any item; the link (ForumProposal) lives here because hearings sits
below aspirations. Every change to a proposal on a live agenda publishes `forum.changed`
on the hearing's stream in the changing service's transaction (`publish_changes`). A link
that goes, whatever removes it (`forum_agenda_remove`, a deleted proposal or hearing),
publishes through `link_deleted`, Django's `post_delete` hook on ForumProposal
(aspirations/apps.py). The hearing's own agenda endpoint may not remove a proposal's item
(`keep_proposal_items`, on hearings.signals.agenda_item_removing): hearings cannot call up
to this layer, so it asks through the signal.

Lock order: the proposal row, then the hearing row (inside agenda_item_add/remove).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspirations import payloads, permissions, selectors
from aspirations.models import Aspiration, ForumProposal
from backend.errors import Conflict, Invalid, NotFound
from hearings import services as hearing_services
from hearings.models import Hearing
from realtime import events


def publish_changes(aspiration: Aspiration, *, stage: str | None = None) -> None:
    """Tell the big screens of the hearings with this proposal on their agenda (not ended)
    its new state; call inside the changing service's transaction, after the change.
    `stage`: a score counts only where the proposal is on the agenda for that stage."""
    for hearing in selectors.forum_hearings_of(aspiration, stage=stage):
        events.publish(hearing.stream, "forum.changed", payloads.forum(hearing))


def _lock(aspiration: Aspiration) -> Aspiration:
    try:
        return Aspiration.objects.select_for_update().get(pk=aspiration.pk)
    except Aspiration.DoesNotExist as exc:
        raise NotFound(_("Proposal not found.")) from exc


def _check_hearing(hearing: Hearing, aspiration: Aspiration) -> None:
    if hearing.consultation_id != aspiration.consultation_id:
        raise Invalid(
            _("That hearing belongs to another consultation than the proposal."), field="hearing"
        )
    if hearing.status == Hearing.Status.ENDED:
        raise Conflict(_("This hearing has ended; its agenda can no longer change."))


def forum_agenda_add(
    *, actor, hearing: Hearing, aspiration: Aspiration, position: int | None = None
) -> ForumProposal:
    """An official of the proposal's stage and area puts it on a forum hearing's agenda (of
    the proposal's own consultation, not ended); once per hearing, open proposals only."""
    denial = permissions.stage_official_denial(actor)  # the stage is checked under the lock
    if denial is not None:
        raise denial
    if position is not None and (isinstance(position, bool) or not isinstance(position, int)):
        raise Invalid(_("The position is a whole number."), field="position")
    _check_hearing(hearing, aspiration)
    with transaction.atomic():
        aspiration = _lock(aspiration)
        denial = permissions.decision_denial(actor, aspiration)
        if denial is not None:
            raise denial
        if not aspiration.is_open:
            raise Conflict(
                _("This proposal is already decided (%(status)s); it is not discussed any more.")
                % {"status": aspiration.get_status_display().lower()}
            )
        hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
        _check_hearing(hearing, aspiration)
        if ForumProposal.objects.filter(hearing=hearing, aspiration=aspiration).exists():
            raise Conflict(_("This proposal is already on the hearing's agenda."))
        agenda_item = hearing_services.agenda_item_add(
            actor=actor,
            hearing=hearing,
            title=(
                _("Proposal #%(id)s: %(title)s") % {"id": aspiration.pk, "title": aspiration.title}
            )[:300],
            position=position,
        )
        link = ForumProposal.objects.create(
            agenda_item=agenda_item,
            hearing=hearing,
            aspiration=aspiration,
            stage=aspiration.stage,
            added_by=actor,
            added_at=timezone.now(),
        )
        events.publish(hearing.stream, "forum.changed", payloads.forum(hearing))
    return link


def forum_agenda_remove(*, actor, hearing: Hearing, aspiration: Aspiration) -> None:
    """Take a proposal off a hearing's agenda (not the item under discussion, not after the
    hearing ended), by an official of the stage it was put on for: its agenda item goes with
    it."""
    denial = permissions.stage_official_denial(actor)  # the stage is checked under the lock
    if denial is not None:
        raise denial
    with transaction.atomic():
        aspiration = _lock(aspiration)
        link = (
            ForumProposal.objects.select_related("hearing", "agenda_item__hearing")
            .filter(hearing=hearing, aspiration=aspiration)
            .first()
        )
        if link is None:
            raise NotFound(_("This proposal is not on that hearing's agenda."))
        denial = permissions.forum_removal_denial(actor, aspiration, link.stage)
        if denial is not None:
            raise denial
        if link.hearing.status == Hearing.Status.ENDED:
            raise Conflict(_("This hearing has ended; its agenda can no longer change."))
        agenda_item = link.agenda_item
        link.delete()  # `link_deleted` publishes `forum.changed`
        hearing_services.agenda_item_remove(actor=actor, agenda_item=agenda_item)


def keep_proposal_items(*, agenda_item, **_signal) -> None:
    """hearings.signals.agenda_item_removing: a proposal's agenda item leaves only with the
    proposal, through `forum_agenda_remove` (the officials of its stage and area), which
    deletes the link first; the hearing's own agenda endpoint is for every official."""
    link = ForumProposal.objects.filter(agenda_item=agenda_item).first()
    if link is not None:
        raise Conflict(
            _(
                "This agenda item is Musrenbang proposal #%(id)s: only the officials of its "
                "stage and area take it off the agenda, through the proposal."
            )
            % {"id": link.aspiration_id}
        )


def link_deleted(sender, instance: ForumProposal, **_signal) -> None:
    """post_delete of a ForumProposal, inside the deleting transaction: the pages of a
    hearing not ended see the proposal gone. The hearing is still there when its own
    deletion cascades here (Django deletes the links first); `forum_agenda_remove` has it
    loaded already."""
    hearing = instance.hearing
    if hearing.status != Hearing.Status.ENDED:
        events.publish(hearing.stream, "forum.changed", payloads.forum(hearing))
