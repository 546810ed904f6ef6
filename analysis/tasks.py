"""The analysis job (ARCHITECTURE.md §2 rule 5): computed in the queue, never in a request.

A change to a comment marks the consultation's analysis stale (in the change's
transaction) and, after commit, asks for a run DEBOUNCE_SECONDS later, unless one is
already asked for: a burst of comments or an import of 300 rows costs one computation.
`POST …/themes/refresh/` queues a run now; `manage.py analyze_comments` runs it in the
foreground.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from huey.contrib.djhuey import db_task

from analysis import services
from consultations.models import Consultation

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 30
# Fields whose change changes what the analysis sees (text, stance, place, visibility).
WATCHED = frozenset(
    {"body", "stance", "status", "section", "is_removed", "organization", "author_name"}
)


@db_task(retries=2, retry_delay=60)
def analyze(consultation_id: int) -> str:
    """Compute one consultation's analysis (skipped when it is already up to date)."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return "gone"
    analysis = services.analysis_compute(consultation=consultation)
    if analysis.status != analysis.Status.READY:
        analyze_later(consultation_id)  # a comment changed while it ran
    return analysis.status


def _queued_key(consultation_id: int) -> str:
    return f"analysis:queued:{consultation_id}"


def analyze_later(consultation_id: int) -> None:
    """Queue a run in DEBOUNCE_SECONDS, unless one is queued already (shared cache)."""
    if cache.add(_queued_key(consultation_id), 1, timeout=DEBOUNCE_SECONDS):
        analyze.schedule((consultation_id,), delay=DEBOUNCE_SECONDS)


def analyze_now(consultation_id: int) -> None:
    analyze(consultation_id)


def comment_changed(sender, instance, update_fields=None, created=None, **kwargs) -> None:
    """post_save / post_delete of a Comment (connected in analysis/apps.py)."""
    if update_fields is not None and not WATCHED.intersection(update_fields):
        return  # e.g. the report counter or the big-screen flag
    consultation_id = instance.consultation_id
    # post_delete sends no `created`: a deletion only marks an existing analysis.
    services.analysis_mark_stale(consultation_id=consultation_id, create=created is not None)
    transaction.on_commit(lambda: _queue_safely(consultation_id))


def _queue_safely(consultation_id: int) -> None:
    """The change is committed; a queue that is down must not turn it into an error."""
    try:
        analyze_later(consultation_id)
    except Exception:  # noqa: BLE001 - the next change or a refresh queues it again
        logger.exception("could not queue the analysis of consultation %s", consultation_id)
