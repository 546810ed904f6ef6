"""Live hearing pages: the hearing room (phone), the big screen (projector) and the console.

Each page renders the hearing's current state with the stream's seq read first, then the
shared client (static/realtime/live.js) connects with `?after=<seq>`: every later event is
replayed or pushed exactly once, and applying an event already reflected in the state is
harmless (handlers set state, they never append blindly).
"""

import io
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.models import Organization
from backend.errors import DomainError, NotAllowed, NotFound
from comments import payloads as comment_payloads
from consultations import selectors as consultations_selectors
from hearings import permissions as hearings_permissions
from hearings import selectors, services
from hearings.models import Hearing
from realtime import events, live


def _hearing(hearing_id: int, user) -> Hearing:
    try:
        return selectors.hearing_for_page(hearing_id, user)
    except ObjectDoesNotExist as exc:
        raise NotFound(_("This hearing does not exist or is not public.")) from exc


def _live_context(request, hearing: Hearing, *, key: str = "", moderator: bool = False) -> dict:
    seq = events.current_seq(hearing.stream)  # first: later events are replayed after it
    snapshot = live.hearing_state(hearing, moderator=moderator, seq=seq)
    return {
        "hearing": hearing,
        "snapshot": snapshot,
        "live_config": {
            "hearing": hearing.pk,
            "seq": seq,
            "key": key,
            "now": timezone.now().isoformat(),
            "api": f"/api/v1/hearings/{hearing.pk}/",
        },
        "labels": _labels(),
    }


def _labels() -> dict:
    """Strings the scripts show, translated here (the scripts carry no language)."""
    return {
        "for": _("For"),
        "against": _("Against"),
        "abstain": _("Abstain"),
        "approve": _("Approve"),
        "support": _("Support"),
        "oppose": _("Oppose"),
        "neutral": _("Neutral"),
        "question": _("Question"),
        "votes": _("votes"),
        "total": _("Total"),
        "hidden": _("Secret ballot: the result is shown when voting closes."),
        "voting_open": _("Voting is open"),
        "voting_closed": _("Voting closed"),
        "no_agenda": _("No agenda item yet"),
        "scheduled": _("Scheduled"),
        "live": _("Live"),
        "ended": _("Ended"),
        "reconnecting": _("Reconnecting…"),
        "denied": _("This screen's key is no longer valid. Ask the moderator for the new link."),
        "speaking": _("Has the floor"),
        "waiting": _("Waiting"),
        "queue_empty": _("Nobody is waiting for the floor."),
        "hands": _("Show of hands"),
        "paper": _("Paper ballots"),
        "manual": _("Counted in the room"),
        "online": _("Online votes"),
        "no_comments": _("No comments yet."),
        "sent": _("Thank you, your comment was sent."),
        "pending": _("Your comment waits for moderation."),
        "vote_saved": _("Your organization's vote was saved."),
        "floor_asked": _("Your organization is in the queue."),
        "error": _("That did not work:"),
        "screen_on": _("On screen"),
        "show": _("Show on screen"),
        "approve_comment": _("Publish"),
        "hide": _("Take off screen"),
        "give_floor": _("Give the floor"),
        "done": _("Done"),
        "withdraw": _("Withdraw"),
        "up": _("Move up"),
        "down": _("Move down"),
        "attendance": _("organizations checked in"),
        "no_screens": _("No screen has reported in the last five minutes."),
        "seconds_ago": _("s ago"),
        "hearing_ended": _("The hearing has ended. Thank you for taking part."),
        # The room's questions (hearings/questions.py)
        "no_questions": _("No questions yet."),
        "upvote": _("Upvote"),
        "upvotes": _("upvotes"),
        "upvote_question": _("Upvote this question"),
        "your_question": _("Your question"),
        "answered": _("Answered"),
        "question_on_screen": _("On the big screen"),
        "question_from_room": _("Question from the room"),
        "mark_answered": _("Mark answered"),
        "mark_unanswered": _("Not answered yet"),
        "show_question": _("Put on the big screen"),
        "hide_question": _("Take off the big screen"),
        "merge_into": _("Duplicate of"),
        "merge": _("Merge"),
        "answered_questions": _("Answered questions"),
        "screen": _("Screen"),
        "go_to_item": _("Go to this agenda item:"),
    }


def hearing_list(request):
    hearings = selectors.hearings_visible_to(request.user).order_by("-starts_at")[:50]
    return render(request, "realtime/hearing_list.html", {"hearings": hearings})


@never_cache
def hearing_room(request, hearing_id: int):
    """Participants' page, phone first: what is discussed, the feed, comment, vote, floor."""
    hearing = _hearing(hearing_id, request.user)
    organization = permissions.organization_of(request.user)
    verified = permissions.verified_organization_of(request.user)
    token = request.GET.get("checkin", "")
    context = _live_context(request, hearing)
    context.update(
        {
            "organization": organization,
            "verified_organization": verified,
            "checked_in": selectors.has_checked_in(hearing, organization),
            "check_in_token": token[:300],
            "can_comment": permissions.is_authenticated(request.user),
            "can_request_floor": verified is not None,
            "is_representative": bool(
                verified and permissions.is_representative_of(request.user, verified)
            ),
            "can_run": hearings_permissions.can_run_hearing(request.user, hearing),
        }
    )
    context["live_config"].update(
        {
            "consultation": hearing.consultation_id,
            "organization": verified.pk if verified else None,
            "user": request.user.pk if request.user.is_authenticated else None,
            # The reader's own part of the room's questions; the snapshot is everyone's.
            "upvoted": selectors.questions_upvoted_by(request.user, hearing),
            "own_questions": selectors.questions_asked_by(request.user, hearing),
            "can_upvote": hearings_permissions.can_upvote_questions(request.user, hearing),
        }
    )
    return render(request, "realtime/hearing_room.html", context)


@require_POST
def hearing_check_in(request, hearing_id: int):
    """The form behind the room's QR code: a signed-in member checks the organization in."""
    hearing = _hearing(hearing_id, request.user)
    room = reverse("hearing-room", args=[hearing.pk])
    if not request.user.is_authenticated:
        back = f"{room}?{urlencode({'checkin': request.POST.get('token', '')})}"
        return redirect(f"{reverse('login')}?{urlencode({'next': back})}")
    try:
        attendance = services.attendance_check_in(
            actor=request.user, hearing=hearing, token=request.POST.get("token", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(organization)s is checked in.") % {"organization": attendance.organization.name},
        )
    return redirect(room)


def _screen_hearing(request, hearing_id: int) -> tuple[Hearing, str]:
    """The big screen needs no login, only the hearing's current display key."""
    key = request.GET.get("key", "")
    hearing = (
        Hearing.objects.select_related("consultation", "current_agenda_item", "voting_item")
        .filter(pk=hearing_id)
        .first()
    )
    if hearing is None:
        raise NotFound(_("This hearing does not exist."))
    if not hearings_permissions.can_use_display_key(hearing, key):
        raise NotAllowed(
            _("This screen link is not valid (any more). Ask the moderator for the current link.")
        )
    return hearing, key


def room_url_with_check_in(request, hearing: Hearing) -> str:
    path = reverse("hearing-room", args=[hearing.pk])
    return request.build_absolute_uri(f"{path}?checkin={services.check_in_token(hearing)}")


@never_cache
def hearing_screen(request, hearing_id: int):
    hearing, key = _screen_hearing(request, hearing_id)
    context = _live_context(request, hearing, key=key)
    theme = request.GET.get("theme", "dark")
    context.update(
        {
            "theme": theme if theme in ("dark", "light") else "dark",
            "room_url": request.build_absolute_uri(reverse("hearing-room", args=[hearing.pk])),
        }
    )
    # The check-in code in the QR expires (hearings.services.CHECK_IN_MAX_AGE): the page
    # fetches a fresh QR this often, so the code on the wall always works.
    context["live_config"]["qr_seconds"] = services.CHECK_IN_ROTATE_SECONDS
    return render(request, "realtime/hearing_screen.html", context)


@never_cache
def hearing_screen_qr(request, hearing_id: int):
    """The QR code to join the room and check in, made here with segno. It carries a fresh
    check-in code on every request; the screen asks for a new one every minute."""
    hearing, _key = _screen_hearing(request, hearing_id)
    buffer = io.BytesIO()
    segno.make(room_url_with_check_in(request, hearing), error="m").save(
        buffer, kind="svg", scale=8, border=2, dark="#000", light="#fff", xmldecl=False
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
@never_cache
def hearing_console(request, hearing_id: int):
    hearing = _hearing(hearing_id, request.user)
    if not hearings_permissions.can_run_hearing(request.user, hearing):
        raise NotAllowed(_("Only officials and moderators run the hearing console."))
    context = _live_context(request, hearing, moderator=True)
    context.update(
        {
            "items": consultations_selectors.items_of(hearing.consultation),
            # Published comments not on the screen yet: the moderator picks from these.
            "screen_candidates": [
                comment_payloads.comment(c) for c in selectors.pending_hearing_comments(hearing)
            ],
            "organizations": Organization.objects.filter(
                status=Organization.Status.VERIFIED
            ).order_by("name"),
            "attendances": selectors.attendance_of(hearing).order_by("organization__name"),
            "screen_path": reverse("hearing-screen", args=[hearing.pk])
            + f"?key={hearing.display_key}",
            "screens": selectors.connected_screens(hearing),
            "choices": hearing.consultation.vote_choices(),
        }
    )
    return render(request, "realtime/hearing_console.html", context)
