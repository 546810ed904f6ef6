"""Reads of hearings, their agenda, attendance, speakers, screens and counts."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts import permissions
from comments.models import Comment
from comments.selectors import comment_payload, organization_label
from consultations.models import Consultation
from hearings.models import AgendaItem, Attendance, Hearing, ManualCount, SpeakerRequest

SCREEN_COMMENT_LIMIT = 6


ROOM_COMMENT_LIMIT = 50


def hearings_visible_to(user) -> QuerySet:

    qs = Hearing.objects.select_related("consultation", "current_agenda_item", "voting_item")
    if permissions.is_staff_role(user):
        return qs
    return qs.exclude(consultation__status=Consultation.Status.DRAFT)


def hearing_for_page(hearing_id: int, user):

    return (
        hearings_visible_to(user)
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("item").order_by("position", "id"),
            )
        )
        .get(pk=hearing_id)
    )


def agenda_of(hearing):

    return (
        AgendaItem.objects.filter(hearing=hearing).select_related("item").order_by("position", "id")
    )


def item_payload(item) -> dict | None:
    if item is None:
        return None
    return {"id": item.pk, "code": item.code, "title": item.title}


def agenda_item_payload(agenda_item) -> dict | None:
    if agenda_item is None:
        return None
    return {
        "id": agenda_item.pk,
        "position": agenda_item.position,
        "title": agenda_item.title,
        "item": agenda_item.item_id,
    }


def agenda_payload(hearing) -> dict:
    agenda = list(agenda_of(hearing))
    current = next((a for a in agenda if a.pk == hearing.current_agenda_item_id), None)
    return {
        "kind": "agenda",
        "agenda": [agenda_item_payload(a) for a in agenda],
        "current": agenda_item_payload(current),
        "current_item": item_payload(current.item if current else None),
    }


def voting_payload(hearing) -> dict | None:
    if hearing.voting_item_id is None:
        return None
    consultation = hearing.consultation
    return {
        "item": item_payload(hearing.voting_item),
        "opened_at": hearing.voting_opened_at.isoformat() if hearing.voting_opened_at else None,
        "method": consultation.voting_method,
        "ballot": consultation.ballot,
        "choices": consultation.vote_choices(),
        "check_in_required": hearing.check_in_required,
    }


def _published_hearing_comments(hearing):

    return Comment.objects.filter(
        hearing=hearing, status=Comment.Status.PUBLISHED, is_removed=False
    ).select_related("author", "organization")


def screen_comments(hearing, limit: int = SCREEN_COMMENT_LIMIT) -> list:
    """The last comments a moderator approved for the big screen, oldest first."""
    rows = list(
        _published_hearing_comments(hearing)
        .filter(on_screen_at__isnull=False)
        .order_by("-on_screen_at", "-id")[:limit]
    )
    return rows[::-1]


def room_comments(hearing, limit: int = ROOM_COMMENT_LIMIT) -> list:
    rows = list(_published_hearing_comments(hearing).order_by("-created_at", "-id")[:limit])
    return rows[::-1]


def speakers_of(hearing):

    return (
        SpeakerRequest.objects.filter(
            hearing=hearing,
            status__in=[SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING],
        )
        .select_related("organization")
        .order_by("position", "id")
    )


def speaker_payload(request) -> dict:
    ends_at = None
    if request.started_at is not None:
        ends_at = (request.started_at + timedelta(seconds=request.seconds)).isoformat()
    return {
        "id": request.pk,
        "organization": organization_label(request.organization),
        "organization_id": request.organization_id,
        "status": request.status,
        "position": request.position,
        "seconds": request.seconds,
        "started_at": request.started_at.isoformat() if request.started_at else None,
        "ends_at": ends_at,
    }


def speakers_payload(hearing) -> dict:
    rows = list(speakers_of(hearing))
    speaking = next((r for r in rows if r.status == r.Status.SPEAKING), None)
    return {
        "kind": "speakers",
        "queue": [speaker_payload(r) for r in rows if r.status == r.Status.WAITING],
        "speaking": speaker_payload(speaking) if speaking else None,
    }


def manual_count_payload(count) -> dict:
    return {
        "id": count.pk,
        "item": item_payload(count.item),
        "method": count.method,
        "label": str(count.get_method_display()),
        "counts": count.counts,
        "total": sum(count.counts.values()),
        "note": count.note,
        "entered_at": count.entered_at.isoformat(),
    }


def manual_counts_of(hearing):

    return (
        ManualCount.objects.filter(hearing=hearing)
        .select_related("item")
        .order_by("entered_at", "id")
    )


def attendance_of(hearing):

    return Attendance.objects.filter(hearing=hearing).select_related("organization")


def attendance_payload(hearing, organization=None) -> dict:
    data = {"kind": "attendance", "count": attendance_of(hearing).count()}
    if organization is not None:
        data["organization"] = {"id": organization.pk, "name": organization.name}
    return data


def has_checked_in(hearing, organization) -> bool:
    if organization is None:
        return False
    return attendance_of(hearing).filter(organization=organization).exists()


def hearing_payload(hearing) -> dict:
    return {
        "id": hearing.pk,
        "title": hearing.title,
        "location": hearing.location,
        "starts_at": hearing.starts_at.isoformat(),
        "status": hearing.status,
        "screen_mode": hearing.screen_mode,
        "check_in_required": hearing.check_in_required,
        "consultation": {"id": hearing.consultation_id, "title": hearing.consultation.title},
    }


def hearing_snapshot(hearing, tally=None) -> dict:
    """The whole public state of a hearing: the `snapshot` data and the pages' initial state.

    `tally` is the current tally of the open voting item when the caller can read it
    (the voting app); consultations itself knows nothing about votes.
    """
    return {
        "hearing": hearing_payload(hearing),
        "agenda": agenda_payload(hearing),
        "voting": voting_payload(hearing),
        "tally": tally,
        "screen_comments": [comment_payload(c) for c in screen_comments(hearing)],
        "comments": [comment_payload(c) for c in room_comments(hearing)],
        "speakers": speakers_payload(hearing),
        "manual_counts": [manual_count_payload(c) for c in manual_counts_of(hearing)],
        "attendance": attendance_payload(hearing),
    }


def pending_hearing_comments(hearing, limit: int = 100) -> list:
    """For the moderator console: published comments not yet on the screen, newest first."""
    return list(
        _published_hearing_comments(hearing)
        .filter(on_screen_at__isnull=True)
        .order_by("-created_at", "-id")[:limit]
    )


SCREEN_HEARTBEAT_TTL = 5 * 60


def screen_heartbeat_key(hearing) -> str:
    return f"hearing-screens:{hearing.pk}"


def connected_screens(hearing) -> list[dict]:
    """Screens that sent a heartbeat in the last five minutes, newest first."""

    cutoff = timezone.now() - timedelta(seconds=SCREEN_HEARTBEAT_TTL)
    screens = (cache.get(screen_heartbeat_key(hearing)) or {}).values()
    fresh = [s for s in screens if datetime.fromisoformat(s["last_seen"]) > cutoff]
    return sorted(fresh, key=lambda s: s["last_seen"], reverse=True)


def hearing_for_update(hearing) -> Hearing:
    """The hearing's row, locked until the caller's transaction ends: every change to a
    hearing (here and in voting's live windows) takes this lock first."""
    return (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("consultation", "voting_item", "current_agenda_item")
        .get(pk=hearing.pk)
    )
