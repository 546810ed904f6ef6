"""Every state change of a consultation, its sections, versions and items (ARCHITECTURE.md §2
rule 1): keyword-only, actor first, permission and state checked, atomic."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.errors import Conflict, Invalid, require
from consultations import permissions, selectors
from consultations.models import Consultation, DraftVersion, Item, Section
from consultations.signals import (
    consultation_closed,
    consultation_closing,
    consultation_opened,
    has_votes,
)

CONSULTATION_FIELDS = {
    "title",
    "kind",
    "summary",
    "agency",
    "opens_at",
    "closes_at",
    "audience",
    "moderation",
    "ballot",
    "voting_method",
    "max_choices",
    "data_license",
}


# Fields that may still change once a consultation is published (they don't change the
# rules); the opening time only until it has opened.
OPEN_EDITABLE_FIELDS = {"title", "summary", "closes_at"}
SCHEDULED_EDITABLE_FIELDS = OPEN_EDITABLE_FIELDS | {"opens_at"}


def _validate_consultation(consultation: Consultation) -> None:
    if not (consultation.title or "").strip():
        raise Invalid(_("A title is required."), field="title")
    if (
        consultation.opens_at
        and consultation.closes_at
        and consultation.closes_at <= consultation.opens_at
    ):
        raise Invalid(_("The closing time must be after the opening time."), field="closes_at")
    if consultation.max_choices < 1:
        raise Invalid(_("Maximum choices must be at least 1."), field="max_choices")
    for field, choices in (
        ("kind", Consultation.Kind),
        ("audience", Consultation.Audience),
        ("moderation", Consultation.Moderation),
        ("ballot", Consultation.Ballot),
        ("voting_method", Consultation.VotingMethod),
    ):
        if getattr(consultation, field) not in choices.values:
            raise Invalid(_("Unknown value."), field=field)


def consultation_create(*, actor, title: str, **fields) -> Consultation:
    require(
        permissions.can_create_consultation(actor), _("Only officials may create consultations.")
    )
    unknown = set(fields) - CONSULTATION_FIELDS
    if unknown:
        raise Invalid(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    consultation = Consultation(title=(title or "").strip(), created_by=actor, **fields)
    _validate_consultation(consultation)
    with transaction.atomic():
        consultation.save()
        DraftVersion.objects.create(consultation=consultation, number=1)
    return consultation


def consultation_update(*, actor, consultation: Consultation, **fields) -> Consultation:
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may change consultations."),
    )
    unknown = set(fields) - CONSULTATION_FIELDS
    if unknown:
        raise Invalid(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        # NO KEY: votes in flight (their records point at this row) need not wait for it.
        consultation = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
        # Past its closing time it is closed, even before the clock job has run: it never
        # reopens (a new round is a new consultation).
        if consultation.has_closed:
            raise Conflict(_("A closed consultation can no longer be changed."))
        status = consultation.status
        changed = {name for name, value in fields.items() if getattr(consultation, name) != value}
        if status == Consultation.Status.OPEN and changed - OPEN_EDITABLE_FIELDS:
            raise Conflict(
                _("While a consultation is open only its title, summary and closing time change.")
            )
        if status == Consultation.Status.SCHEDULED and changed - SCHEDULED_EDITABLE_FIELDS:
            raise Conflict(
                _(
                    "Once published, only a consultation's title, summary, opening and "
                    "closing time change."
                )
            )
        now = timezone.now()
        if status != Consultation.Status.DRAFT and "closes_at" in changed:
            _check_new_closing_time(consultation, fields["closes_at"], now)
        for name, value in fields.items():
            setattr(consultation, name, value)
        _validate_consultation(consultation)
        if status == Consultation.Status.SCHEDULED:
            _follow_opening_time(consultation, now)
        consultation.save()
    return consultation


def _check_new_closing_time(consultation: Consultation, closes_at, now) -> None:
    """A published consultation's closing time moves later freely; earlier, never into the
    past, and once votes are cast never below the notice period, so nobody can end a vote
    (and unseal a secret ballot) by surprise. Ending it now is an early close, with a
    reason (`consultation_close`)."""
    if closes_at is None:
        return  # no closing time: later than any
    if closes_at <= now:
        raise Invalid(
            _("The closing time of an open consultation must be in the future."),
            field="closes_at",
        )
    earlier = consultation.closes_at is None or closes_at < consultation.closes_at
    hours = settings.RUANG["CLOSING_NOTICE_HOURS"]
    if earlier and closes_at < now + datetime.timedelta(hours=hours) and has_votes(consultation):
        raise Invalid(
            _(
                "Votes have been cast, so the closing time can only move earlier to at "
                "least %(hours)s hours from now. To end voting now, close the consultation "
                "early and give a reason."
            )
            % {"hours": hours},
            field="closes_at",
        )


def _follow_opening_time(consultation: Consultation, now) -> None:
    """A published consultation is scheduled until its opening time, then open; without an
    opening time it opens now."""
    if consultation.opens_at is not None and consultation.opens_at > now:
        consultation.status = Consultation.Status.SCHEDULED
    else:
        consultation.status = Consultation.Status.OPEN
        consultation.opens_at = consultation.opens_at or now


def consultation_publish(*, actor, consultation: Consultation) -> Consultation:
    """Make the consultation and its first draft version public: open for comments and votes
    now, or scheduled (readable, not yet open) until a future opening time."""
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may publish consultations."),
    )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status != Consultation.Status.DRAFT:
            raise Conflict(_("Only a draft consultation can be published."))
        version = selectors.editable_version(consultation)
        if version is None or not version.sections.exists():
            raise Conflict(_("A consultation needs at least one section before publishing."))
        if (
            consultation.voting_method == Consultation.VotingMethod.APPROVAL
            and consultation.items.count() < consultation.max_choices
        ):
            raise Conflict(_("An approval vote needs at least as many items as maximum choices."))
        now = timezone.now()
        if consultation.closes_at and consultation.closes_at <= now:
            raise Conflict(_("The closing time has already passed."))
        version.published_at = now
        version.save(update_fields=["published_at"])
        consultation.published_at = now
        _follow_opening_time(consultation, now)
        consultation.save()
        if consultation.status == Consultation.Status.OPEN:
            consultation_opened.send(sender=Consultation, consultation=consultation)
    return consultation


def consultation_open_due(*, consultation: Consultation) -> Consultation | None:
    """The clock opens a scheduled consultation whose opening time has come (the job in
    consultations/tasks.py); None when it is not due (any more)."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        now = timezone.now()
        if consultation.status != Consultation.Status.SCHEDULED or consultation.opens_at > now:
            return None
        _follow_opening_time(consultation, now)
        consultation.save()
        consultation_opened.send(sender=Consultation, consultation=consultation)
    return consultation


CLOSE_REASON_MAX_LENGTH = 2000


def consultation_close(*, actor, consultation: Consultation, reason: str) -> Consultation:
    """An official ends comments and voting now, for good: an explicit act with a reason,
    recorded (who, when, why) and shown with the consultation. Once the closing time has
    passed it is the clock's close instead (nothing early to record)."""
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may close consultations."),
    )
    reason = (reason or "").strip()
    if len(reason) > CLOSE_REASON_MAX_LENGTH:
        raise Invalid(
            _("The reason may be at most %(n)s characters long.") % {"n": CLOSE_REASON_MAX_LENGTH},
            field="reason",
        )
    return _close(consultation, actor=actor, reason=reason)


def consultation_close_due(*, consultation: Consultation) -> Consultation | None:
    """The clock closes an open consultation whose closing time has passed (the job in
    consultations/tasks.py); None when it is not due (any more)."""
    return _close(consultation, actor=None, reason="", only_if_due=True)


def _close(consultation, *, actor, reason: str, only_if_due: bool = False):
    with transaction.atomic():
        # FOR NO KEY UPDATE: a vote in flight holds the chain head and inserts its record
        # (a foreign key to this row, FOR KEY SHARE); a plain FOR UPDATE here would wait
        # for it while `consultation_closing` waits for the head: a deadlock.
        consultation = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
        now = timezone.now()
        due = consultation.closes_at is not None and consultation.closes_at <= now
        if only_if_due and not (consultation.status == Consultation.Status.OPEN and due):
            return None
        if consultation.status != Consultation.Status.OPEN:
            raise Conflict(_("Only an open consultation can be closed."))
        if not due and not reason:
            raise Invalid(
                _("Give the reason for closing the consultation before its closing time."),
                field="reason",
            )
        # The votes in flight finish first, so none is recorded after `closed_at`.
        consultation_closing.send(sender=Consultation, consultation=consultation, actor=actor)
        consultation.status = Consultation.Status.CLOSED
        consultation.closed_at = timezone.now()
        if not due:
            # The closing time becomes now, so `is_open` and a vote's check on the
            # database's clock agree with the status from here on.
            consultation.closes_at = consultation.closed_at
            consultation.closed_by = actor
            consultation.close_reason = reason
        consultation.save()
        consultation_closed.send(sender=Consultation, consultation=consultation, actor=actor)
    return consultation


def consultation_conclude(*, actor, consultation: Consultation) -> Consultation:
    """Publish the final report: responses become public."""
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may conclude consultations."),
    )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status != Consultation.Status.CLOSED:
            raise Conflict(_("Only a closed consultation can be concluded."))
        consultation.status = Consultation.Status.CONCLUDED
        consultation.concluded_at = timezone.now()
        consultation.save()
    return consultation


def _editable_version_or_conflict(consultation: Consultation) -> DraftVersion:
    if consultation.status in (Consultation.Status.CLOSED, Consultation.Status.CONCLUDED):
        raise Conflict(_("A closed consultation's text can no longer be changed."))
    version = selectors.editable_version(consultation)
    if version is None:
        raise Conflict(
            _("The published text cannot be edited; start a new draft version to change it.")
        )
    return version


def _text_editable(section: Section) -> None:
    if section.consultation.status in (Consultation.Status.CLOSED, Consultation.Status.CONCLUDED):
        raise Conflict(_("A closed consultation's text can no longer be changed."))
    if section.version.is_published:
        raise Conflict(
            _("The published text cannot be edited; start a new draft version to change it.")
        )


def _validate_section(number: str, heading: str, body: str) -> None:
    if not (number or "").strip():
        raise Invalid(_("A section number is required."), field="number")
    if not (heading or "").strip():
        raise Invalid(_("A heading is required."), field="heading")
    if not (body or "").strip():
        raise Invalid(_("The section text is required."), field="body")


def section_add(
    *,
    actor,
    consultation: Consultation,
    number: str,
    heading: str,
    body: str,
    position: int | None = None,
) -> Section:
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may edit the draft."),
    )
    _validate_section(number, heading, body)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        version = _editable_version_or_conflict(consultation)
        if version.sections.filter(number=number.strip()).exists():
            raise Conflict(
                _("This version already has a section with that number."), field="number"
            )
        if position is None:
            position = version.sections.count() + 1
        return Section.objects.create(
            consultation=consultation,
            version=version,
            number=number.strip(),
            heading=heading.strip(),
            body=body,
            position=position,
        )


def section_update(*, actor, section: Section, **fields) -> Section:
    require(
        permissions.can_manage_consultation(actor, section.consultation),
        _("Only officials may edit the draft."),
    )
    unknown = set(fields) - {"number", "heading", "body", "position"}
    if unknown:
        raise Invalid(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        section = (
            Section.objects.select_for_update()
            .select_related("version", "consultation")
            .get(pk=section.pk)
        )
        _text_editable(section)
        for name, value in fields.items():
            setattr(section, name, value)
        _validate_section(section.number, section.heading, section.body)
        if (
            Section.objects.filter(version=section.version, number=section.number)
            .exclude(pk=section.pk)
            .exists()
        ):
            raise Conflict(
                _("This version already has a section with that number."), field="number"
            )
        section.save()
    return section


def section_delete(*, actor, section: Section) -> None:
    require(
        permissions.can_manage_consultation(actor, section.consultation),
        _("Only officials may edit the draft."),
    )
    with transaction.atomic():
        section = (
            Section.objects.select_for_update()
            .select_related("version", "consultation")
            .get(pk=section.pk)
        )
        _text_editable(section)
        try:
            section.delete()
        except ProtectedError as exc:
            raise Conflict(_("This section has comments and cannot be deleted.")) from exc


def version_start(*, actor, consultation: Consultation, note: str = "") -> DraftVersion:
    """Copy the current text into a new, editable draft version; the old one stays readable."""
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may edit the draft."),
    )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status == Consultation.Status.DRAFT:
            raise Conflict(
                _("Edit the first version directly until the consultation is published.")
            )
        if consultation.status == Consultation.Status.CONCLUDED:
            raise Conflict(_("A concluded consultation's text can no longer be changed."))
        if selectors.editable_version(consultation) is not None:
            raise Conflict(_("A new draft version is already being prepared."))
        current = selectors.current_version(consultation)
        version = DraftVersion.objects.create(
            consultation=consultation, number=current.number + 1, note=(note or "")[:500]
        )
        Section.objects.bulk_create(
            Section(
                consultation=consultation,
                version=version,
                position=old.position,
                number=old.number,
                heading=old.heading,
                body=old.body,
                previous=old,
            )
            for old in selectors.sections_of(consultation, current)
        )
    return version


def version_publish(*, actor, version: DraftVersion) -> DraftVersion:
    require(
        permissions.can_manage_consultation(actor, version.consultation),
        _("Only officials may publish the draft."),
    )
    with transaction.atomic():
        version = (
            DraftVersion.objects.select_for_update()
            .select_related("consultation")
            .get(pk=version.pk)
        )
        if version.is_published:
            raise Conflict(_("This version is already published."))
        if version.consultation.status == Consultation.Status.DRAFT:
            raise Conflict(_("Publish the consultation itself to publish its first version."))
        if version.consultation.status == Consultation.Status.CONCLUDED:
            raise Conflict(_("A concluded consultation's text can no longer be changed."))
        if not version.sections.exists():
            raise Conflict(_("A version needs at least one section."))
        version.published_at = timezone.now()
        version.save(update_fields=["published_at"])
    return version


ITEM_FIELDS = {"title", "description", "code", "programme_path", "indicators", "budget_ceiling"}


def _validate_item(item: Item) -> None:
    if not (item.title or "").strip():
        raise Invalid(_("A title is required."), field="title")
    if item.budget_ceiling is not None and Decimal(item.budget_ceiling) < 0:
        raise Invalid(_("The budget ceiling cannot be negative."), field="budget_ceiling")
    if not isinstance(item.indicators, list):
        raise Invalid(_("Indicators must be a list."), field="indicators")


def _items_editable(consultation: Consultation) -> None:
    if consultation.status != Consultation.Status.DRAFT:
        raise Conflict(_("Votable items can only change while the consultation is a draft."))


def item_add(*, actor, consultation: Consultation, title: str, position=None, **fields) -> Item:
    require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may edit items."),
    )
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise Invalid(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _items_editable(consultation)
        if position is None:
            position = consultation.items.count() + 1
        item = Item(consultation=consultation, title=(title or "").strip(), position=position)
        for name, value in fields.items():
            setattr(item, name, value)
        _validate_item(item)
        item.save()
    return item


def item_update(*, actor, item: Item, **fields) -> Item:
    require(
        permissions.can_manage_consultation(actor, item.consultation),
        _("Only officials may edit items."),
    )
    unknown = set(fields) - ITEM_FIELDS - {"position"}
    if unknown:
        raise Invalid(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("consultation").get(pk=item.pk)
        _items_editable(item.consultation)
        for name, value in fields.items():
            setattr(item, name, value)
        _validate_item(item)
        item.save()
    return item


def item_delete(*, actor, item: Item) -> None:
    require(
        permissions.can_manage_consultation(actor, item.consultation),
        _("Only officials may edit items."),
    )
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("consultation").get(pk=item.pk)
        _items_editable(item.consultation)
        try:
            item.delete()
        except ProtectedError as exc:
            raise Conflict(_("This item has comments or votes and cannot be deleted.")) from exc
