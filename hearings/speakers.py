"""Every state change of a hearing's speaker queue (ARCHITECTURE.md §2 rule 1): an
organization asks for the floor or withdraws, the chair orders the queue, gives the floor
with a countdown and ends it.

Kept beside services.py (which holds the rest of the hearing) for the size limit of
ARCHITECTURE.md §1, under the same rules: one function per action, the actor first,
keyword-only arguments, one transaction that locks the hearing's row first, and
`speakers.changed` published inside it. Imports from services.py, never the other way
(ending a hearing clears the queue there, with the same `_publish_speakers`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from backend.errors import Conflict, Invalid, require
from hearings import permissions, selectors
from hearings.models import SpeakerRequest
from hearings.services import _publish_speakers, _require_hearing_runner, _require_live

SPEAKER_SECONDS_RANGE = (10, 60 * 60)


def _lock_speaker(speaker_request):

    return (
        SpeakerRequest.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=speaker_request.pk)
    )


def speaker_request(*, actor, hearing):
    """An organization asks for the floor; it joins the end of the queue."""

    organization = permissions.speaking_organization(actor, hearing)
    require(
        organization is not None,
        _("Only members of a verified organization may ask for the floor."),
    )
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_live(hearing)
        active = SpeakerRequest.objects.filter(
            hearing=hearing,
            organization=organization,
            status__in=[SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING],
        )
        if active.exists():
            raise Conflict(_("Your organization is already in the speaker queue."))
        last = (
            SpeakerRequest.objects.filter(hearing=hearing)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        request = SpeakerRequest.objects.create(
            hearing=hearing,
            organization=organization,
            requested_by=actor,
            position=(last or 0) + 1,
        )
        _publish_speakers(hearing)
    return request


def speaker_withdraw(*, actor, speaker_request):
    own = accounts_permissions.organization_of(actor)
    require(
        (own is not None and own.pk == speaker_request.organization_id)
        or permissions.can_run_hearing(actor, speaker_request.hearing),
        _("Only the organization itself or the chair may withdraw a request."),
    )
    with transaction.atomic():
        hearing = selectors.hearing_for_update(speaker_request.hearing)
        request = _lock_speaker(speaker_request)
        if request.status != request.Status.WAITING:
            raise Conflict(_("Only a waiting request can be withdrawn."))
        request.status = request.Status.WITHDRAWN
        request.save(update_fields=["status"])
        _publish_speakers(hearing)
    return request


def speaker_reorder(*, actor, hearing, order: list[int]):
    """The chair sets the order of the waiting queue; `order` lists every waiting request id."""

    _require_hearing_runner(actor, hearing)
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError) as exc:
        raise Invalid(_("The order must be a list of request ids."), field="order") from exc
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_live(hearing)
        waiting = {
            r.pk: r
            for r in SpeakerRequest.objects.select_for_update().filter(
                hearing=hearing, status=SpeakerRequest.Status.WAITING
            )
        }
        if len(order) != len(set(order)) or set(order) != set(waiting):
            raise Invalid(
                _("The order must list every waiting request exactly once."), field="order"
            )
        rows = [waiting[pk] for pk in order]
        for position, row in enumerate(rows, start=1):
            row.position = position
        SpeakerRequest.objects.bulk_update(rows, ["position"])
        _publish_speakers(hearing)
    return hearing


def speaker_give_floor(*, actor, speaker_request, seconds: int = 180):
    """Start the speaker's countdown; whoever was speaking is done."""

    _require_hearing_runner(actor, speaker_request.hearing)
    try:
        seconds = int(seconds)
    except (TypeError, ValueError) as exc:
        raise Invalid(_("Speaking time must be a number of seconds."), field="seconds") from exc
    low, high = SPEAKER_SECONDS_RANGE
    if not low <= seconds <= high:
        raise Invalid(
            _("Speaking time must be between %(low)s and %(high)s seconds.")
            % {"low": low, "high": high},
            field="seconds",
        )
    with transaction.atomic():
        hearing = selectors.hearing_for_update(speaker_request.hearing)
        _require_live(hearing)
        request = _lock_speaker(speaker_request)
        if request.status != request.Status.WAITING:
            raise Conflict(_("Only a waiting request can be given the floor."))
        SpeakerRequest.objects.filter(
            hearing=hearing, status=SpeakerRequest.Status.SPEAKING
        ).update(status=SpeakerRequest.Status.DONE)
        request.status = request.Status.SPEAKING
        request.seconds = seconds
        request.started_at = timezone.now()
        request.save(update_fields=["status", "seconds", "started_at"])
        _publish_speakers(hearing)
    return request


def speaker_done(*, actor, speaker_request):
    _require_hearing_runner(actor, speaker_request.hearing)
    with transaction.atomic():
        hearing = selectors.hearing_for_update(speaker_request.hearing)
        request = _lock_speaker(speaker_request)
        if request.status != request.Status.SPEAKING:
            raise Conflict(_("This organization does not have the floor."))
        request.status = request.Status.DONE
        request.save(update_fields=["status"])
        _publish_speakers(hearing)
    return request
