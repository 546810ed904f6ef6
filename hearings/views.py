"""The undangan page of a hearing: officials choose organizations and send the invitation;
everyone who may read an invitation sees it with its reply beside the check-in; the
invited organization's representative answers it. The live pages are realtime's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import permissions as accounts_permissions
from accounts.models import Organization
from backend.errors import DomainError, NotFound
from backend.filters import parse_id
from hearings import invitations, permissions, selectors
from hearings.models import HearingInvitation


def _hearing(hearing_id: int, user):
    hearing = selectors.hearings_visible_to(user).filter(pk=hearing_id).first()
    if hearing is None:
        raise NotFound(_("This hearing does not exist or is not public."))
    return hearing


@login_required
def hearing_invitations(request, hearing_id: int):
    hearing = _hearing(hearing_id, request.user)
    if request.method == "POST":
        return _invite(request, hearing)
    can_invite = permissions.can_invite_to_hearing(request.user, hearing)
    rows = list(selectors.invitations_visible_to(request.user, hearing))
    for row in rows:
        row.can_reply = permissions.can_reply_to_invitation(request.user, row)
    membership = accounts_permissions.membership_of(request.user)
    context = {
        "hearing": hearing,
        "invitations": rows,
        "can_invite": can_invite and hearing.status != hearing.Status.ENDED,
        "sees_all": permissions.can_run_hearing(request.user, hearing),
        "candidates": selectors.organizations_to_invite(hearing) if can_invite else [],
        "organization": membership.organization if membership else None,
        "answers": [
            (answer, HearingInvitation.Reply(answer).label) for answer in invitations.ANSWERS
        ],
        "ended": hearing.status == hearing.Status.ENDED,
    }
    return render(request, "hearings/invitations.html", context)


def _invite(request, hearing):
    try:
        ids = {parse_id(value, field="organizations") for value in request.POST.getlist("org")}
        organizations = list(Organization.objects.filter(pk__in=ids))
        if len(organizations) != len(ids):
            raise NotFound(_("Unknown organization."))
        created = invitations.hearing_invite(
            actor=request.user, hearing=hearing, organizations=organizations
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "The invitation was sent to %(n)d organization.",
                "The invitation was sent to %(n)d organizations.",
                len(created),
            )
            % {"n": len(created)},
        )
    return redirect("hearing-invitations", hearing.pk)


@login_required
@require_POST
def hearing_invitation_reply(request, invitation_id: int):
    invitation = selectors.invitations_visible_to(request.user).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("This invitation does not exist."))
    try:
        invitations.hearing_invitation_reply(
            actor=request.user,
            invitation=invitation,
            reply=request.POST.get("reply", ""),
            delegate_name=request.POST.get("delegate_name", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your answer was recorded."))
    return redirect("hearing-invitations", invitation.hearing_id)
