"""The notification jobs (ARCHITECTURE.md §2 rule 5): the fan-out, the outbox, the daily
digest at 07.00 WIB and the grouped and scheduled notices. Never run inside a request.

Huey keeps its schedule in UTC (HUEY's default `utc=True`), so the digest's
crontab(hour=0) is 07.00 in Asia/Jakarta.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from notifications import services

logger = logging.getLogger(__name__)

# E-mails per sending job: one SMTP connection each, and a retry repeats only the unsent.
EMAILS_PER_JOB = 100


class EmailsNotSent(Exception):
    """Raised so that Huey retries the job; the sent ones are not sent again."""


def queue_emails(email_ids: list[int]) -> None:
    for start in range(0, len(email_ids), EMAILS_PER_JOB):
        send_emails(email_ids[start : start + EMAILS_PER_JOB])


@db_task(retries=2, retry_delay=30)
def notify(kind: str, audience: dict, data: dict, url: str = "") -> int:
    """One event to everyone the audience names: rows in batches, then the e-mails queued.
    However many recipients, this is one job (receivers.py queues it on commit)."""
    email_ids = services.notification_send(kind=kind, audience=audience, data=data, url=url)
    queue_emails(email_ids)
    return len(email_ids)


@db_task(retries=3, retry_delay=60)
def send_emails(email_ids: list[int]) -> int:
    """Send e-mails from the outbox; an SMTP failure retries the job (3 times, a minute
    apart) for the ones not sent yet."""
    still_pending = services.emails_send(email_ids=email_ids)
    if still_pending:
        raise EmailsNotSent(f"{len(still_pending)} e-mail(s) not sent; retrying")
    return len(email_ids)


@db_periodic_task(crontab(hour="0", minute="0"))
def send_digest() -> int:
    """07.00 WIB (00.00 UTC): each user's daily digest."""
    email_ids = services.digest_build()
    queue_emails(email_ids)
    return len(email_ids)


@db_periodic_task(crontab(minute="*/15"))
def notify_moderators() -> int:
    """Every 15 minutes: one notice per moderator if comments joined the queue."""
    email_ids = services.moderation_waiting_notify()
    queue_emails(email_ids)
    return len(email_ids)


@db_periodic_task(crontab(minute="*/15"))
def remind_voting_closing() -> int:
    """Every 15 minutes: organizations that have not voted where voting closes within 24
    hours, each reminded once."""
    email_ids = services.voting_closing_remind()
    queue_emails(email_ids)
    return len(email_ids)


@db_task(retries=2, retry_delay=30)
def notify_each(events: list) -> int:
    """Several events from one action (a consultation's responses published at once)."""
    email_ids = []
    for kind, audience, data, url in events:
        email_ids += services.notification_send(kind=kind, audience=audience, data=data, url=url)
    queue_emails(email_ids)
    return len(email_ids)
