"""Follow-up → notifications: the people behind an input hear that it moved (connected in
FollowupsConfig.ready). One job per follow-up, queued when it commits, as notifications'
own receivers do; a queue that is down must not turn a recorded follow-up into an error."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils.text import Truncator

from notifications import tasks
from notifications.models import Kind

logger = logging.getLogger(__name__)


def notify_people(sender, follow_up, recipients, **kwargs) -> None:
    if not recipients:
        return
    audience = {"users": [user.pk for user in recipients]}
    data = {
        "follow_up_id": follow_up.pk,
        "consultation_id": follow_up.consultation_id,
        "consultation_title": follow_up.consultation.title,
        "status": follow_up.status,
        "progress": follow_up.progress,
        "note": Truncator(follow_up.note).chars(300),
    }
    url = reverse("consultation-follow-ups", args=[follow_up.consultation_id])
    url += "#" + follow_up.anchor

    def queue():
        try:
            tasks.notify(Kind.FOLLOW_UP_RECORDED, audience, data, url)
        except Exception:  # noqa: BLE001
            logger.exception("could not queue the notification of follow-up %s", follow_up.pk)

    transaction.on_commit(queue)
