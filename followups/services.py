"""Recording follow-up (tindak lanjut): the only place a FollowUp row is written."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspirations.models import Aspiration
from backend.errors import Conflict, Invalid, require
from comments.models import Response
from consultations.models import Consultation, Item
from followups import permissions, selectors, signals
from followups.models import FollowUp

NOTE_MAX_LENGTH = 5000
LINK_MAX_LENGTH = 500
_links = URLValidator(schemes=["http", "https"])


def _validated(status, progress, note, link) -> tuple[str, int, str, str]:
    if status not in FollowUp.Status.values:
        raise Invalid(_("Choose a status: planned, in progress, done or dropped."), field="status")
    # bool is an int in Python; "true" is no percentage.
    if isinstance(progress, bool) or not isinstance(progress, int):
        raise Invalid(_("Progress is a whole number from 0 to 100."), field="progress")
    if not 0 <= progress <= 100:
        raise Invalid(_("Progress is a whole number from 0 to 100."), field="progress")
    if not isinstance(note, str) or not note.strip():
        raise Invalid(_("Write a note on what was done."), field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise Invalid(
            _("A note can have at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH},
            field="note",
        )
    if "\x00" in note:
        raise Invalid(_("The note contains characters that cannot be stored."), field="note")
    link = (link or "").strip() if isinstance(link, str | type(None)) else None
    if link is None:
        raise Invalid(_("Give the link as a web address (http or https)."), field="link")
    if link:
        try:
            _links(link)
        except ValidationError as exc:
            raise Invalid(
                _("Give the link as a web address (http or https)."), field="link"
            ) from exc
        if len(link) > LINK_MAX_LENGTH:
            raise Invalid(
                _("A link can have at most %(n)d characters.") % {"n": LINK_MAX_LENGTH},
                field="link",
            )
    return status, progress, note.strip(), link


def _target_consultation(response, item, aspiration) -> tuple[str, int]:
    if response is not None:
        return "response", response.consultation_id
    if item is not None:
        return "item", item.consultation_id
    return "proposal", aspiration.consultation_id


def follow_up_record(
    *,
    actor,
    consultation: Consultation,
    status: str,
    progress: int,
    note: str,
    link: str = "",
    response: Response | None = None,
    item: Item | None = None,
    aspiration: Aspiration | None = None,
) -> FollowUp:
    """Record the progress of one accepted input; the newest row is its current state.

    The target is exactly one of: a published response that accepted the comment or section
    fully or in part, an accepted proposal, an RPJMD programme item. The people behind the
    input are notified once the row is committed (`selectors.people_behind`).
    """
    require(permissions.can_record_follow_up(actor), _("Only officials record follow-ups."))
    targets = [target for target in (response, item, aspiration) if target is not None]
    if len(targets) != 1:
        raise Invalid(
            _("Name exactly one input to follow up: a response, an RPJMD programme or a proposal.")
        )
    status, progress, note, link = _validated(status, progress, note, link)
    field, target_consultation = _target_consultation(response, item, aspiration)
    if target_consultation != consultation.pk:
        raise Invalid(_("This belongs to another consultation."), field=field)
    with transaction.atomic():
        # Lock the target, so a response changed to "not accepted" (or a proposal decided
        # again) at the same moment is seen in its final state.
        if response is not None:
            response = Response.objects.select_for_update().get(pk=response.pk)
            if response.published_at is None:
                raise Conflict(_("Only a published response can be followed up."))
            if response.outcome not in selectors.ACCEPTED_OUTCOMES:
                raise Conflict(_("Only accepted or partly accepted input is followed up."))
        elif aspiration is not None:
            aspiration = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
            if aspiration.status != Aspiration.Status.ACCEPTED:
                raise Conflict(_("Only an accepted proposal is followed up."))
        else:
            consultation = Consultation.objects.get(pk=consultation.pk)
            if consultation.kind != Consultation.Kind.RPJMD:
                raise Conflict(_("Only the programmes of an RPJMD are followed up directly."))
        if consultation.status == Consultation.Status.DRAFT:
            raise Conflict(_("A draft consultation has nothing to follow up yet."))
        follow_up = FollowUp.objects.create(
            consultation=consultation,
            response=response,
            item=item,
            aspiration=aspiration,
            status=status,
            progress=progress,
            note=note,
            link=link,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        _announce(follow_up)
    return follow_up


def _announce(follow_up: FollowUp) -> None:
    """Inside the transaction, like every hook: receivers queue their work on commit, so a
    rolled-back follow-up tells nobody (followups/receivers.py notifies the people)."""
    signals.follow_up_recorded.send(
        sender=FollowUp, follow_up=follow_up, recipients=selectors.people_behind(follow_up)
    )
