"""Reads of hearings, their agenda, attendance, speakers, screens and counts."""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from accounts import permissions
from accounts.models import Organization
from comments.models import Comment
from consultations.models import Consultation
from hearings.models import (
    AgendaItem,
    Attendance,
    Hearing,
    HearingInvitation,
    ManualCount,
    QuestionUpvote,
    SpeakerRequest,
)
from realtime.models import StreamEvent

SCREEN_COMMENT_LIMIT = 6


ROOM_COMMENT_LIMIT = 50
QUESTION_LIMIT = 200


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
    ).select_related("author", "author__privacy", "organization")


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
        .select_related("author", "author__privacy", "organization")
        .order_by("id")[:limit]
    )


def room_comments(hearing, limit: int = ROOM_COMMENT_LIMIT) -> list:
    """The last published comments of the hearing, oldest first (in id order, as the page
    reducer keeps them)."""
    rows = list(_published_hearing_comments(hearing).order_by("-id")[:limit])
    return rows[::-1]


def room_questions(hearing, limit: int = QUESTION_LIMIT) -> list:
    """The hearing's published questions with their room state, the last `limit` in id
    order (as the page reducer keeps them); the pages sort them by upvotes or by time."""
    rows = list(
        _published_hearing_comments(hearing)
        .filter(stance=Comment.Stance.QUESTION)
        .select_related("question")
        .order_by("-id")[:limit]
    )
    return rows[::-1]


def questions_upvoted_by(user, hearing) -> list[int]:
    """The ids of the hearing's questions `user` upvoted (the room marks its buttons)."""
    if not permissions.is_authenticated(user):
        return []
    return list(
        QuestionUpvote.objects.filter(user=user, comment__hearing=hearing).values_list(
            "comment_id", flat=True
        )
    )


def questions_asked_by(user, hearing) -> list[int]:
    """The ids of the hearing's questions `user` asked (nobody upvotes their own)."""
    if not permissions.is_authenticated(user):
        return []
    return list(
        Comment.objects.filter(
            author=user, hearing=hearing, stance=Comment.Stance.QUESTION
        ).values_list("pk", flat=True)
    )


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


def invitations_visible_to(user, hearing=None) -> QuerySet[HearingInvitation]:
    """Undangan the user may read: the chair (officials, moderators) every one, an
    organization's members their own organization's; nobody else any."""
    checked_in = Attendance.objects.filter(
        hearing=OuterRef("hearing"), organization=OuterRef("organization")
    )
    qs = (
        HearingInvitation.objects.select_related(
            "organization", "hearing__consultation__agency", "sent_by", "replied_by"
        )
        .annotate(checked_in=Exists(checked_in))
        .order_by("hearing__starts_at", "organization__name", "id")
    )
    if hearing is not None:
        qs = qs.filter(hearing=hearing)
    if permissions.is_official(user) or permissions.is_moderator(user):
        return qs
    membership = permissions.membership_of(user)
    if membership is None:
        return qs.none()
    return qs.filter(organization_id=membership.organization_id)


def organizations_to_invite(hearing) -> QuerySet[Organization]:
    """Verified organizations the hearing has not invited yet (the official's form)."""
    return (
        Organization.objects.filter(status=Organization.Status.VERIFIED)
        .exclude(hearing_invitations__hearing=hearing)
        .order_by("name")
    )


def invitation_recipients(invitation) -> list[tuple[str, object]]:
    """Who receives an undangan by e-mail, as (address, user or None): the organization's
    representatives (they answer it) and its contact address (the office's inbox), each
    address once. Members hear of it from their representative, as with a paper letter."""
    recipients: dict[str, object] = {}
    for membership in (
        invitation.organization.memberships.filter(role="representative", user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        email = membership.user.email.strip()
        if email:
            recipients.setdefault(email.lower(), (email, membership.user))
    contact = invitation.organization.contact_email.strip()
    if contact:
        recipients.setdefault(contact.lower(), (contact, None))
    return list(recipients.values())


def agenda_timeline(hearing) -> list[tuple[datetime, int | None]]:
    """When each agenda item became the current one: (time, agenda item id or None), in
    order, read from the hearing's own event log (every change of the current item
    publishes `agenda.changed` with it, in the same transaction). Room comments carry no
    item; this says which agenda item they were said under (the Berita Acara)."""
    rows = (
        StreamEvent.objects.filter(stream=hearing.stream, type="agenda.changed")
        .order_by("seq")
        .values_list("created_at", "data__current__id")
    )
    timeline: list[tuple[datetime, int | None]] = []
    for at, current in rows:
        if not timeline or timeline[-1][1] != current:
            timeline.append((at, current))
    return timeline
