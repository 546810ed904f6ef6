"""Every state change of the consultation domain (ARCHITECTURE.md §2 rule 1).

One function per action: keyword-only, actor first, permission and state
checked, atomic, returns the model.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from backend.errors import Conflict, Invalid, NotAllowed
from consultations import permissions, selectors
from consultations.models import (
    Agency,
    Consultation,
    DraftVersion,
    Item,
    Membership,
    Organization,
    Section,
)

User = get_user_model()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _today() -> datetime.date:
    return timezone.localdate()


# --- Users ---------------------------------------------------------------------------


def user_register(*, username: str, password: str, email: str, full_name: str) -> User:
    """Sign-up: a plain account; roles come from a membership or a group."""
    username = (username or "").strip()
    if not username:
        raise Invalid(_("Username is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is already taken."), field="username")
    candidate = User(username=username, email=email or "", first_name=(full_name or "")[:150])
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise Conflict(_("This username is already taken."), field="username") from exc
    return candidate


def user_token_issue(*, actor) -> Token:
    """The API key for `Authorization: Token …`; one per user, reused until revoked."""
    _require(permissions.is_authenticated(actor), _("Sign in to get an API token."))
    with transaction.atomic():
        token, _created = Token.objects.get_or_create(user=actor)
    return token


# --- Agencies --------------------------------------------------------------------------


def agency_create(*, actor, name: str, acronym: str = "") -> Agency:
    _require(permissions.can_manage_agencies(actor), _("Only officials may add agencies."))
    name = (name or "").strip()
    if not name:
        raise Invalid(_("A name is required."), field="name")
    if Agency.objects.filter(name__iexact=name).exists():
        raise Conflict(_("An agency with this name already exists."), field="name")
    try:
        with transaction.atomic():
            return Agency.objects.create(name=name, acronym=(acronym or "").strip())
    except IntegrityError as exc:
        raise Conflict(_("An agency with this name already exists."), field="name") from exc


# --- Organizations ---------------------------------------------------------------------


def organization_register(
    *,
    actor,
    name: str,
    acronym: str = "",
    registration_number: str,
    registration_issued_on: datetime.date | None = None,
    registration_expires_on: datetime.date | None = None,
    address: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Organization:
    """Register an LSM, pending Bakesbangpol's verification; the caller becomes representative."""
    _require(permissions.is_authenticated(actor), _("Sign in to register an organization."))
    if permissions.membership_of(actor) is not None:
        raise Conflict(_("You already belong to an organization."))
    name = (name or "").strip()
    if not name:
        raise Invalid(_("A name is required."), field="name")
    registration_number = (registration_number or "").strip()
    if not registration_number:
        raise Invalid(_("The registration number (SKT) is required."), field="registration_number")
    if (
        registration_issued_on
        and registration_expires_on
        and registration_expires_on <= registration_issued_on
    ):
        raise Invalid(
            _("The expiry date must be after the issue date."), field="registration_expires_on"
        )
    if Organization.objects.filter(registration_number__iexact=registration_number).exists():
        raise Conflict(
            _("An organization with this registration number is already registered."),
            field="registration_number",
        )
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                name=name,
                acronym=(acronym or "").strip(),
                registration_number=registration_number,
                registration_issued_on=registration_issued_on,
                registration_expires_on=registration_expires_on,
                address=address,
                contact_email=contact_email,
                contact_phone=contact_phone,
            )
            Membership.objects.create(
                user=actor, organization=organization, role=Membership.Role.REPRESENTATIVE
            )
    except IntegrityError as exc:
        raise Conflict(_("This organization or membership already exists.")) from exc
    return organization


def organization_verify(*, actor, organization: Organization) -> Organization:
    """Bakesbangpol confirms the SKT: only then may the organization vote."""
    _require(
        permissions.can_verify_organization(actor), _("Only officials may verify organizations.")
    )
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.is_verified:
            raise Conflict(_("This organization is already verified."))
        if not organization.registration_number:
            raise Conflict(_("An organization without a registration number cannot be verified."))
        if not organization.registration_valid_on(_today()):
            raise Conflict(
                _(
                    "The registration (SKT) has expired or has no expiry date; "
                    "it cannot be verified."
                )
            )
        organization.status = Organization.Status.VERIFIED
        organization.status_reason = ""
        organization.verified_by = actor
        organization.verified_at = timezone.now()
        organization.save(update_fields=["status", "status_reason", "verified_by", "verified_at"])
    return organization


def organization_suspend(*, actor, organization: Organization, reason: str = "") -> Organization:
    _require(
        permissions.can_verify_organization(actor), _("Only officials may suspend organizations.")
    )
    with transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        if organization.status == Organization.Status.SUSPENDED:
            raise Conflict(_("This organization is already suspended."))
        organization.status = Organization.Status.SUSPENDED
        organization.status_reason = (reason or "")[:500]
        organization.save(update_fields=["status", "status_reason"])
    return organization


def organization_update(*, actor, organization: Organization, **fields) -> Organization:
    _require(
        permissions.can_manage_members(actor, organization),
        _("Only the organization's representative may change it."),
    )
    allowed = {"name", "acronym", "address", "contact_email", "contact_phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise Invalid(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(organization, name, value)
        organization.save(update_fields=list(fields))
    return organization


def membership_add(*, actor, organization: Organization, user, role: str) -> Membership:
    _require(
        permissions.can_manage_members(actor, organization),
        _("Only the organization's representative may manage members."),
    )
    if role not in Membership.Role.values:
        raise Invalid(_("Unknown role."), field="role")
    if Membership.objects.filter(user=user).exists():
        raise Conflict(_("This user already belongs to an organization."))
    try:
        with transaction.atomic():
            return Membership.objects.create(user=user, organization=organization, role=role)
    except IntegrityError as exc:
        raise Conflict(_("This user already belongs to an organization.")) from exc


def _ensure_not_last_representative(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(organization=membership.organization, role=Membership.Role.REPRESENTATIVE)
        .exclude(pk=membership.pk)
    )
    if membership.is_representative and not others.exists():
        raise Conflict(_("An organization needs at least one representative."))


def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    _require(
        permissions.can_manage_members(actor, membership.organization),
        _("Only the organization's representative may manage members."),
    )
    if role not in Membership.Role.values:
        raise Invalid(_("Unknown role."), field="role")
    with transaction.atomic():
        if role != Membership.Role.REPRESENTATIVE:
            _ensure_not_last_representative(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, actor, membership: Membership) -> None:
    _require(
        permissions.can_manage_members(actor, membership.organization) or actor == membership.user,
        _("Only the organization's representative may manage members."),
    )
    with transaction.atomic():
        _ensure_not_last_representative(membership)
        membership.delete()


# --- Consultations ---------------------------------------------------------------------

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
}
# Fields that may still change while a consultation is open (they don't change the rules).
OPEN_EDITABLE_FIELDS = {"title", "summary", "closes_at"}


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
    _require(
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
    _require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may change consultations."),
    )
    unknown = set(fields) - CONSULTATION_FIELDS
    if unknown:
        raise Invalid(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        status = consultation.status
        if status in (Consultation.Status.CLOSED, Consultation.Status.CONCLUDED):
            raise Conflict(_("A closed consultation can no longer be changed."))
        changed = {name for name, value in fields.items() if getattr(consultation, name) != value}
        if status == Consultation.Status.OPEN and changed - OPEN_EDITABLE_FIELDS:
            raise Conflict(
                _("While a consultation is open only its title, summary and closing time change.")
            )
        if (
            status == Consultation.Status.OPEN
            and "closes_at" in changed
            and fields["closes_at"] is not None
            and fields["closes_at"] <= timezone.now()
        ):
            raise Invalid(
                _("The closing time of an open consultation must be in the future."),
                field="closes_at",
            )
        for name, value in fields.items():
            setattr(consultation, name, value)
        _validate_consultation(consultation)
        consultation.save()
    return consultation


def consultation_publish(*, actor, consultation: Consultation) -> Consultation:
    """Open the consultation for comments and votes; its first draft version becomes public."""
    _require(
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
        consultation.status = Consultation.Status.OPEN
        consultation.published_at = now
        if consultation.opens_at is None or consultation.opens_at > now:
            consultation.opens_at = now
        consultation.save()
    return consultation


def consultation_close(*, actor, consultation: Consultation) -> Consultation:
    _require(
        permissions.can_manage_consultation(actor, consultation),
        _("Only officials may close consultations."),
    )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status != Consultation.Status.OPEN:
            raise Conflict(_("Only an open consultation can be closed."))
        now = timezone.now()
        consultation.status = Consultation.Status.CLOSED
        consultation.closed_at = now
        consultation.closes_at = min(consultation.closes_at or now, now)
        consultation.save()
    return consultation


def consultation_conclude(*, actor, consultation: Consultation) -> Consultation:
    """Publish the final report: responses become public."""
    _require(
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


# --- Sections and versions -----------------------------------------------------------------


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
    _require(
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
    _require(
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
    _require(
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
    _require(
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
    _require(
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


# --- Items -----------------------------------------------------------------------------------

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
    _require(
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
    _require(
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
    _require(
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


# --- Comments, moderation, responses (issue 3: branch comments) ---


# --- Hearings (issue 5: branch hearings) ---
