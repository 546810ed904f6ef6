"""Reads of hearings, their agenda, attendance, speakers, screens and counts."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts import permissions
from comments.models import Comment
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


def awaiting_moderation(hearing, limit: int = 200) -> list:
    """The hearing's comments waiting for a moderator (pre-moderation), oldest first."""
    return list(
        Comment.objects.filter(hearing=hearing, status=Comment.Status.PENDING, is_removed=False)
        .select_related("author", "organization")
        .order_by("id")[:limit]
    )


def room_comments(hearing, limit: int = ROOM_COMMENT_LIMIT) -> list:
    """The last published comments of the hearing, oldest first (in id order, as the page
    reducer keeps them)."""
    rows = list(_published_hearing_comments(hearing).order_by("-id")[:limit])
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


def manual_counts_of(hearing):

    return (
        ManualCount.objects.filter(hearing=hearing)
        .select_related("item")
        .order_by("entered_at", "id")
    )


def attendance_of(hearing):

    return Attendance.objects.filter(hearing=hearing).select_related("organization")


def has_checked_in(hearing, organization) -> bool:
    if organization is None:
        return False
    return attendance_of(hearing).filter(organization=organization).exists()


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


def hearings_voting_in(consultation) -> list[Hearing]:
    """The hearings with a voting window open on one of the consultation's items, locked
    as `hearing_for_update` locks them (the consultation's close shuts those windows)."""
    return list(
        Hearing.objects.select_for_update(of=("self",))
        .select_related("consultation", "voting_item")
        .filter(consultation=consultation, voting_item__isnull=False)
        .order_by("pk")
    )
