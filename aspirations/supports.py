"""Supports (dukungan): one per organization, one per citizen, counted apart and exact under
concurrency: a support queues on its proposal's row lock, so it never lands on a proposal
that was just decided, and the counters move with the rows in one transaction.
"""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from aspirations import forum, permissions, selectors
from aspirations.models import Aspiration, Support
from backend.errors import NotFound


def _counts(aspiration_id: int) -> dict:
    row = Aspiration.objects.filter(pk=aspiration_id).values(
        "support_organizations", "support_citizens"
    )[0]
    return {"organizations": row["support_organizations"], "citizens": row["support_citizens"]}


def lock(aspiration: Aspiration) -> Aspiration:
    try:
        return Aspiration.objects.select_for_update().get(pk=aspiration.pk)
    except Aspiration.DoesNotExist as exc:
        raise NotFound(_("Proposal not found.")) from exc


def aspiration_support(*, actor, aspiration: Aspiration) -> dict:
    """Back a proposal: once per organization (its representative) and once per citizen.
    Supporting again changes nothing. Returns {"organizations": n, "citizens": m}."""
    permissions.supporter(actor, aspiration)  # the reason, before any lock
    with transaction.atomic():
        aspiration = lock(aspiration)
        organization, citizen = permissions.supporter(actor, aspiration)
        if not aspiration.is_open:
            raise permissions.closed_to_support(aspiration)
        if selectors.support_of(aspiration, organization=organization, citizen=citizen) is None:
            Support.objects.create(
                aspiration=aspiration, organization=organization, citizen=citizen, cast_by=actor
            )
            counter = "support_organizations" if organization else "support_citizens"
            Aspiration.objects.filter(pk=aspiration.pk).update(**{counter: F(counter) + 1})
            forum.publish_changes(aspiration)
        return _counts(aspiration.pk)


def aspiration_unsupport(*, actor, aspiration: Aspiration) -> dict:
    """Withdraw one's (or one's organization's) support while the proposal is open; a
    support that is not there is not an error."""
    permissions.supporter(actor, aspiration)
    with transaction.atomic():
        aspiration = lock(aspiration)
        organization, citizen = permissions.supporter(actor, aspiration)
        if not aspiration.is_open:
            raise permissions.closed_to_support(aspiration)
        support = selectors.support_of(aspiration, organization=organization, citizen=citizen)
        if support is not None:
            support.delete()
            counter = "support_organizations" if organization else "support_citizens"
            Aspiration.objects.filter(pk=aspiration.pk).update(**{counter: F(counter) - 1})
            forum.publish_changes(aspiration)
        return _counts(aspiration.pk)


def carry_supports(source: Aspiration, target: Aspiration) -> None:
    """A merged proposal's supporters back the one it joins; whoever backed both counts once
    (the unique constraints skip the second row), the target's own proposer is not counted
    as its supporter, and the target's counts are recounted."""
    supports = Support.objects.filter(aspiration=source)
    if target.organization_id is not None:
        supports = supports.exclude(organization_id=target.organization_id)
    else:
        supports = supports.exclude(citizen_id=target.author_id)
    carried = [
        Support(
            aspiration=target,
            organization_id=support.organization_id,
            citizen_id=support.citizen_id,
            cast_by_id=support.cast_by_id,
            via=source,
            created_at=support.created_at,
        )
        for support in supports
    ]
    Support.objects.bulk_create(carried, ignore_conflicts=True)
    rows = Support.objects.filter(aspiration=target)
    Aspiration.objects.filter(pk=target.pk).update(
        support_organizations=rows.filter(organization__isnull=False).count(),
        support_citizens=rows.filter(citizen__isnull=False).count(),
    )
