"""HTML pages. Thin: selectors read, services write, domain errors become form messages."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.errors import DomainError
from consultations import permissions, selectors, services
from consultations.filters import ConsultationFilter
from consultations.forms import MemberAddForm, OrganizationRegistrationForm
from consultations.models import Consultation, Membership

User = get_user_model()


def home(request):
    consultations = selectors.consultations_visible_to(request.user).filter(
        status=Consultation.Status.OPEN
    )[:10]
    return render(request, "consultations/home.html", {"consultations": consultations})


def consultation_list(request):
    queryset = selectors.consultations_visible_to(request.user)
    filterset = ConsultationFilter(request.GET or None, queryset=queryset)
    for name in ("status", "kind", "agency", "audience"):
        field = filterset.form.fields[name]
        field.empty_label = _("All")
        if name != "agency":
            field.choices = filterset.filters[name].extra["choices"]  # rebuild with the label
    page = Paginator(filterset.qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/consultation_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def consultation_detail(request, pk):
    try:
        consultation = selectors.consultation_for_page(pk, request.user)
    except Consultation.DoesNotExist as exc:
        raise Http404 from exc
    versions = [
        v
        for v in consultation.versions.all()
        if v.is_published or permissions.is_staff_role(request.user)
    ]
    current = selectors.current_version(consultation)
    version = current
    requested = request.GET.get("version")
    if requested:
        version = next((v for v in versions if str(v.number) == requested), None)
        if version is None:
            raise Http404
    sections = list(selectors.sections_of(consultation, version).select_related("previous"))
    show_changes = version is not None and version.number > 1
    for section in sections:
        section.changes = selectors.section_changes(section) if show_changes else []
        section.changed = any(op != "equal" for op, _text in section.changes)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "version": version,
            "current_version": current,
            "versions": versions,
            "sections": sections,
            "items": consultation.items.all(),
            "is_old_version": version is not None and current is not None and version != current,
        },
    )


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
    return render(request, "consultations/organization_register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_organization(request):
    membership = permissions.membership_of(request.user)
    if membership is None:
        return render(request, "consultations/my_organization.html", {"organization": None})
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
        "consultations/my_organization.html",
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
