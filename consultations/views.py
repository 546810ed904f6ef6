"""Public pages: home, the consultation list and a consultation with its sections."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from backend.errors import DomainError
from consultations import permissions as consultation_permissions
from consultations import selectors, services
from consultations.filters import ConsultationFilter
from consultations.models import Consultation

User = get_user_model()


def home(request):
    consultations = selectors.consultations_visible_to(request.user).filter(
        status__in=[Consultation.Status.OPEN, Consultation.Status.SCHEDULED]
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
            "can_close": consultation.is_open
            and consultation_permissions.can_manage_consultation(request.user, consultation),
        },
    )


@require_POST
def consultation_close(request, pk):
    """The official's early close, from the consultation page (the reason is required)."""
    detail = reverse("consultation-detail", args=[pk])
    if not request.user.is_authenticated:
        return redirect_to_login(detail)
    consultation = get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)
    try:
        services.consultation_close(
            actor=request.user, consultation=consultation, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The consultation is closed; the final tallies are public."))
    return redirect(detail)
