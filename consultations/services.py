"""Every state change of the consultation domain (ARCHITECTURE.md §2 rule 1).

One function per action: keyword-only, actor first, permission and state
checked, atomic, returns the model.
"""

import datetime
import hashlib
import secrets
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from backend.errors import Conflict, Invalid, NotAllowed, NotFound, RateLimited
from consultations import permissions, selectors
from consultations.models import (
    Agency,
    Comment,
    CommentEdit,
    CommentReport,
    Consultation,
    DraftVersion,
    Hearing,
    Item,
    Membership,
    ModerationAction,
    Organization,
    Response,
    Section,
)
from realtime import events

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
        _announce_final_tallies(actor, consultation)
    return consultation


def _announce_final_tallies(actor, consultation: Consultation) -> None:
    """Voting has closed: every item's final tally goes out as `tally.updated` (a secret
    ballot's for the first time). consultations sits below voting (ARCHITECTURE §1),
    hence the import at call time."""
    from voting import services as voting_services

    voting_services.tallies_announce(actor=actor, consultation=consultation)


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


def _comment_setting(name: str) -> int:
    return int(settings.RUANG[name])


def _validate_comment_body(body) -> str:
    """Plain text, 1..5000 characters, kept exactly as written (never stripped or rewritten)."""
    if not isinstance(body, str) or not body.strip():
        raise Invalid(_("Write your comment first."), field="body")
    limit = _comment_setting("COMMENT_MAX_LENGTH")
    if len(body) > limit:
        raise Invalid(
            _("A comment can have at most %(limit)d characters (this one has %(count)d).")
            % {"limit": limit, "count": len(body)},
            field="body",
        )
    if "\x00" in body:
        raise Invalid(_("The comment contains characters that cannot be stored."), field="body")
    return body


def _validate_stance(stance) -> str:
    if stance not in Comment.Stance.values:
        raise Invalid(_("Choose a stance: support, oppose, neutral or question."), field="stance")
    return stance


def _validate_reason(reason, *, required: bool) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else None
    if reason is None:
        raise Invalid(_("The reason must be text."), field="reason")
    if required and not reason:
        raise Invalid(_("Give a reason; the author will see it."), field="reason")
    if len(reason) > 500:
        raise Invalid(_("A reason can have at most 500 characters."), field="reason")
    return reason


def _count_in_window(key: str, timeout: int) -> int:
    """Atomic fixed-window counter: cache.add + cache.incr is atomic on locmem and Redis."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def _clock() -> float:
    return time.time()


def comment_rate_limit_check(*, actor) -> None:
    """Per-user comment limits (per minute, per hour), shared by every worker through the cache."""
    now = int(_clock())
    for window, setting_name in ((60, "COMMENT_RATE_PER_MINUTE"), (3600, "COMMENT_RATE_PER_HOUR")):
        limit = _comment_setting(setting_name)
        bucket = now // window
        count = _count_in_window(f"ruang:comment-rate:{actor.pk}:{window}:{bucket}", window + 5)
        if count > limit:
            raise RateLimited(
                _("You are posting comments too quickly. Please wait a moment and try again."),
                retry_after=window - now % window,
            )


def _claim_body(actor, body: str) -> str:
    """Refuse the same body from the same user within a minute (double submit, copy-paste spam)."""
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"ruang:comment-body:{actor.pk}:{digest}"
    recent = Comment.objects.filter(
        author=actor, body=body, created_at__gte=timezone.now() - datetime.timedelta(minutes=1)
    ).exists()
    if recent or not cache.add(key, 1, timeout=60):
        raise Conflict(
            _("You have just posted exactly this comment. It was not posted twice."), field="body"
        )
    return key


def _publish_comment_event(comment: Comment, type_: str) -> None:
    """comment.published / .hidden / .submitted on the consultation stream (and its hearing's).

    Payloads come from the one builder per type in realtime.events; comment.submitted
    (a pending comment) reaches only the moderators' view.
    """
    builders = {
        "comment.published": events.comment_published,
        "comment.hidden": events.comment_hidden,
        "comment.submitted": events.comment_submitted,
    }
    data = builders[type_](comment)
    events.publish(comment.consultation.stream, type_, data)
    if comment.hearing_id:
        events.publish(comment.hearing.stream, type_, data)


def _accepting_comments(consultation: Consultation, hearing: Hearing | None) -> None:
    if hearing is not None:
        if hearing.consultation_id != consultation.pk:
            raise Invalid(_("This hearing belongs to another consultation."), field="hearing")
        if hearing.is_live:
            return
        raise Conflict(_("This hearing is not live; comments are not accepted now."))
    if not consultation.is_open:
        raise Conflict(_("This consultation is not open for comments."))


def comment_create(
    *,
    actor,
    consultation: Consultation,
    stance: str,
    body: str,
    section: Section | None = None,
    item: Item | None = None,
    parent: Comment | None = None,
    hearing: Hearing | None = None,
) -> Comment:
    """Post a comment on behalf of the actor's verified organization (or as an individual).

    Pre-moderated consultations keep it pending until a moderator approves it.
    """
    _require(permissions.is_authenticated(actor), _("Sign in to comment."))
    if not permissions.can_view_consultation(actor, consultation):
        raise NotFound(_("Consultation not found."))
    _accepting_comments(consultation, hearing)
    _require(
        permissions.can_comment(actor, consultation),
        _("Only members of a verified organization may comment on this consultation."),
    )
    _validate_stance(stance)
    _validate_comment_body(body)
    if parent is not None:
        if (
            parent.consultation_id != consultation.pk
            or not selectors.comments_visible_to(
                actor, Comment.objects.filter(pk=parent.pk)
            ).exists()
        ):
            raise Invalid(
                _("The comment you reply to is not in this consultation."), field="parent"
            )
        if parent.parent_id is not None:
            raise Invalid(_("Reply to the original comment, not to a reply."), field="parent")
        if parent.is_removed:
            raise Conflict(_("This comment was removed by its author."), field="parent")
        if section is not None and section.pk != parent.section_id:
            raise Invalid(_("A reply belongs to the section of its comment."), field="section")
        if item is not None and item.pk != parent.item_id:
            raise Invalid(_("A reply belongs to the item of its comment."), field="item")
        section, item = parent.section, parent.item
    else:
        if section is not None:
            version = selectors.current_version(consultation)
            if (
                section.consultation_id != consultation.pk
                or version is None
                or section.version_id != version.pk
            ):
                raise Invalid(
                    _("This section is not part of the consultation's current text."),
                    field="section",
                )
        if item is not None and item.consultation_id != consultation.pk:
            raise Invalid(_("This item belongs to another consultation."), field="item")
    organization = permissions.commenting_organization(actor, consultation)
    comment_rate_limit_check(actor=actor)
    claim = _claim_body(actor, body)
    try:
        with transaction.atomic():
            status = (
                Comment.Status.PENDING
                if consultation.moderation == Consultation.Moderation.PRE
                else Comment.Status.PUBLISHED
            )
            comment = Comment.objects.create(
                consultation=consultation,
                section=section,
                item=item,
                parent=parent,
                hearing=hearing,
                author=actor,
                organization=organization,
                stance=stance,
                body=body,
                status=status,
            )
            _publish_comment_event(
                comment, "comment.published" if comment.is_published else "comment.submitted"
            )
            # Read back as the author's list shows it, inside the transaction: if this read
            # fails (the database went away), the comment is not saved and the claim on its
            # body is released, so a 503 never hides a saved comment and a retry is accepted
            # (tests/faults/test_database_drop.py).
            comment = selectors.comment_list(actor).get(pk=comment.pk)
    except Exception:
        cache.delete(claim)
        raise
    return comment


def _lock_comment(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("consultation", "hearing", "author", "organization")
        .get(pk=comment.pk)
    )


def comment_edit(*, actor, comment: Comment, body: str, stance: str | None = None) -> Comment:
    """The author may correct a comment within the edit window; the old text is kept."""
    _require(
        permissions.can_edit_comment(actor, comment), _("Only the author may edit this comment.")
    )
    _validate_comment_body(body)
    if stance is not None:
        _validate_stance(stance)
    with transaction.atomic():
        comment = _lock_comment(comment)
        window = datetime.timedelta(minutes=_comment_setting("COMMENT_EDIT_WINDOW_MINUTES"))
        if timezone.now() > comment.created_at + window:
            raise Conflict(
                _("A comment can only be edited within %(minutes)d minutes of posting.")
                % {"minutes": window.seconds // 60}
            )
        if comment.status in (Comment.Status.HIDDEN, Comment.Status.REJECTED):
            raise Conflict(_("A comment a moderator has hidden or rejected cannot be edited."))
        _accepting_comments(comment.consultation, comment.hearing if comment.hearing_id else None)
        if comment.body == body and (stance is None or stance == comment.stance):
            return comment
        was_published = comment.is_published
        CommentEdit.objects.create(comment=comment, body=comment.body)
        comment.body = body
        if stance is not None:
            comment.stance = stance
        comment.edited_at = timezone.now()
        if comment.consultation.moderation == Consultation.Moderation.PRE and was_published:
            # An approved text that changes needs approving again.
            comment.status = Comment.Status.PENDING
        comment.save(update_fields=["body", "stance", "edited_at", "status"])
        if comment.is_published:
            _publish_comment_event(comment, "comment.published")
        else:
            if was_published:
                _publish_comment_event(comment, "comment.hidden")
            _publish_comment_event(comment, "comment.submitted")
    return comment


def comment_delete(*, actor, comment: Comment) -> Comment | None:
    """The author withdraws a comment; with replies (or an answer) a "removed" placeholder stays.

    Returns the placeholder, or None when the comment is gone entirely.
    """
    _require(
        permissions.can_delete_comment(actor, comment),
        _("Only the author may delete this comment."),
    )
    with transaction.atomic():
        comment = _lock_comment(comment)
        if comment.is_removed:
            raise Conflict(_("This comment was already removed."))
        if comment.is_published:
            _publish_comment_event(comment, "comment.hidden")
        keeps_placeholder = (
            comment.replies.exists() or Response.objects.filter(comment=comment).exists()
        )
        if not keeps_placeholder:
            comment.delete()
            return None
        comment.edits.all().delete()
        comment.body = ""
        comment.is_removed = True
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "is_removed", "edited_at"])
    return comment


def comment_report(*, actor, comment: Comment, reason: str) -> CommentReport:
    """Flag a comment; the threshold of distinct reporters hides it pending review."""
    _require(permissions.is_authenticated(actor), _("Sign in to report a comment."))
    if not selectors.comments_visible_to(actor, Comment.objects.filter(pk=comment.pk)).exists():
        raise NotFound(_("Comment not found."))
    _require(
        permissions.can_report_comment(actor, comment), _("You cannot report your own comment.")
    )
    reason = _validate_reason(reason, required=True)
    with transaction.atomic():
        comment = _lock_comment(comment)
        if comment.is_removed:
            raise Conflict(_("This comment was removed by its author."))
        if not comment.is_published:
            raise Conflict(_("This comment is already waiting for a moderator."))
        if CommentReport.objects.filter(comment=comment, reporter=actor).exists():
            raise Conflict(_("You have already reported this comment."))
        report = CommentReport.objects.create(comment=comment, reporter=actor, reason=reason)
        open_reports = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True)
        comment.report_count = open_reports.count()
        fields = ["report_count"]
        if comment.report_count >= _comment_setting("COMMENT_REPORT_THRESHOLD"):
            comment.status = Comment.Status.HIDDEN
            comment.moderation_reason = _("Hidden after several reports, pending review.")
            fields += ["status", "moderation_reason"]
            ModerationAction.objects.create(
                comment=comment,
                actor=None,
                action=ModerationAction.Action.AUTO_HIDE,
                reason=_("%(count)d reports") % {"count": comment.report_count},
            )
            _publish_comment_event(comment, "comment.hidden")
        comment.save(update_fields=fields)
    return report


def _moderate(
    *, actor, comment: Comment, action: str, reason: str, allowed_from: set, new_status: str
) -> Comment:
    _require(permissions.can_moderate(actor), _("Only moderators may moderate comments."))
    reason = _validate_reason(
        reason,
        required=action in (ModerationAction.Action.HIDE, ModerationAction.Action.REJECT),
    )
    with transaction.atomic():
        comment = _lock_comment(comment)
        if comment.is_removed:
            raise Conflict(_("This comment was removed by its author."))
        now = timezone.now()
        open_reports = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True)
        has_reports = open_reports.exists()
        dismissing = (
            action == ModerationAction.Action.APPROVE and comment.is_published and has_reports
        )
        if comment.status not in allowed_from and not dismissing:
            raise Conflict(
                _("This comment is %(status)s; that action does not apply.")
                % {"status": comment.get_status_display().lower()}
            )
        was_published = comment.is_published
        comment.status = new_status
        comment.moderation_reason = reason
        comment.report_count = 0
        comment.save(update_fields=["status", "moderation_reason", "report_count"])
        open_reports.update(resolved_at=now)
        ModerationAction.objects.create(comment=comment, actor=actor, action=action, reason=reason)
        if comment.is_published and not was_published:
            _publish_comment_event(comment, "comment.published")
        elif was_published and not comment.is_published:
            _publish_comment_event(comment, "comment.hidden")
    return comment


def comment_approve(*, actor, comment: Comment, reason: str = "") -> Comment:
    """Publish a pending (or auto-hidden) comment, or dismiss the reports on a published one."""
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.APPROVE,
        reason=reason,
        allowed_from={Comment.Status.PENDING, Comment.Status.HIDDEN},
        new_status=Comment.Status.PUBLISHED,
    )


def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Take a comment out of public view; the author sees the reason."""
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.HIDE,
        reason=reason,
        allowed_from={Comment.Status.PUBLISHED, Comment.Status.PENDING},
        new_status=Comment.Status.HIDDEN,
    )


def comment_restore(*, actor, comment: Comment, reason: str = "") -> Comment:
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.RESTORE,
        reason=reason,
        allowed_from={Comment.Status.HIDDEN, Comment.Status.REJECTED},
        new_status=Comment.Status.PUBLISHED,
    )


def comment_reject(*, actor, comment: Comment, reason: str) -> Comment:
    """Refuse a pending (or hidden) comment for good; the author sees the reason."""
    return _moderate(
        actor=actor,
        comment=comment,
        action=ModerationAction.Action.REJECT,
        reason=reason,
        allowed_from={Comment.Status.PENDING, Comment.Status.HIDDEN},
        new_status=Comment.Status.REJECTED,
    )


def _validate_response(outcome, body) -> None:
    if outcome not in Response.Outcome.values:
        raise Invalid(
            _("Choose an outcome: accepted, partially accepted, not accepted or noted."),
            field="outcome",
        )
    if not isinstance(body, str) or not body.strip():
        raise Invalid(_("Explain the response."), field="body")
    if len(body) > 10000:
        raise Invalid(_("A response can have at most 10000 characters."), field="body")
    if "\x00" in body:
        raise Invalid(_("The response contains characters that cannot be stored."), field="body")


def response_create(
    *,
    actor,
    outcome: str,
    body: str,
    comment: Comment | None = None,
    section: Section | None = None,
    consultation: Consultation | None = None,
    publish: bool = False,
) -> Response:
    """Tanggapan to one comment or to a whole section; a draft until published."""
    _require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    if (comment is None) == (section is None):
        raise Invalid(_("Respond either to a comment or to a section."))
    _validate_response(outcome, body)
    target_consultation = comment.consultation if comment is not None else section.consultation
    if consultation is not None and consultation.pk != target_consultation.pk:
        raise Invalid(_("This belongs to another consultation."))
    if target_consultation.status == Consultation.Status.DRAFT:
        raise Conflict(_("A draft consultation has nothing to respond to yet."))
    with transaction.atomic():
        if comment is not None:
            comment = _lock_comment(comment)
            if not comment.is_published or comment.is_removed:
                raise Conflict(_("Only published comments can be answered."))
            if Response.objects.filter(comment=comment).exists():
                raise Conflict(_("This comment already has a response; edit it instead."))
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=target_consultation,
                    comment=comment,
                    section=section if comment is None else comment.section,
                    outcome=outcome,
                    body=body,
                    responder=actor,
                    published_at=timezone.now() if publish else None,
                )
        except IntegrityError as exc:
            raise Conflict(_("This comment already has a response; edit it instead.")) from exc
    return response


def response_update(
    *, actor, response: Response, outcome: str | None = None, body: str | None = None
) -> Response:
    _require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        new_outcome = response.outcome if outcome is None else outcome
        new_body = response.body if body is None else body
        _validate_response(new_outcome, new_body)
        response.outcome = new_outcome
        response.body = new_body
        response.responder = actor
        response.save(update_fields=["outcome", "body", "responder", "updated_at"])
    return response


def response_publish(*, actor, response: Response) -> Response:
    _require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.published_at is not None:
            raise Conflict(_("This response is already published."))
        response.published_at = timezone.now()
        response.save(update_fields=["published_at", "updated_at"])
    return response


def responses_publish(*, actor, consultation: Consultation) -> int:
    """Publish every drafted response of a consultation at once; returns how many."""
    _require(permissions.can_respond(actor), _("Only officials and planners may respond."))
    with transaction.atomic():
        drafts = Response.objects.select_for_update().filter(
            consultation=consultation, published_at__isnull=True
        )
        return drafts.update(published_at=timezone.now())


# --- Hearings (issue 5: branch hearings) ---
# Every change publishes its event on hearing.stream inside the transaction (ARCHITECTURE §5),
# with the payload from the type's builder in realtime/events.py (docs/REALTIME.md). State
# without a type of its own rides on `agenda.changed` with a `kind`: "agenda" (the agenda
# list), "hearing" (public fields after an edit), "manual_count".


CHECK_IN_SALT = "consultations.hearing.check-in"
CHECK_IN_MAX_AGE = 4 * 60 * 60
HEARING_FIELDS = {
    "title",
    "starts_at",
    "location",
    "check_in_required",
    "chair_name",
    "agreements",
}
# Minutes fields may still be written after the hearing ended.
ENDED_EDITABLE_FIELDS = {"chair_name", "agreements"}
SPEAKER_SECONDS_RANGE = (10, 60 * 60)


def _publish(hearing, type_: str, data: dict) -> None:
    events.publish(hearing.stream, type_, data)


def _publish_agenda(hearing, kind: str = "agenda", **extra) -> None:
    """`agenda.changed`: the builder's current item, plus the agenda list or `extra` state."""
    data = {**events.agenda_changed(hearing), "kind": kind, **extra}
    if kind == "agenda":
        data["agenda"] = [selectors.agenda_item_payload(a) for a in selectors.agenda_of(hearing)]
    _publish(hearing, "agenda.changed", data)


def _new_display_key() -> str:
    return secrets.token_urlsafe(24)


def _lock_hearing(hearing):
    from consultations.models import Hearing

    return (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("consultation", "voting_item", "current_agenda_item")
        .get(pk=hearing.pk)
    )


def _require_hearing_runner(actor, hearing) -> None:
    _require(
        permissions.can_run_hearing(actor, hearing),
        _("Only officials and moderators may run a hearing."),
    )


def _require_not_ended(hearing) -> None:
    if hearing.status == hearing.Status.ENDED:
        raise Conflict(_("This hearing has ended."))


def _require_live(hearing) -> None:
    if not hearing.is_live:
        raise Conflict(_("This hearing is not live."))


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid(_("A title is required."), field="title")
    return title


def hearing_create(
    *,
    actor,
    consultation: Consultation,
    title: str,
    starts_at: datetime.datetime,
    location: str = "",
    check_in_required: bool = False,
    chair_name: str = "",
):
    """Schedule a hearing; its display key lets a projector show it without a login."""
    from consultations.models import Hearing

    _require(permissions.can_manage_hearing(actor), _("Only officials may schedule hearings."))
    if starts_at is None:
        raise Invalid(_("The start time is required."), field="starts_at")
    if consultation.status in (Consultation.Status.CLOSED, Consultation.Status.CONCLUDED):
        raise Conflict(_("A closed consultation cannot get a new hearing."), field="consultation")
    with transaction.atomic():
        return Hearing.objects.create(
            consultation=consultation,
            title=_clean_title(title),
            starts_at=starts_at,
            location=(location or "").strip(),
            check_in_required=bool(check_in_required),
            chair_name=(chair_name or "").strip(),
            display_key=_new_display_key(),
            created_by=actor,
        )


def hearing_update(*, actor, hearing, **fields):
    _require(
        permissions.can_manage_hearing(actor, hearing), _("Only officials may change hearings.")
    )
    unknown = set(fields) - HEARING_FIELDS
    if unknown:
        raise Invalid(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "starts_at" in fields and fields["starts_at"] is None:
        raise Invalid(_("The start time is required."), field="starts_at")
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        if hearing.status == hearing.Status.ENDED and set(fields) - ENDED_EDITABLE_FIELDS:
            raise Conflict(_("After a hearing ended only its minutes can change."))
        for name, value in fields.items():
            setattr(hearing, name, value)
        hearing.save()
        if set(fields) - ENDED_EDITABLE_FIELDS:
            _publish_agenda(hearing, "hearing", **selectors.hearing_payload(hearing))
    return hearing


def _renumber_agenda(hearing, ordered) -> None:
    from consultations.models import AgendaItem

    for position, agenda_item in enumerate(ordered, start=1):
        agenda_item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])


def agenda_item_add(*, actor, hearing, title: str, item: Item | None = None, position=None):
    from consultations.models import AgendaItem

    _require(
        permissions.can_manage_hearing(actor, hearing), _("Only officials may edit the agenda.")
    )
    title = _clean_title(title)
    if item is not None and item.consultation_id != hearing.consultation_id:
        raise Invalid(_("This item belongs to another consultation."), field="item")
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_not_ended(hearing)
        agenda = list(selectors.agenda_of(hearing))
        agenda_item = AgendaItem(hearing=hearing, title=title, item=item)
        index = len(agenda) if position is None else max(0, min(int(position) - 1, len(agenda)))
        agenda_item.save()
        agenda.insert(index, agenda_item)
        _renumber_agenda(hearing, agenda)
        _publish_agenda(hearing)
    return agenda_item


def agenda_item_move(*, actor, agenda_item, position: int):
    _require(
        permissions.can_manage_hearing(actor, agenda_item.hearing),
        _("Only officials may edit the agenda."),
    )
    with transaction.atomic():
        hearing = _lock_hearing(agenda_item.hearing)
        _require_not_ended(hearing)
        agenda = [a for a in selectors.agenda_of(hearing) if a.pk != agenda_item.pk]
        index = max(0, min(int(position) - 1, len(agenda)))
        agenda.insert(index, agenda_item)
        _renumber_agenda(hearing, agenda)
        _publish_agenda(hearing)
    agenda_item.refresh_from_db()
    return agenda_item


def agenda_item_remove(*, actor, agenda_item) -> None:
    _require(
        permissions.can_manage_hearing(actor, agenda_item.hearing),
        _("Only officials may edit the agenda."),
    )
    with transaction.atomic():
        hearing = _lock_hearing(agenda_item.hearing)
        _require_not_ended(hearing)
        if hearing.current_agenda_item_id == agenda_item.pk:
            raise Conflict(_("The agenda item under discussion cannot be removed."))
        agenda_item.delete()
        _renumber_agenda(hearing, list(selectors.agenda_of(hearing)))
        _publish_agenda(hearing)


def hearing_start(*, actor, hearing):
    """Go live; the first agenda item becomes the one under discussion."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        if hearing.status != hearing.Status.SCHEDULED:
            raise Conflict(_("Only a scheduled hearing can start."))
        if hearing.consultation.status == Consultation.Status.DRAFT:
            raise Conflict(_("Publish the consultation before its hearing starts."))
        hearing.status = hearing.Status.LIVE
        hearing.started_at = timezone.now()
        hearing.current_agenda_item = selectors.agenda_of(hearing).first()
        hearing.save(update_fields=["status", "started_at", "current_agenda_item"])
        _publish(hearing, "hearing.started", events.hearing_started(hearing))
        if hearing.current_agenda_item is not None:
            _publish_agenda(hearing)
    return hearing


def hearing_advance(*, actor, hearing, agenda_item=None):
    """Move to the next agenda item, or to the one the chair picks."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_live(hearing)
        agenda = list(selectors.agenda_of(hearing))
        if agenda_item is not None:
            target = next((a for a in agenda if a.pk == agenda_item.pk), None)
            if target is None:
                raise Invalid(
                    _("This agenda item belongs to another hearing."), field="agenda_item"
                )
        else:
            ids = [a.pk for a in agenda]
            current = hearing.current_agenda_item_id
            index = ids.index(current) + 1 if current in ids else 0
            if index >= len(agenda):
                raise Conflict(_("This is already the last agenda item."))
            target = agenda[index]
        hearing.current_agenda_item = target
        hearing.save(update_fields=["current_agenda_item"])
        _publish_agenda(hearing)
    return hearing


def _tally_state(item) -> dict:
    """The item's tally exactly as the voting app publishes it (hidden under a secret ballot).

    consultations sits below voting (ARCHITECTURE §1), hence the import at call time.
    """
    from voting import selectors as voting_selectors

    return voting_selectors.tally_of(item)


def hearing_open_voting(*, actor, hearing, item: Item):
    """Open the live voting window on one item of the hearing's consultation."""
    _require_hearing_runner(actor, hearing)
    if item is None:
        raise Invalid(_("Choose the item to vote on."), field="item")
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_live(hearing)
        if item.consultation_id != hearing.consultation_id:
            raise Invalid(_("This item belongs to another consultation."), field="item")
        if hearing.consultation.status != Consultation.Status.OPEN:
            raise Conflict(_("Votes are only possible while the consultation is open."))
        if hearing.voting_item_id is not None:
            raise Conflict(_("Close the current vote before opening another one."))
        hearing.voting_item = item
        hearing.voting_opened_at = timezone.now()
        hearing.save(update_fields=["voting_item", "voting_opened_at"])
        _publish(
            hearing,
            "voting.opened",
            events.voting_opened(
                hearing, item, choices=selectors.voting_choices(hearing.consultation)
            ),
        )
        # The votes cast before the window opened are on the screens at once.
        _publish(hearing, "tally.updated", _tally_state(item))
    return hearing


def _close_voting(hearing) -> None:
    item = hearing.voting_item
    data = events.voting_closed(hearing, item, tally=_tally_state(item))
    hearing.voting_item = None
    hearing.voting_opened_at = None
    hearing.save(update_fields=["voting_item", "voting_opened_at"])
    _publish(hearing, "voting.closed", data)


def hearing_close_voting(*, actor, hearing):
    """Close the window; the event carries the tally frozen at this moment."""
    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        if hearing.voting_item_id is None:
            raise Conflict(_("No vote is open."))
        _close_voting(hearing)
    return hearing


def hearing_end(*, actor, hearing):
    from consultations.models import SpeakerRequest

    _require_hearing_runner(actor, hearing)
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_live(hearing)
        if hearing.voting_item_id is not None:
            _close_voting(hearing)
        SpeakerRequest.objects.filter(
            hearing=hearing, status=SpeakerRequest.Status.SPEAKING
        ).update(status=SpeakerRequest.Status.DONE)
        SpeakerRequest.objects.filter(hearing=hearing, status=SpeakerRequest.Status.WAITING).update(
            status=SpeakerRequest.Status.WITHDRAWN
        )
        hearing.status = hearing.Status.ENDED
        hearing.ended_at = timezone.now()
        hearing.save(update_fields=["status", "ended_at"])
        _publish(hearing, "hearing.ended", events.hearing_ended(hearing))
    return hearing


def check_in_token(hearing) -> str:
    """The signed, expiring value behind the QR code shown in the room."""
    return signing.TimestampSigner(salt=CHECK_IN_SALT).sign(str(hearing.pk))


def _check_in_token_valid(hearing, token: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=CHECK_IN_SALT).unsign(
            token or "", max_age=CHECK_IN_MAX_AGE
        )
    except signing.SignatureExpired as exc:
        raise NotAllowed(
            _("This check-in code has expired; scan the code in the room again.")
        ) from exc
    except signing.BadSignature:
        return False
    return value == str(hearing.pk)


def attendance_check_in(
    *, actor, hearing, token: str = "", organization: Organization | None = None
):
    """Check an organization in: a member scanning the room's QR code, or an officer for anyone.

    Checking in twice is harmless: the first attendance is returned.
    """
    from consultations.models import Attendance

    if organization is not None:
        _require_hearing_runner(actor, hearing)
        method = Attendance.Method.OFFICER
        if not organization.is_verified:
            raise Conflict(_("Only verified organizations can check in."), field="organization")
    else:
        if not _check_in_token_valid(hearing, token):
            raise NotAllowed(_("This check-in code is not valid for this hearing."))
        organization = permissions.verified_organization_of(actor)
        _require(
            organization is not None,
            _("Sign in as a member of a verified organization to check in."),
        )
        method = Attendance.Method.QR
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_not_ended(hearing)
        existing = Attendance.objects.filter(hearing=hearing, organization=organization).first()
        if existing is not None:
            return existing
        attendance = Attendance.objects.create(
            hearing=hearing, organization=organization, checked_in_by=actor, method=method
        )
        count = selectors.attendance_of(hearing).count()
        _publish(hearing, "attendance.updated", events.attendance_updated(attendance, count=count))
    return attendance


def display_key_rotate(*, actor, hearing):
    """Revoke the big screen's key: screens with the old key lose access."""
    _require(
        permissions.can_see_display_key(actor, hearing),
        _("Only officials and moderators may rotate the display key."),
    )
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        hearing.display_key = _new_display_key()
        hearing.save(update_fields=["display_key"])
        events.close_display_sockets(hearing.stream)
    return hearing


def screen_set_mode(*, actor, hearing, mode: str):
    _require_hearing_runner(actor, hearing)
    if mode not in hearing.Screen.values:
        raise Invalid(_("Unknown screen mode."), field="mode")
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_not_ended(hearing)
        if hearing.screen_mode != mode:
            hearing.screen_mode = mode
            hearing.save(update_fields=["screen_mode"])
            _publish(hearing, "screen.changed", events.screen_changed(hearing))
    return hearing


def _lock_screen_comment(actor, comment):
    from consultations.models import Comment

    _require(
        permissions.can_screen_comments(actor),
        _("Only moderators may choose what the big screen shows."),
    )
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("author", "organization", "hearing")
        .get(pk=comment.pk)
    )
    if comment.hearing_id is None:
        raise Conflict(_("Only comments made in a hearing can go on its screen."))
    return comment


def comment_show_on_screen(*, actor, comment):
    """Put a published hearing comment on the big screen."""
    from consultations.models import ModerationAction

    with transaction.atomic():
        comment = _lock_screen_comment(actor, comment)
        if not comment.is_published or comment.is_removed:
            raise Conflict(_("Only published comments can be shown on the screen."))
        if comment.on_screen_at is None:
            comment.on_screen_at = timezone.now()
            comment.save(update_fields=["on_screen_at"])
            ModerationAction.objects.create(
                comment=comment, actor=actor, action=ModerationAction.Action.SCREEN
            )
            _publish(comment.hearing, "comment.screened", events.comment_screened(comment))
    return comment


def comment_hide_from_screen(*, actor, comment):
    from consultations.models import ModerationAction

    with transaction.atomic():
        comment = _lock_screen_comment(actor, comment)
        if comment.on_screen_at is not None:
            comment.on_screen_at = None
            comment.save(update_fields=["on_screen_at"])
            ModerationAction.objects.create(
                comment=comment, actor=actor, action=ModerationAction.Action.UNSCREEN
            )
            _publish(comment.hearing, "comment.screened", events.comment_screened(comment))
    return comment


def _publish_speakers(hearing) -> None:
    queue = selectors.speakers_of(hearing)
    _publish(hearing, "speakers.changed", events.speakers_changed(hearing, queue=queue))


def _lock_speaker(speaker_request):
    from consultations.models import SpeakerRequest

    return (
        SpeakerRequest.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=speaker_request.pk)
    )


def speaker_request(*, actor, hearing):
    """An organization asks for the floor; it joins the end of the queue."""
    from consultations.models import SpeakerRequest

    organization = permissions.speaking_organization(actor, hearing)
    _require(
        organization is not None,
        _("Only members of a verified organization may ask for the floor."),
    )
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_live(hearing)
        active = SpeakerRequest.objects.filter(
            hearing=hearing,
            organization=organization,
            status__in=[SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING],
        )
        if active.exists():
            raise Conflict(_("Your organization is already in the speaker queue."))
        last = (
            SpeakerRequest.objects.filter(hearing=hearing)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        request = SpeakerRequest.objects.create(
            hearing=hearing,
            organization=organization,
            requested_by=actor,
            position=(last or 0) + 1,
        )
        _publish_speakers(hearing)
    return request


def speaker_withdraw(*, actor, speaker_request):
    own = permissions.organization_of(actor)
    _require(
        (own is not None and own.pk == speaker_request.organization_id)
        or permissions.can_run_hearing(actor, speaker_request.hearing),
        _("Only the organization itself or the chair may withdraw a request."),
    )
    with transaction.atomic():
        hearing = _lock_hearing(speaker_request.hearing)
        request = _lock_speaker(speaker_request)
        if request.status != request.Status.WAITING:
            raise Conflict(_("Only a waiting request can be withdrawn."))
        request.status = request.Status.WITHDRAWN
        request.save(update_fields=["status"])
        _publish_speakers(hearing)
    return request


def speaker_reorder(*, actor, hearing, order: list[int]):
    """The chair sets the order of the waiting queue; `order` lists every waiting request id."""
    from consultations.models import SpeakerRequest

    _require_hearing_runner(actor, hearing)
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError) as exc:
        raise Invalid(_("The order must be a list of request ids."), field="order") from exc
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_live(hearing)
        waiting = {
            r.pk: r
            for r in SpeakerRequest.objects.select_for_update().filter(
                hearing=hearing, status=SpeakerRequest.Status.WAITING
            )
        }
        if len(order) != len(set(order)) or set(order) != set(waiting):
            raise Invalid(
                _("The order must list every waiting request exactly once."), field="order"
            )
        rows = [waiting[pk] for pk in order]
        for position, row in enumerate(rows, start=1):
            row.position = position
        SpeakerRequest.objects.bulk_update(rows, ["position"])
        _publish_speakers(hearing)
    return hearing


def speaker_give_floor(*, actor, speaker_request, seconds: int = 180):
    """Start the speaker's countdown; whoever was speaking is done."""
    from consultations.models import SpeakerRequest

    _require_hearing_runner(actor, speaker_request.hearing)
    try:
        seconds = int(seconds)
    except (TypeError, ValueError) as exc:
        raise Invalid(_("Speaking time must be a number of seconds."), field="seconds") from exc
    low, high = SPEAKER_SECONDS_RANGE
    if not low <= seconds <= high:
        raise Invalid(
            _("Speaking time must be between %(low)s and %(high)s seconds.")
            % {"low": low, "high": high},
            field="seconds",
        )
    with transaction.atomic():
        hearing = _lock_hearing(speaker_request.hearing)
        _require_live(hearing)
        request = _lock_speaker(speaker_request)
        if request.status != request.Status.WAITING:
            raise Conflict(_("Only a waiting request can be given the floor."))
        SpeakerRequest.objects.filter(
            hearing=hearing, status=SpeakerRequest.Status.SPEAKING
        ).update(status=SpeakerRequest.Status.DONE)
        request.status = request.Status.SPEAKING
        request.seconds = seconds
        request.started_at = timezone.now()
        request.save(update_fields=["status", "seconds", "started_at"])
        _publish_speakers(hearing)
    return request


def speaker_done(*, actor, speaker_request):
    _require_hearing_runner(actor, speaker_request.hearing)
    with transaction.atomic():
        hearing = _lock_hearing(speaker_request.hearing)
        request = _lock_speaker(speaker_request)
        if request.status != request.Status.SPEAKING:
            raise Conflict(_("This organization does not have the floor."))
        request.status = request.Status.DONE
        request.save(update_fields=["status"])
        _publish_speakers(hearing)
    return request


def _clean_counts(counts, choices: list[str]) -> dict[str, int]:
    if not isinstance(counts, dict) or not counts:
        raise Invalid(_("Enter the counts as {choice: number}."), field="counts")
    cleaned = {}
    for choice, number in counts.items():
        if choice not in choices:
            raise Invalid(
                _("Unknown choice %(choice)s; use %(choices)s.")
                % {"choice": choice, "choices": ", ".join(choices)},
                field="counts",
            )
        if isinstance(number, bool):
            raise Invalid(_("Counts must be whole numbers."), field="counts")
        try:
            value = int(number)
        except (TypeError, ValueError) as exc:
            raise Invalid(_("Counts must be whole numbers."), field="counts") from exc
        if value != number and str(value) != str(number).strip():
            raise Invalid(_("Counts must be whole numbers."), field="counts")
        if not 0 <= value <= 1_000_000:
            raise Invalid(_("Counts must be between 0 and 1,000,000."), field="counts")
        cleaned[choice] = value
    return cleaned


def manual_count_enter(*, actor, hearing, item: Item, method: str, counts: dict, note: str = ""):
    """Record a show-of-hands or paper count; it stays apart from the online tally."""
    from consultations.models import ManualCount

    _require(
        permissions.can_run_hearing(actor, hearing),
        _("Only officials and moderators may enter counts."),
    )
    if method not in ManualCount.Method.values:
        raise Invalid(_("Unknown counting method."), field="method")
    if item is None or item.consultation_id != hearing.consultation_id:
        raise Invalid(_("This item belongs to another consultation."), field="item")
    cleaned = _clean_counts(counts, selectors.voting_choices(hearing.consultation))
    with transaction.atomic():
        hearing = _lock_hearing(hearing)
        _require_not_ended(hearing)
        count = ManualCount.objects.create(
            hearing=hearing,
            item=item,
            method=method,
            counts=cleaned,
            note=(note or "").strip()[:500],
            entered_by=actor,
        )
        _publish_agenda(hearing, "manual_count", count=selectors.manual_count_payload(count))
    return count


# Big screens report a heartbeat every 30 s; kept in the cache (shared through Redis in
# production), never in the database: it is presence, not history.
def screen_heartbeat(*, actor, hearing, key: str, screen: str, label: str = "") -> dict:
    """A projector says it is alive; it proves itself with the display key, not a login."""
    from django.core.cache import cache

    if not key or not secrets.compare_digest(str(key), hearing.display_key):
        raise NotAllowed(_("This screen's display key is not valid (any more)."))
    screen = (screen or "").strip()[:64]
    if not screen:
        raise Invalid(_("A screen id is required."), field="screen")
    now = timezone.now()
    screens = cache.get(selectors.screen_heartbeat_key(hearing)) or {}
    cutoff = now - datetime.timedelta(seconds=selectors.SCREEN_HEARTBEAT_TTL)
    screens = {
        sid: info
        for sid, info in screens.items()
        if datetime.datetime.fromisoformat(info["last_seen"]) > cutoff
    }
    screens[screen] = {"screen": screen, "label": (label or "")[:120], "last_seen": now.isoformat()}
    cache.set(selectors.screen_heartbeat_key(hearing), screens, selectors.SCREEN_HEARTBEAT_TTL)
    return screens[screen]
