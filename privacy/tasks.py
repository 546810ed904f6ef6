"""Retention (UU No. 27/2022: personal data kept no longer than needed): a daily job purges
sign-in records and sign-ups never completed, older than the periods in settings
(`RETENTION_DAYS_*`, docs/PRIVACY.md)."""

import datetime
import logging

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, ProtectedError, RestrictedError
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from accounts.models import Membership, Organization
from comments.models import Comment

logger = logging.getLogger(__name__)
User = get_user_model()


def pending_registrations(now) -> tuple:
    """Sign-ups never completed, older than the period: organisations still pending
    verification that wrote no comment, and accounts that never signed in (an API sign-up
    that never took a token, say), hold no role and wrote nothing."""
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS_PENDING_REGISTRATIONS)
    organizations = Organization.objects.filter(
        status=Organization.Status.PENDING, created_at__lt=cutoff
    ).exclude(Exists(Comment.objects.filter(organization=OuterRef("pk"))))
    users = User.objects.filter(
        date_joined__lt=cutoff,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        groups__isnull=True,
    ).exclude(
        Exists(Comment.objects.filter(author=OuterRef("pk")))
        | Exists(
            Membership.objects.filter(user=OuterRef("pk")).exclude(
                organization__status=Organization.Status.PENDING
            )
        )
    )
    return users, organizations


def _delete_each(queryset) -> int:
    """One savepoint per row: a row another app still protects is kept, not the job failed."""
    deleted = 0
    for row in queryset.distinct().iterator():
        try:
            with transaction.atomic():
                row.delete()
        except (ProtectedError, RestrictedError, IntegrityError):
            logger.warning("retention: %s %s kept (still referenced)", row._meta.label, row.pk)
            continue
        deleted += 1
    return deleted


def purge(now=None) -> dict[str, int]:
    """Delete what is past its period; returns counts per kind (also the job's result)."""
    now = now or timezone.now()
    logs_cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS_LOGIN_LOGS)
    done = {}
    for name, model in (
        ("access_attempts", AccessAttempt),
        ("access_failures", AccessFailureLog),
        ("access_logs", AccessLog),
    ):
        done[name] = model.objects.filter(attempt_time__lt=logs_cutoff).delete()[0]
    users, organizations = pending_registrations(now)
    done["pending_organizations"] = _delete_each(organizations)
    done["pending_accounts"] = _delete_each(users)
    return done


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_expired_personal_data() -> dict[str, int]:
    """Every night at 03:17: the retention purge."""
    done = purge()
    if any(done.values()):
        logger.info("retention purge: %s", done)
    return done
