"""The clock's jobs (ARCHITECTURE.md §2 rule 5): Huey runs them in `manage.py run_huey`, or
in the consumer the demo command starts.

Each consultation opens or closes in its own transaction through the services, so one
that fails is retried at the next minute without holding back the others.
"""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from backend.errors import DomainError
from consultations import selectors, services

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def follow_the_clock() -> dict[str, list[int]]:
    """Every minute: open the scheduled consultations whose opening time has come, then
    close the open ones whose closing time has passed (the close announces the final
    tallies). Returns the ids it opened and closed."""
    now = timezone.now()
    done = {"opened": [], "closed": []}
    for key, due, service in (
        ("opened", selectors.due_to_open(now), services.consultation_open_due),
        ("closed", selectors.due_to_close(now), services.consultation_close_due),
    ):
        for consultation in due:
            try:
                if service(consultation=consultation) is not None:
                    done[key].append(consultation.pk)
            except DomainError as error:  # e.g. changed meanwhile; the next run looks again
                logger.warning("consultation %s not %s: %s", consultation.pk, key, error)
            except Exception:  # noqa: BLE001 - one failure must not stop the others
                logger.exception("consultation %s could not be %s", consultation.pk, key)
    if done["opened"] or done["closed"]:
        logger.info("clock: opened %s, closed %s", done["opened"], done["closed"])
    return done
