"""Every state change of a hearing (ARCHITECTURE.md §2 rule 1): schedule, agenda, the live
session, check-in, screens and manual counts. The live voting window is voting's.

Beside it, for the size limit of ARCHITECTURE.md §1: speakers.py (the speaker queue),
questions.py (the room's questions) and invitations.py (undangan). speakers.py takes its
shared helpers from here; this module imports none of them."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as accounts_permissions
from accounts.models import Organization
from backend.errors import Conflict, Invalid, NotAllowed, require
from comments import payloads as comment_payloads
from comments.models import Comment, ModerationAction
from consultations.models import Consultation, Item
from hearings import payloads, permissions, selectors
from hearings.models import AgendaItem, Attendance, Hearing, ManualCount, SpeakerRequest
from hearings.signals import agenda_item_removing, hearing_ending, hearing_scheduled
from realtime import events

CHECK_IN_SALT = "consultations.hearing.check-in"


# The big screen shows a new check-in code every minute and a code is accepted for two:
# enough to scan and press "Check in", too short for a photo passed around a WhatsApp group.
CHECK_IN_ROTATE_SECONDS = 60
CHECK_IN_MAX_AGE = 2 * 60


HEARING_FIELDS = {
    "title",
    "starts_at",
    "location",
    "check_in_required",
    "chair_name",
    "agreements",
}


# Minutes fields may still be written after the hearing ended.
ENDED_EDITABLE_FIELDS = {"chair_name", "agreements"}


def _publish(hearing, type_: str, data: dict) -> None:
    events.publish(hearing.stream, type_, data)


def _publish_agenda(hearing) -> None:
    _publish(hearing, "agenda.changed", payloads.agenda(hearing))


def _new_display_key() -> str:
    return secrets.token_urlsafe(24)


def _require_hearing_runner(actor, hearing) -> None:
    require(
        permissions.can_run_hearing(actor, hearing),
        _("Only officials and moderators may run a hearing."),
    )


def _require_not_ended(hearing) -> None:
    if hearing.status == hearing.Status.ENDED:
        raise Conflict(_("This hearing has ended."))


def _require_live(hearing) -> None:
    if not hearing.is_live:
        raise Conflict(_("This hearing is not live."))


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid(_("A title is required."), field="title")
    return title


def hearing_create(
    *,
    actor,
    consultation: Consultation,
    title: str,
    starts_at: datetime.datetime,
    location: str = "",
    check_in_required: bool = False,
    chair_name: str = "",
):
    """Schedule a hearing; its display key lets a projector show it without a login."""

    require(permissions.can_manage_hearing(actor), _("Only officials may schedule hearings."))
    if starts_at is None:
        raise Invalid(_("The start time is required."), field="starts_at")
    if consultation.has_closed:  # closed, or its closing time has passed
        raise Conflict(_("A closed consultation cannot get a new hearing."), field="consultation")
    with transaction.atomic():
        hearing = Hearing.objects.create(
            consultation=consultation,
            title=_clean_title(title),
            starts_at=starts_at,
            location=(location or "").strip(),
            check_in_required=bool(check_in_required),
            chair_name=(chair_name or "").strip(),
            display_key=_new_display_key(),
            created_by=actor,
        )
        hearing_scheduled.send(sender=Hearing, hearing=hearing)
    return hearing


def hearing_update(*, actor, hearing, **fields):
    require(
        permissions.can_manage_hearing(actor, hearing), _("Only officials may change hearings.")
    )
    unknown = set(fields) - HEARING_FIELDS
    if unknown:
        raise Invalid(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "starts_at" in fields and fields["starts_at"] is None:
        raise Invalid(_("The start time is required."), field="starts_at")
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        if hearing.status == hearing.Status.ENDED and set(fields) - ENDED_EDITABLE_FIELDS:
            raise Conflict(_("After a hearing ended only its minutes can change."))
        for name, value in fields.items():
            setattr(hearing, name, value)
        hearing.save()
        if set(fields) - ENDED_EDITABLE_FIELDS:
            _publish(hearing, "hearing.updated", payloads.hearing(hearing))
    return hearing


def _renumber_agenda(hearing, ordered) -> None:

    for position, agenda_item in enumerate(ordered, start=1):
        agenda_item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])


def agenda_item_add(*, actor, hearing, title: str, item: Item | None = None, position=None):

    require(
        permissions.can_manage_hearing(actor, hearing), _("Only officials may edit the agenda.")
    )
    title = _clean_title(title)
    if item is not None and item.consultation_id != hearing.consultation_id:
        raise Invalid(_("This item belongs to another consultation."), field="item")
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_not_ended(hearing)
        agenda = list(selectors.agenda_of(hearing))
        agenda_item = AgendaItem(hearing=hearing, title=title, item=item)
        index = len(agenda) if position is None else max(0, min(int(position) - 1, len(agenda)))
        agenda_item.save()
        agenda.insert(index, agenda_item)
        _renumber_agenda(hearing, agenda)
        _publish_agenda(hearing)
    return agenda_item


def agenda_item_move(*, actor, agenda_item, position: int):
    require(
        permissions.can_manage_hearing(actor, agenda_item.hearing),
        _("Only officials may edit the agenda."),
    )
    with transaction.atomic():
        hearing = selectors.hearing_for_update(agenda_item.hearing)
        _require_not_ended(hearing)
        agenda = [a for a in selectors.agenda_of(hearing) if a.pk != agenda_item.pk]
        index = max(0, min(int(position) - 1, len(agenda)))
        agenda.insert(index, agenda_item)
        _renumber_agenda(hearing, agenda)
        _publish_agenda(hearing)
    agenda_item.refresh_from_db()
    return agenda_item


def agenda_item_remove(*, actor, agenda_item) -> None:
    require(
        permissions.can_manage_hearing(actor, agenda_item.hearing),
        _("Only officials may edit the agenda."),
    )
    with transaction.atomic():
        hearing = selectors.hearing_for_update(agenda_item.hearing)
        _require_not_ended(hearing)
        if hearing.current_agenda_item_id == agenda_item.pk:
            raise Conflict(_("The agenda item under discussion cannot be removed."))
        agenda_item_removing.send(
            sender=type(agenda_item), hearing=hearing, agenda_item=agenda_item, actor=actor
        )
        agenda_item.delete()
        _renumber_agenda(hearing, list(selectors.agenda_of(hearing)))
        _publish_agenda(hearing)


def hearing_start(*, actor, hearing):
    """Go live; the first agenda item becomes the one under discussion."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        if hearing.status != hearing.Status.SCHEDULED:
            raise Conflict(_("Only a scheduled hearing can start."))
        if hearing.consultation.status == Consultation.Status.DRAFT:
            raise Conflict(_("Publish the consultation before its hearing starts."))
        if hearing.consultation.has_closed:
            raise Conflict(_("The consultation has closed; its hearing can no longer go live."))
        hearing.status = hearing.Status.LIVE
        hearing.started_at = timezone.now()
        hearing.current_agenda_item = selectors.agenda_of(hearing).first()
        hearing.save(update_fields=["status", "started_at", "current_agenda_item"])
        _publish(hearing, "hearing.started", payloads.hearing(hearing))
        if hearing.current_agenda_item is not None:
            _publish_agenda(hearing)
    return hearing


def hearing_advance(*, actor, hearing, agenda_item=None):
    """Move to the next agenda item, or to the one the chair picks."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_live(hearing)
        agenda = list(selectors.agenda_of(hearing))
        if agenda_item is not None:
            target = next((a for a in agenda if a.pk == agenda_item.pk), None)
            if target is None:
                raise Invalid(
                    _("This agenda item belongs to another hearing."), field="agenda_item"
                )
        else:
            ids = [a.pk for a in agenda]
            current = hearing.current_agenda_item_id
            index = ids.index(current) + 1 if current in ids else 0
            if index >= len(agenda):
                raise Conflict(_("This is already the last agenda item."))
            target = agenda[index]
        hearing.current_agenda_item = target
        hearing.save(update_fields=["current_agenda_item"])
        _publish_agenda(hearing)
    return hearing


def hearing_end(*, actor, hearing):

    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_live(hearing)
        hearing_ending.send(sender=Hearing, hearing=hearing)
        done = SpeakerRequest.objects.filter(
            hearing=hearing, status=SpeakerRequest.Status.SPEAKING
        ).update(status=SpeakerRequest.Status.DONE)
        withdrawn = SpeakerRequest.objects.filter(
            hearing=hearing, status=SpeakerRequest.Status.WAITING
        ).update(status=SpeakerRequest.Status.WITHDRAWN)
        if done or withdrawn:
            _publish_speakers(hearing)
        hearing.status = hearing.Status.ENDED
        hearing.ended_at = timezone.now()
        hearing.save(update_fields=["status", "ended_at"])
        _publish(hearing, "hearing.ended", payloads.hearing(hearing))
    return hearing


def check_in_token(hearing) -> str:
    """The signed, expiring value behind the QR code shown in the room: the hearing's id
    and the time it was made, so it is good for this hearing and for CHECK_IN_MAX_AGE."""
    return signing.TimestampSigner(salt=CHECK_IN_SALT).sign(str(hearing.pk))


def _check_in_token_valid(hearing, token: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=CHECK_IN_SALT).unsign(
            token or "", max_age=CHECK_IN_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise NotAllowed(
            _("This check-in code has expired; scan the code in the room again.")
        ) from exc
    except signing.BadSignature:
        return False
    return value == str(hearing.pk)


def attendance_check_in(
    *, actor, hearing, token: str = "", organization: Organization | None = None
):
    """Check an organization in: a member scanning the room's QR code, or an officer for anyone.

    Checking in twice is harmless: the first attendance is returned.
    """

    if organization is not None:
        _require_hearing_runner(actor, hearing)
        method = Attendance.Method.OFFICER
        if not organization.is_verified:
            raise Conflict(_("Only verified organizations can check in."), field="organization")
    else:
        if not _check_in_token_valid(hearing, token):
            raise NotAllowed(_("This check-in code is not valid for this hearing."))
        organization = accounts_permissions.verified_organization_of(actor)
        require(
            organization is not None,
            _("Sign in as a member of a verified organization to check in."),
        )
        method = Attendance.Method.QR
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_not_ended(hearing)
        existing = Attendance.objects.filter(hearing=hearing, organization=organization).first()
        if existing is not None:
            return existing
        attendance = Attendance.objects.create(
            hearing=hearing, organization=organization, checked_in_by=actor, method=method
        )
        _publish(hearing, "attendance.updated", payloads.attendance(hearing))
    return attendance


def display_key_rotate(*, actor, hearing):
    """Revoke the big screen's key: screens with the old key lose access."""
    require(
        permissions.can_see_display_key(actor, hearing),
        _("Only officials and moderators may rotate the display key."),
    )
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        hearing.display_key = _new_display_key()
        hearing.save(update_fields=["display_key"])
        events.close_display_sockets(hearing.stream)
    return hearing


def screen_set_mode(*, actor, hearing, mode: str):
    _require_hearing_runner(actor, hearing)
    if mode not in hearing.Screen.values:
        raise Invalid(_("Unknown screen mode."), field="mode")
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_not_ended(hearing)
        if hearing.screen_mode != mode:
            hearing.screen_mode = mode
            hearing.save(update_fields=["screen_mode"])
            _publish(hearing, "screen.changed", payloads.screen(hearing))
    return hearing


def _lock_screen_comment(actor, comment):

    require(
        permissions.can_screen_comments(actor),
        _("Only moderators may choose what the big screen shows."),
    )
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("author", "author__privacy", "organization", "hearing")
        .get(pk=comment.pk)
    )
    if comment.hearing_id is None:
        raise Conflict(_("Only comments made in a hearing can go on its screen."))
    return comment


def comment_show_on_screen(*, actor, comment):
    """Put a published hearing comment on the big screen."""

    with transaction.atomic():
        comment = _lock_screen_comment(actor, comment)
        if not comment.is_published or comment.is_removed:
            raise Conflict(_("Only published comments can be shown on the screen."))
        if comment.on_screen_at is None:
            comment.on_screen_at = timezone.now()
            comment.save(update_fields=["on_screen_at"])
            ModerationAction.objects.create(
                comment=comment, actor=actor, action=ModerationAction.Action.SCREEN
            )
            _publish(comment.hearing, "comment.screened", comment_payloads.comment(comment))
    return comment


def comment_hide_from_screen(*, actor, comment):

    with transaction.atomic():
        comment = _lock_screen_comment(actor, comment)
        if comment.on_screen_at is not None:
            comment.on_screen_at = None
            comment.save(update_fields=["on_screen_at"])
            ModerationAction.objects.create(
                comment=comment, actor=actor, action=ModerationAction.Action.UNSCREEN
            )
            if comment.is_published and not comment.is_removed:
                # A comment that is not public left every screen when it was hidden, and
                # its text must not go out again.
                _publish(comment.hearing, "comment.screened", comment_payloads.comment(comment))
    return comment


def _publish_speakers(hearing) -> None:
    _publish(hearing, "speakers.changed", payloads.speakers(hearing))


def _clean_counts(counts, choices: list[str]) -> dict[str, int]:
    if not isinstance(counts, dict) or not counts:
        raise Invalid(_("Enter the counts as {choice: number}."), field="counts")
    cleaned = {}
    for choice, number in counts.items():
        if choice not in choices:
            raise Invalid(
                _("Unknown choice %(choice)s; use %(choices)s.")
                % {"choice": choice, "choices": ", ".join(choices)},
                field="counts",
            )
        if isinstance(number, bool):
            raise Invalid(_("Counts must be whole numbers."), field="counts")
        try:
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise Invalid(_("Counts must be whole numbers."), field="counts") from exc
        if value != number and str(value) != str(number).strip():
            raise Invalid(_("Counts must be whole numbers."), field="counts")
        if not 0 <= value <= 1_000_000:
            raise Invalid(_("Counts must be between 0 and 1,000,000."), field="counts")
        cleaned[choice] = value
    return cleaned


def manual_count_enter(*, actor, hearing, item: Item, method: str, counts: dict, note: str = ""):
    """Record a show-of-hands or paper count; it stays apart from the online tally."""

    require(
        permissions.can_run_hearing(actor, hearing),
        _("Only officials and moderators may enter counts."),
    )
    if method not in ManualCount.Method.values:
        raise Invalid(_("Unknown counting method."), field="method")
    if item is None or item.consultation_id != hearing.consultation_id:
        raise Invalid(_("This item belongs to another consultation."), field="item")
    cleaned = _clean_counts(counts, hearing.consultation.vote_choices())
    with transaction.atomic():
        hearing = selectors.hearing_for_update(hearing)
        _require_not_ended(hearing)
        count = ManualCount.objects.create(
            hearing=hearing,
            item=item,
            method=method,
            counts=cleaned,
            note=(note or "").strip()[:500],
            entered_by=actor,
        )
        _publish(hearing, "manual_count.entered", payloads.manual_count(count))
    return count


# Big screens report a heartbeat every 30 s; kept in the cache (shared through Redis in
# production), never in the database: it is presence, not history.
def screen_heartbeat(*, actor, hearing, key: str, screen: str, label: str = "") -> dict:
    """A projector says it is alive; it proves itself with the display key, not a login.

    At most RUANG["SCREENS_PER_HEARING"] screens are listed at once: a leaked key cannot
    flood the console. Two heartbeats racing may lose one entry (it returns 30 s later),
    never add one beyond the cap: each write holds what its read saw plus one screen.
    """

    if not permissions.can_use_display_key(hearing, key):
        raise NotAllowed(_("This screen's display key is not valid (any more)."))
    screen = (screen or "").strip()[:64]
    if not screen:
        raise Invalid(_("A screen id is required."), field="screen")
    now = timezone.now()
    screens = cache.get(selectors.screen_heartbeat_key(hearing)) or {}
    cutoff = now - datetime.timedelta(seconds=selectors.SCREEN_HEARTBEAT_TTL)
    screens = {
        sid: info
        for sid, info in screens.items()
        if datetime.datetime.fromisoformat(info["last_seen"]) > cutoff
    }
    limit = settings.RUANG["SCREENS_PER_HEARING"]
    if screen not in screens and len(screens) >= limit:
        raise Conflict(
            _(
                "This hearing already has %(limit)s screens connected. A screen that stops "
                "reporting leaves the list after five minutes."
            )
            % {"limit": limit}
        )
    screens[screen] = {"screen": screen, "label": (label or "")[:120], "last_seen": now.isoformat()}
    cache.set(selectors.screen_heartbeat_key(hearing), screens, selectors.SCREEN_HEARTBEAT_TTL)
    return screens[screen]
