"""What the apps below report, turned into notifications (connected in
NotificationsConfig.ready).

Each receiver runs inside the transaction of the action (the signal is sent there), reads
what the notification should say, and queues ONE job for when the action commits: a
rolled-back action notifies nobody, and the request does no per-recipient work, however
many recipients there are (the job resolves the audience and fans out in batches).
"""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.text import Truncator

from accounts import signals as accounts_signals
from aspirations import signals as aspirations_signals
from comments import signals as comments_signals
from comments.models import ModerationAction, Response
from consultations import signals as consultations_signals
from hearings import signals as hearings_signals
from notifications import tasks
from notifications.models import Kind
from voting import signals as voting_signals

logger = logging.getLogger(__name__)


def _queue(events: list[tuple[str, dict, dict, str]]) -> None:
    """Queue the job once the current transaction commits."""
    if events:
        transaction.on_commit(lambda: _enqueue(events))


def _enqueue(events) -> None:
    # The action has committed; a queue that is down must not turn it into an error.
    try:
        if len(events) == 1:
            tasks.notify(*events[0])
        else:
            tasks.notify_each(events)
    except Exception:  # noqa: BLE001
        logger.exception("could not queue notifications %s", [e[0] for e in events])


def _excerpt(text: str) -> str:
    return Truncator(text or "").chars(160)


def _comment_url(comment) -> str:
    return reverse("my-comments") + f"#komentar-{comment.pk}"


def comment_moderated(sender, comment, action, was_published, **kwargs) -> None:
    if comment.author_id is None:  # a written submission has no account to tell
        return
    Action = ModerationAction.Action
    if action in (Action.APPROVE, Action.RESTORE) and not was_published:
        kind = Kind.COMMENT_APPROVED
    elif action == Action.REJECT:
        kind = Kind.COMMENT_REJECTED
    elif action == Action.HIDE:
        kind = Kind.COMMENT_HIDDEN
    else:  # reports dismissed on a comment that stayed public: nothing changed for the author
        return
    data = {
        "comment_id": comment.pk,
        "consultation_id": comment.consultation_id,
        "consultation_title": comment.consultation.title,
        "reason": comment.moderation_reason,
        "comment_excerpt": _excerpt(comment.body),
    }
    _queue([(kind, {"users": [comment.author_id]}, data, _comment_url(comment))])


def responses_published(sender, response_ids, **kwargs) -> None:
    responses = Response.objects.filter(
        pk__in=response_ids, comment__isnull=False, comment__author__isnull=False
    ).select_related("comment", "consultation")
    _queue(
        [
            (
                Kind.COMMENT_RESPONDED,
                {"users": [response.comment.author_id]},
                {
                    "comment_id": response.comment_id,
                    "response_id": response.pk,
                    "consultation_id": response.consultation_id,
                    "consultation_title": response.consultation.title,
                    "outcome": response.outcome,
                    "response_body": _excerpt(response.body),
                    "comment_excerpt": _excerpt(response.comment.body),
                },
                _comment_url(response.comment),
            )
            for response in responses
        ]
    )


def aspiration_decided(sender, decision, **kwargs) -> None:
    aspiration = decision.aspiration
    data = {
        "aspiration_id": aspiration.pk,
        "aspiration_title": aspiration.title,
        "decision_id": decision.pk,
        "outcome": decision.outcome,
        "stage": decision.stage,
        "reason": decision.reason,
    }
    url = reverse("aspiration-page", args=[aspiration.pk])
    _queue([(Kind.ASPIRATION_DECIDED, {"aspiration": aspiration.pk}, data, url)])


def invitation_sent(sender, invitation, **kwargs) -> None:
    if invitation.user_id is None:
        return
    data = {
        "invitation_id": invitation.pk,
        "organization_id": invitation.organization_id,
        "organization_name": invitation.organization.name,
        "role": invitation.role,
    }
    url = reverse("my-organization")
    _queue([(Kind.MEMBERSHIP_INVITED, {"users": [invitation.user_id]}, data, url)])


def _consultation_data(consultation) -> dict:
    return {
        "consultation_id": consultation.pk,
        "consultation_title": consultation.title,
        "closes_at": consultation.closes_at.isoformat() if consultation.closes_at else None,
    }


def consultation_opened(sender, consultation, **kwargs) -> None:
    if not consultation.items.exists():  # nothing to vote on
        return
    url = reverse("consultation-detail", args=[consultation.pk])
    data = _consultation_data(consultation)
    _queue([(Kind.VOTING_OPENED, {"representatives": True}, data, url)])


def consultation_closed(sender, consultation, **kwargs) -> None:
    if not consultation.items.exists():
        return
    url = reverse("consultation-detail", args=[consultation.pk])
    data = _consultation_data(consultation)
    _queue([(Kind.TALLIES_FINAL, {"representatives": True}, data, url)])


def voting_opened(sender, hearing, item, **kwargs) -> None:
    data = {
        "hearing_id": hearing.pk,
        "hearing_title": hearing.title,
        "item_id": item.pk,
        "item_title": item.title,
        "consultation_id": hearing.consultation_id,
    }
    url = reverse("hearing-room", args=[hearing.pk])
    _queue([(Kind.VOTING_OPENED, {"representatives": True}, data, url)])


def hearing_scheduled(sender, hearing, **kwargs) -> None:
    data = {
        "hearing_id": hearing.pk,
        "hearing_title": hearing.title,
        "starts_at": hearing.starts_at.isoformat(),
        "location": hearing.location,
        "consultation_id": hearing.consultation_id,
        "consultation_title": hearing.consultation.title,
    }
    audience = {"verified_members": True, "commenters_of": hearing.consultation_id}
    url = reverse("hearing-room", args=[hearing.pk])
    _queue([(Kind.HEARING_SCHEDULED, audience, data, url)])


def connect() -> None:
    for signal, receiver in (
        (comments_signals.comment_moderated, comment_moderated),
        (comments_signals.responses_published, responses_published),
        (aspirations_signals.aspiration_decided, aspiration_decided),
        (accounts_signals.invitation_sent, invitation_sent),
        (consultations_signals.consultation_opened, consultation_opened),
        (consultations_signals.consultation_closed, consultation_closed),
        (voting_signals.voting_opened, voting_opened),
        (hearings_signals.hearing_scheduled, hearing_scheduled),
    ):
        signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
