"""A hearing's live state on the wire: one builder per entity, one shape everywhere.

Each builder here is the REST answer of its entity (hearings/api.py, the shared fields
of serializers.HearingSerializer), the `data` of its event (hearings/services.py,
voting/services.py) and its part of the hearing snapshot (realtime/live.py). The
page reducer (realtime/static/realtime/live.js) sets state from these shapes as they are.
"""

from datetime import timedelta

from backend.isotime import isotime
from comments import payloads as comment_payloads
from hearings import selectors

ITEM = ("id", "code", "title")
AGENDA_ITEM = ("id", "position", "title", "item")
AGENDA = ("hearing", "agenda", "current", "current_item")
HEARING = (
    "id",
    "consultation",
    "title",
    "starts_at",
    "location",
    "status",
    "check_in_required",
    "screen_mode",
    "started_at",
    "ended_at",
)
VOTING = ("hearing", "item", "opened_at", "method", "ballot", "choices", "check_in_required")
SPEAKER = (
    "id",
    "organization",
    "organization_id",
    "status",
    "position",
    "seconds",
    "started_at",
    "ends_at",
)
SPEAKERS = ("hearing", "queue", "speaking")
CHECK_IN = ("hearing", "organization", "method", "checked_in_at")
ATTENDANCE = ("hearing", "count", "latest")
SCREEN = ("hearing", "mode")
MANUAL_COUNT = ("id", "item", "method", "label", "counts", "total", "note", "entered_at")
# A question of the room is its comment plus the room's state of it (hearings/questions.py).
# Its event carries the state only: a question's text goes out as its comment's, and
# leaves the log with it when the comment is hidden (comments.services redacts those).
QUESTION_STATE = ("id", "hearing", "upvotes", "answered_at", "merged_into", "featured_at")
QUESTION = (*comment_payloads.COMMENT, *QUESTION_STATE[2:])

# Event `data` per type (docs/REALTIME.md's table is checked against these).
EVENT_DATA = {
    "hearing.started": HEARING,
    "hearing.updated": HEARING,
    "hearing.ended": HEARING,
    "agenda.changed": AGENDA,
    "voting.opened": VOTING,
    "speakers.changed": SPEAKERS,
    "attendance.updated": ATTENDANCE,
    "screen.changed": SCREEN,
    "manual_count.entered": MANUAL_COUNT,
    "question.updated": QUESTION_STATE,
}


def item(item) -> dict | None:
    """A consultation item as the live pages name it."""
    if item is None:
        return None
    return {"id": item.pk, "code": item.code, "title": item.title}


def agenda_item(agenda_item) -> dict | None:
    if agenda_item is None:
        return None
    return {
        "id": agenda_item.pk,
        "position": agenda_item.position,
        "title": agenda_item.title,
        "item": agenda_item.item_id,
    }


def agenda(hearing) -> dict:
    """The whole agenda in order and the item under discussion."""
    rows = list(selectors.agenda_of(hearing))
    current = next((a for a in rows if a.pk == hearing.current_agenda_item_id), None)
    return {
        "hearing": hearing.pk,
        "agenda": [agenda_item(a) for a in rows],
        "current": agenda_item(current),
        "current_item": item(current.item if current else None),
    }


def hearing(hearing) -> dict:
    """What anyone who may follow the hearing sees of it (never its display key)."""
    return {
        "id": hearing.pk,
        "consultation": hearing.consultation_id,
        "title": hearing.title,
        "starts_at": isotime(hearing.starts_at),
        "location": hearing.location,
        "status": hearing.status,
        "check_in_required": hearing.check_in_required,
        "screen_mode": hearing.screen_mode,
        "started_at": isotime(hearing.started_at),
        "ended_at": isotime(hearing.ended_at),
    }


def voting(hearing) -> dict | None:
    """The live voting window, or None while no vote is open."""
    if hearing.voting_item_id is None:
        return None
    consultation = hearing.consultation
    return {
        "hearing": hearing.pk,
        "item": item(hearing.voting_item),
        "opened_at": isotime(hearing.voting_opened_at),
        "method": consultation.voting_method,
        "ballot": consultation.ballot,
        "choices": consultation.vote_choices(),
        "check_in_required": hearing.check_in_required,
    }


def speaker(request) -> dict:
    """One request for the floor; `ends_at` lets every screen run the same countdown."""
    ends_at = None
    if request.started_at is not None:
        ends_at = request.started_at + timedelta(seconds=request.seconds)
    return {
        "id": request.pk,
        "organization": request.organization.name,
        "organization_id": request.organization_id,
        "status": request.status,
        "position": request.position,
        "seconds": request.seconds,
        "started_at": isotime(request.started_at),
        "ends_at": isotime(ends_at),
    }


def speakers(hearing) -> dict:
    """The waiting queue in order and who has the floor."""
    rows = list(selectors.speakers_of(hearing))
    speaking = next((r for r in rows if r.status == r.Status.SPEAKING), None)
    return {
        "hearing": hearing.pk,
        "queue": [speaker(r) for r in rows if r.status == r.Status.WAITING],
        "speaking": speaker(speaking) if speaking else None,
    }


def check_in(attendance) -> dict:
    """One organization checked in (the check-in answer, and the latest in `attendance`)."""
    organization = attendance.organization
    return {
        "hearing": attendance.hearing_id,
        "organization": {"id": organization.pk, "name": organization.name},
        "method": attendance.method,
        "checked_in_at": isotime(attendance.checked_in_at),
    }


def attendance(hearing) -> dict:
    """How many organizations are present, and the one that checked in last."""
    rows = selectors.attendance_of(hearing)
    latest = rows.order_by("-checked_in_at", "-id").first()
    return {
        "hearing": hearing.pk,
        "count": rows.count(),
        "latest": check_in(latest) if latest is not None else None,
    }


def screen(hearing) -> dict:
    """The big screen's mode: live, frozen or blank."""
    return {"hearing": hearing.pk, "mode": hearing.screen_mode}


def manual_count(count) -> dict:
    """A show-of-hands or paper count, kept apart from the online tally."""
    return {
        "id": count.pk,
        "item": item(count.item),
        "method": count.method,
        "label": str(count.get_method_display()),
        "counts": count.counts,
        "total": sum(count.counts.values()),
        "note": count.note,
        "entered_at": isotime(count.entered_at),
    }


def question_state(comment) -> dict:
    """The room's state of a question: upvotes, answered, merged into, on the big screen
    (the `question.updated` event, the answer of the question actions). Reads
    `comment.question`, the state row, absent until the first upvote or chair's action:
    select_related it for lists."""
    state = getattr(comment, "question", None)
    return {
        "id": comment.pk,
        "hearing": comment.hearing_id,
        "upvotes": state.upvotes if state else 0,
        "answered_at": isotime(state.answered_at) if state else None,
        "merged_into": state.merged_into_id if state else None,
        "featured_at": isotime(state.featured_at) if state else None,
    }


def question(comment) -> dict:
    """A question as the pages list it (the hearing snapshot's `questions`): its comment
    and its state. Reads `author`, `organization` and `question`: select_related them."""
    return {**comment_payloads.comment(comment), **question_state(comment)}


def invitation(invitation) -> dict:
    """An undangan and its reply (REST answers, the pages). Reads `organization`, and
    `checked_in` when the selector annotated it (hearings.selectors.invitations_visible_to)."""
    organization = invitation.organization
    base = f"/api/v1/hearing-invitations/{invitation.pk}/"
    return {
        "id": invitation.pk,
        "hearing": invitation.hearing_id,
        "organization": {
            "id": organization.pk,
            "name": organization.name,
            "acronym": organization.acronym,
        },
        "number": invitation.number,
        "sent_at": isotime(invitation.sent_at),
        "emailed_at": isotime(invitation.emailed_at),
        "reply": invitation.reply,
        "reply_label": str(invitation.get_reply_display()),
        "delegate_name": invitation.delegate_name,
        "replied_at": isotime(invitation.replied_at),
        "checked_in": getattr(invitation, "checked_in", None),
        "letter_url": f"{base}letter.docx",
        "calendar_url": f"{base}invitation.ics",
    }
