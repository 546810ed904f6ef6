"""Pages: register an organization, "Organisasi saya" (members, invitations, changes)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import memberships, permissions, selectors, services
from accounts.forms import AccountForm, MemberAddForm, OrganizationRegistrationForm
from accounts.models import Invitation, Membership
from backend.errors import DomainError, RateLimited
from backend.ratelimit import client_address


@require_http_methods(["GET", "POST"])
def organization_register(request):
    if permissions.membership_of(request.user) is not None:
        messages.info(request, _("You already belong to an organization."))
        return redirect("my-organization")
    signed_in = request.user.is_authenticated
    form = OrganizationRegistrationForm(request.POST or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = request.user
                if not signed_in:
                    user = services.user_register(
                        **form.account_data(), address=client_address(request)
                    )
                services.organization_register(
                    actor=user,
                    name=data["name"],
                    acronym=data["acronym"],
                    registration_number=data["registration_number"],
                    registration_issued_on=data["registration_issued_on"],
                    registration_expires_on=data["registration_expires_on"],
                    address=data["address"],
                    contact_email=data["contact_email" if signed_in else "email"],
                    contact_phone=data["contact_phone"],
                )
        except RateLimited as exc:
            return _too_many_sign_ups(request, "accounts/organization_register.html", form, exc)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Your organization is registered. Bakesbangpol will verify the "
                    "registration letter; until then you can read and comment, but not vote."
                ),
            )
            return redirect("my-organization")
    return render(request, "accounts/organization_register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def citizen_sign_up(request):
    """A citizen's (warga's) own account, for consultations open to the public (issue 17)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if request.user.is_authenticated:
        return redirect(target or "consultation-list")
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(**form.account_data(), address=client_address(request))
        except RateLimited as exc:
            return _too_many_sign_ups(
                request, "accounts/citizen_sign_up.html", form, exc, next=target
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Your account is ready. You can comment on consultations open to the "
                    "public; to comment or vote for an organization, register it or accept "
                    "its invitation."
                ),
            )
            return redirect(target or "consultation-list")
    return render(request, "accounts/citizen_sign_up.html", {"form": form, "next": target})


def _too_many_sign_ups(request, template: str, form, exc: RateLimited, **context):
    """The sign-up page again with the throttle's message: 429 and Retry-After."""
    form.add_error(None, exc.message)
    response = render(request, template, {"form": form, **context}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def my_organization(request):
    membership = permissions.membership_of(request.user)
    if membership is None:
        return _no_organization(request)
    organization = membership.organization
    can_manage = permissions.can_manage_members(request.user, organization)
    can_invite = permissions.can_invite_members(request.user, organization)
    form = MemberAddForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            form = MemberAddForm(request.POST)
            if form.is_valid():
                _invite(request, organization, form)
                if not form.errors:
                    return redirect("my-organization")
        elif action == "remove":
            _remove_member(request, organization)
            return redirect("my-organization")
        elif action == "withdraw":
            _withdraw_invitation(request, organization)
            return redirect("my-organization")
        else:
            messages.error(request, _("Unknown action."))
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-role", "user__username")
    )
    sees_changes = permissions.can_view_organization_changes(request.user, organization)
    return render(
        request,
        "accounts/my_organization.html",
        {
            "organization": organization,
            "membership": membership,
            "members": members,
            "can_manage": can_manage,
            "can_invite": can_invite,
            "invitations": selectors.pending_invitations_of(organization) if can_invite else (),
            "changes": selectors.changes_of(organization)[:20] if sees_changes else (),
            "form": form,
            "today": timezone.localdate(),
        },
    )


def _no_organization(request):
    """No membership yet: the user's open invitations (accept or decline), and sign-up."""
    if request.method == "POST":
        invitation_id = request.POST.get("invitation", "")
        if not invitation_id.isdigit() or len(invitation_id) > 18:
            raise Http404
        invitation = get_object_or_404(selectors.invitations_for(request.user), pk=invitation_id)
        try:
            if request.POST.get("action") == "accept":
                memberships.invitation_accept(actor=request.user, invitation=invitation)
                messages.success(
                    request,
                    _("You joined %(name)s.") % {"name": invitation.organization.name},
                )
            else:
                memberships.invitation_decline(actor=request.user, invitation=invitation)
                messages.info(request, _("Invitation declined."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("my-organization")
    return render(
        request,
        "accounts/my_organization.html",
        {
            "organization": None,
            "invitations": selectors.invitations_for(request.user),
            "can_join": permissions.can_join_organization(request.user),
        },
    )


def _invite(request, organization, form) -> None:
    try:
        memberships.membership_invite(
            actor=request.user,
            organization=organization,
            username=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )
    except DomainError as exc:
        form.add_error("username", exc.message)
    else:
        messages.success(request, _("If this account exists, it has been invited."))


def _withdraw_invitation(request, organization) -> None:
    invitation_id = request.POST.get("invitation", "")
    if not invitation_id.isdigit() or len(invitation_id) > 18:
        raise Http404
    invitation = get_object_or_404(Invitation, pk=invitation_id, organization=organization)
    try:
        memberships.invitation_withdraw(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation withdrawn."))


def _remove_member(request, organization) -> None:
    membership_id = request.POST.get("membership", "")
    if not membership_id.isdigit() or len(membership_id) > 18:
        raise Http404
    membership = get_object_or_404(Membership, pk=membership_id, organization=organization)
    try:
        memberships.membership_remove(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.user.username}
        )
