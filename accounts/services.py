"""Every state change of accounts, agencies, organizations and memberships (ARCHITECTURE.md
§2 rule 1)."""

import datetime

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts import permissions
from accounts.models import Agency, Membership, Organization
from backend.errors import Conflict, Invalid, require

User = get_user_model()


def _today() -> datetime.date:
    return timezone.localdate()


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
    require(permissions.is_authenticated(actor), _("Sign in to get an API token."))
    with transaction.atomic():
        token, _created = Token.objects.get_or_create(user=actor)
    return token


def agency_create(*, actor, name: str, acronym: str = "") -> Agency:
    require(permissions.can_manage_agencies(actor), _("Only officials may add agencies."))
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
    require(permissions.is_authenticated(actor), _("Sign in to register an organization."))
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
    require(
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
    require(
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
    require(
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
    require(
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
    """Lock every representative row (in pk order, so two demotions cannot deadlock)."""
    representatives = list(
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=Membership.Role.REPRESENTATIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if membership.pk in representatives and len(representatives) < 2:
        raise Conflict(_("An organization needs at least one representative."))


def membership_set_role(*, actor, membership: Membership, role: str) -> Membership:
    require(
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
    require(
        permissions.can_manage_members(actor, membership.organization) or actor == membership.user,
        _("Only the organization's representative may manage members."),
    )
    with transaction.atomic():
        _ensure_not_last_representative(membership)
        membership.delete()
