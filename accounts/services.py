"""Every state change of accounts, agencies, organizations and privacy choices
(ARCHITECTURE.md §2 rule 1).

An organization's members (invitations, roles, leaving) are in memberships.py, kept apart
for the size limit of ARCHITECTURE.md §1; it imports `_record` and `User` from here, never
the other way."""

import datetime
import re

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from accounts import names, permissions, signals
from accounts.models import (
    Agency,
    Consent,
    Invitation,
    Membership,
    Organization,
    OrganizationChange,
    PrivacyChoice,
)
from backend.errors import Conflict, Invalid, RateLimited, require
from backend.ratelimit import count_in_window

User = get_user_model()

# The same characters Django's own username validator and the sign-up API accept.
USERNAME_PATTERN = re.compile(r"^[\w.@+-]+\Z")

# API tokens a user may hold at once (one per device); a new one replaces the oldest.
TOKENS_PER_USER = 10

SIGN_UP_WINDOW_SECONDS = 3600


def _today() -> datetime.date:
    return timezone.localdate()


def _count_sign_up(address: str) -> None:
    """At most RUANG["SIGNUP_RATE_PER_HOUR"] new accounts per client address and hour, so a
    handful of throwaway accounts cannot be made in seconds (to flag comments away, say)."""
    if not address:
        return
    limit = settings.RUANG["SIGNUP_RATE_PER_HOUR"]
    if count_in_window(f"ruang:sign-up:{address}", SIGN_UP_WINDOW_SECONDS) > limit:
        raise RateLimited(
            _("Too many new accounts from your network. Please try again in an hour."),
            retry_after=SIGN_UP_WINDOW_SECONDS,
        )


def clean_username(username: str) -> str:
    """The username as stored (NFKC), or Invalid when it is malformed or a look-alike."""
    username = names.normalize(username)
    if not username:
        raise Invalid(_("Username is required."), field="username")
    if len(username) > 150 or not USERNAME_PATTERN.match(username):
        raise Invalid(_("Use letters, digits and @ . + - _ only."), field="username")
    if names.username_problem(username):
        raise Invalid(
            _(
                "This username mixes alphabets or uses letters that look like other "
                "letters; choose one in a single alphabet."
            ),
            field="username",
        )
    return username


def user_register(
    *,
    username: str,
    password: str,
    email: str,
    full_name: str,
    address: str = "",
    privacy_notice_version: str = "",
    show_name: bool = False,
) -> User:
    """Sign-up: a plain account; roles come from a membership or a group.

    `address` is the client's (backend.ratelimit.client_address): sign-ups from one address
    are limited per hour. Code that is not serving a request passes none.
    """
    username = clean_username(username)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is already taken."), field="username")
    email = (email or "").strip()
    # One account per email address: a second one is a throwaway, or someone else's.
    if email and User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this email address exists already."), field="email")
    candidate = User(username=username, email=email, first_name=(full_name or "")[:150])
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    _count_sign_up(address)
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
            # The notice version agreed to on the form, and the separate name choice.
            if privacy_notice_version:
                privacy_notice_accept(actor=candidate, version=privacy_notice_version)
            if show_name:
                public_name_set(actor=candidate, show=True)
    except IntegrityError as exc:
        raise Conflict(_("This username is already taken."), field="username") from exc
    return candidate


def user_token_issue(*, actor) -> tuple[AuthToken, str]:
    """A new API token for `Authorization: Token …` (one per device), and its key.

    The key is shown once: only its hash is stored. Tokens expire after
    REST_KNOX["TOKEN_TTL"] without use; past TOKENS_PER_USER the oldest one goes.
    """
    require(permissions.is_authenticated(actor), _("Sign in to get an API token."))
    with transaction.atomic():
        tokens = AuthToken.objects.filter(user=actor)
        tokens.filter(expiry__lt=timezone.now()).delete()
        oldest = tokens.order_by("-expiry").values_list("digest", flat=True)[TOKENS_PER_USER - 1 :]
        AuthToken.objects.filter(digest__in=list(oldest)).delete()
        return AuthToken.objects.create(user=actor)


def user_token_revoke(*, actor, token: AuthToken) -> None:
    """Sign one device out of the API (its token stops working at once)."""
    require(
        permissions.is_authenticated(actor) and token.user_id == actor.pk,
        _("This is not your token."),
    )
    with transaction.atomic():
        AuthToken.objects.filter(digest=token.digest).delete()


def user_tokens_revoke_all(*, actor) -> int:
    """Every API token of the user stops working: on sign-out and on a password change,
    so a token copied from a lost phone or a shared computer dies with the session."""
    with transaction.atomic():
        deleted, _rows = AuthToken.objects.filter(user_id=actor.pk).delete()
    return deleted


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


def _record(
    organization: Organization,
    kind: str,
    *,
    actor,
    subject: str = "",
    role: str = "",
    detail: str = "",
) -> OrganizationChange:
    """Append to the organization's change record, in the caller's transaction."""
    return OrganizationChange.objects.create(
        organization=organization,
        kind=kind,
        actor=actor if permissions.is_authenticated(actor) else None,
        actor_username=actor.get_username() if permissions.is_authenticated(actor) else "",
        subject_username=subject,
        role=role,
        detail=detail[:500],
    )


def _name_taken() -> Conflict:
    return Conflict(
        _("An organization with this name, or one that reads the same, is already registered."),
        field="name",
    )


def _name_key(name: str, *, organization: Organization | None = None) -> str:
    """The name's look-alike key, or Conflict when another organization reads the same."""
    key = names.skeleton(name)
    taken = Organization.objects.filter(name_key=key)
    if organization is not None:
        taken = taken.exclude(pk=organization.pk)
    if taken.exists():
        raise _name_taken()
    return key


def _label(name: str, acronym: str) -> str:
    return f"{name} ({acronym})" if acronym else name


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
    require(
        permissions.can_join_organization(actor),
        _("Officials, moderators and planners cannot belong to an organization."),
    )
    if permissions.membership_of(actor) is not None:
        raise Conflict(_("You already belong to an organization."))
    name = names.normalize(name)
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
    name_key = _name_key(name)
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                name=name,
                name_key=name_key,
                acronym=names.normalize(acronym),
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
    """Change the organization's details. A new name or acronym on a verified organization
    sends it back to Bakesbangpol: what was verified was the name on the SKT."""
    require(
        permissions.can_manage_members(actor, organization),
        _("Only the organization's representative may change it."),
    )
    allowed = {"name", "acronym", "address", "contact_email", "contact_phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise Invalid(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for field in ("name", "acronym"):
        if field in fields:
            fields[field] = names.normalize(fields[field])
    if "name" in fields and not fields["name"]:
        raise Invalid(_("A name is required."), field="name")
    try:
        with transaction.atomic():
            organization = Organization.objects.select_for_update().get(pk=organization.pk)
            before = _label(organization.name, organization.acronym)
            if "name" in fields and fields["name"] != organization.name:
                organization.name_key = _name_key(fields["name"], organization=organization)
                fields["name_key"] = organization.name_key
            for field, value in fields.items():
                setattr(organization, field, value)
            after = _label(organization.name, organization.acronym)
            if after != before:
                if organization.is_verified:
                    organization.status = Organization.Status.PENDING
                    organization.verified_by = None
                    organization.verified_at = None
                    fields.update(status=None, verified_by=None, verified_at=None)
                _record(
                    organization,
                    OrganizationChange.Kind.RENAMED,
                    actor=actor,
                    detail=f"{before} → {after}",
                )
            if fields:
                organization.save(update_fields=list(fields))
    except IntegrityError as exc:
        raise _name_taken() from exc
    return organization


# --- Privacy choices and consents (UU No. 27/2022; privacy/ builds the pages) -------------


def privacy_choice_of(user) -> PrivacyChoice:
    """The person's privacy choices row, made with its pseudonym when missing (every account
    gets one on creation: accounts.apps)."""
    choice, _created = PrivacyChoice.objects.get_or_create(
        user=user, defaults={"pseudonym": names.pseudonym(user.pk)}
    )
    user.privacy = choice  # the row the caller changes is the one `user` reads afterwards
    return choice


def privacy_notice_accept(*, actor, version: str) -> Consent:
    """The person agrees to privacy notice `version` (at sign-up, or again after it changed)."""
    require(permissions.is_authenticated(actor), _("Sign in first."))
    require(bool(version), _("Which privacy notice?"))
    with transaction.atomic():
        choice = privacy_choice_of(actor)
        now = timezone.now()
        choice.notice_version, choice.notice_accepted_at, choice.updated_at = version, now, now
        choice.save(update_fields=["notice_version", "notice_accepted_at", "updated_at"])
        return Consent.objects.create(
            user=actor, kind=Consent.Kind.PRIVACY_NOTICE, version=version, created_at=now
        )


def public_name_set(*, actor, show: bool, version: str = "") -> PrivacyChoice:
    """Show the person's name publicly, or not (a pseudonym then): any time, both ways.
    Each change is kept as a Consent row; an unchanged choice records nothing."""
    require(permissions.is_authenticated(actor), _("Sign in first."))
    with transaction.atomic():
        choice = privacy_choice_of(actor)
        if choice.show_name == bool(show):
            return choice
        now = timezone.now()
        choice.show_name, choice.updated_at = bool(show), now
        choice.save(update_fields=["show_name", "updated_at"])
        Consent.objects.create(
            user=actor,
            kind=Consent.Kind.PUBLIC_NAME,
            version=version or choice.notice_version,
            granted=bool(show),
            created_at=now,
        )
        if not show:
            signals.public_name_hidden.send(
                sender=PrivacyChoice, user=actor, pseudonym=choice.pseudonym
            )
        return choice


def account_close(*, actor) -> dict:
    """The accounts part of erasing one's account (privacy.services.account_erase runs the
    whole of it): personal fields erased (username becomes the pseudonym, no name, no email,
    an unusable password, inactive), every API token revoked, the membership ended (its
    organisation's votes stay: they belong to the organisation), pending invitations gone,
    and the username in the organisations' change records replaced by the pseudonym.

    Returns counts for the erasure log. The caller checked the password.
    """
    require(permissions.is_authenticated(actor), _("Sign in first."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        choice = privacy_choice_of(user)
        pseudonym = choice.pseudonym or names.pseudonym(user.pk)
        old_username = user.username
        tokens, _rows = AuthToken.objects.filter(user_id=user.pk).delete()
        memberships = 0
        membership = Membership.objects.filter(user=user).select_related("organization").first()
        if membership is not None:
            memberships = 1
            _record(
                membership.organization,
                OrganizationChange.Kind.LEFT,
                actor=None,
                subject=pseudonym,
                role=membership.role,
            )
            membership.delete()
        Invitation.objects.filter(user=user, status=Invitation.Status.PENDING).delete()
        Invitation.objects.filter(username__iexact=old_username).update(username=pseudonym)
        OrganizationChange.objects.filter(actor_username__iexact=old_username).update(
            actor_username=pseudonym
        )
        OrganizationChange.objects.filter(subject_username__iexact=old_username).update(
            subject_username=pseudonym
        )
        # Usernames are unique; two pseudonyms may collide (24 bits), the id settles it.
        taken = User.objects.filter(username__iexact=pseudonym).exclude(pk=user.pk).exists()
        user.username = f"{pseudonym}-{user.pk}" if taken else pseudonym
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()  # also ends every session (its auth hash changes)
        user.save()
        choice.show_name = False
        choice.updated_at = timezone.now()
        choice.save(update_fields=["show_name", "updated_at"])
        signals.public_name_hidden.send(sender=PrivacyChoice, user=user, pseudonym=pseudonym)
    actor.username, actor.is_active = pseudonym, False
    return {"pseudonym": pseudonym, "tokens": tokens, "memberships": memberships}
