"""Pages: register an organization, "Organisasi saya" (members)."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import permissions, services
from accounts.forms import MemberAddForm, OrganizationRegistrationForm
from accounts.models import Membership
from backend.errors import DomainError

User = get_user_model()


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
                        username=data["username"],
                        password=data["password"],
                        email=data["email"],
                        full_name=data["full_name"],
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


@login_required
@require_http_methods(["GET", "POST"])
def my_organization(request):
    membership = permissions.membership_of(request.user)
    if membership is None:
        return render(request, "accounts/my_organization.html", {"organization": None})
    organization = membership.organization
    can_manage = permissions.can_manage_members(request.user, organization)
    form = MemberAddForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            form = MemberAddForm(request.POST)
            if form.is_valid():
                _add_member(request, organization, form)
                if not form.errors:
                    return redirect("my-organization")
        elif action == "remove":
            _remove_member(request, organization)
            return redirect("my-organization")
        else:
            messages.error(request, _("Unknown action."))
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-role", "user__username")
    )
    return render(
        request,
        "accounts/my_organization.html",
        {
            "organization": organization,
            "membership": membership,
            "members": members,
            "can_manage": can_manage,
            "form": form,
            "today": timezone.localdate(),
        },
    )


def _add_member(request, organization, form) -> None:
    username = form.cleaned_data["username"].strip()
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None:
        form.add_error("username", _("No account with this username exists."))
        return
    try:
        services.membership_add(
            actor=request.user, organization=organization, user=user, role=Membership.Role.MEMBER
        )
    except DomainError as exc:
        form.add_error("username", exc.message)
    else:
        messages.success(request, _("%(name)s is now a member.") % {"name": user.username})


def _remove_member(request, organization) -> None:
    membership_id = request.POST.get("membership", "")
    if not membership_id.isdigit():
        raise Http404
    membership = get_object_or_404(Membership, pk=membership_id, organization=organization)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.user.username}
        )
