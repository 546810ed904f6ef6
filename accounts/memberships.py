"""Every state change of an organization's members (ARCHITECTURE.md §2 rule 1): invitations
(sent, accepted, declined, withdrawn), roles, removing a member and leaving.

Kept beside services.py (accounts, agencies, organizations, privacy choices) so neither
passes the size limit of ARCHITECTURE.md §1; the same rules hold: one function per action,
the actor first, keyword-only arguments, one transaction, each change kept in the
organization's change record (services._record). Imports from services.py, never the
other way.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import names, permissions, signals
from accounts.models import Invitation, Membership, Organization, OrganizationChange
from accounts.services import User, _record
from backend.errors import Conflict, Invalid, NotFound, require

# Open invitations per organization: enough for a board, too few to spam the whole city.
PENDING_INVITATIONS_PER_ORGANIZATION = 50


def membership_invite(*, actor, organization: Organization, username: str, role: str) -> Invitation:
    """Invite a username to the organization; it joins when that user accepts.

    The answer is the same whether or not the username exists or may join (staff, a member
    elsewhere): an invitation nobody can accept looks like any other to the organization.
    """
    require(
        permissions.can_invite_members(actor, organization),
        _("Only the organization's representative may invite members."),
    )
    if role not in Membership.Role.values:
        raise Invalid(_("Unknown role."), field="role")
    username = names.normalize(username)
    if not username or len(username) > 150:
        raise Invalid(_("Username is required."), field="username")
    with transaction.atomic():
        # One invitation at a time per organization: the count and the duplicate check hold.
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        pending = organization.invitations.filter(status=Invitation.Status.PENDING)
        existing = pending.filter(username__iexact=username).first()
        if existing is not None:
            return existing
        if pending.count() >= PENDING_INVITATIONS_PER_ORGANIZATION:
            raise Conflict(
                _("This organization has too many open invitations; withdraw some first.")
            )
        invitee = User.objects.filter(username__iexact=username, is_active=True).first()
        if invitee is not None and (
            not permissions.can_join_organization(invitee)
            or Membership.objects.filter(user=invitee, organization=organization).exists()
        ):
            invitee = None
        invitation = Invitation.objects.create(
            organization=organization,
            username=username,
            user=invitee,
            role=role,
            invited_by=actor,
        )
        signals.invitation_sent.send(sender=Invitation, invitation=invitation)
        _record(
            organization, OrganizationChange.Kind.INVITED, actor=actor, subject=username, role=role
        )
    return invitation


def _open_invitation(invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("organization").get(pk=invitation.pk)
    )
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict(_("This invitation is no longer open."))
    return invitation


def _own_invitation(actor, invitation: Invitation) -> None:
    if not permissions.is_authenticated(actor) or invitation.user_id != actor.pk:
        raise NotFound(_("No such invitation."))


def invitation_accept(*, actor, invitation: Invitation) -> Membership:
    """The invited user joins the organization with the invited role."""
    _own_invitation(actor, invitation)
    require(
        permissions.can_join_organization(actor),
        _("Officials, moderators and planners cannot belong to an organization."),
    )
    try:
        with transaction.atomic():
            invitation = _open_invitation(invitation)
            if Membership.objects.filter(user=actor).exists():
                raise Conflict(_("You already belong to an organization; leave it first."))
            membership = Membership.objects.create(
                user=actor, organization=invitation.organization, role=invitation.role
            )
            invitation.status = Invitation.Status.ACCEPTED
            invitation.answered_at = timezone.now()
            invitation.save(update_fields=["status", "answered_at"])
            _record(
                invitation.organization,
                OrganizationChange.Kind.ACCEPTED,
                actor=actor,
                subject=actor.get_username(),
                role=invitation.role,
            )
    except IntegrityError as exc:
        raise Conflict(_("You already belong to an organization; leave it first.")) from exc
    return membership


def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    _own_invitation(actor, invitation)
    with transaction.atomic():
        invitation = _open_invitation(invitation)
        invitation.status = Invitation.Status.DECLINED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        _record(
            invitation.organization,
            OrganizationChange.Kind.DECLINED,
            actor=actor,
            subject=invitation.username,
            role=invitation.role,
        )
    return invitation


def invitation_withdraw(*, actor, invitation: Invitation) -> Invitation:
    """A representative takes back an invitation nobody has answered yet."""
    require(
        permissions.can_invite_members(actor, invitation.organization),
        _("Only the organization's representative may invite members."),
    )
    with transaction.atomic():
        invitation = _open_invitation(invitation)
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        _record(
            invitation.organization,
            OrganizationChange.Kind.INVITATION_WITHDRAWN,
            actor=actor,
            subject=invitation.username,
            role=invitation.role,
        )
    return invitation


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
        previous = Membership.objects.values_list("role", flat=True).get(pk=membership.pk)
        membership.role = role
        membership.save(update_fields=["role"])
        if previous != role:
            _record(
                membership.organization,
                OrganizationChange.Kind.ROLE_CHANGED,
                actor=actor,
                subject=membership.user.get_username(),
                role=role,
            )
    return membership


def membership_remove(*, actor, membership: Membership) -> None:
    leaving = permissions.is_authenticated(actor) and actor.pk == membership.user_id
    require(
        permissions.can_manage_members(actor, membership.organization) or leaving,
        _("Only the organization's representative may manage members."),
    )
    with transaction.atomic():
        _ensure_not_last_representative(membership)
        _record(
            membership.organization,
            OrganizationChange.Kind.LEFT if leaving else OrganizationChange.Kind.REMOVED,
            actor=actor,
            subject=membership.user.get_username(),
            role=membership.role,
        )
        membership.delete()
