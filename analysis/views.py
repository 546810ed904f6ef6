"""The planner's pages of the analysis: importing written submissions (upload, preview, import)
and the forms of the dashboard's analysis section (answer a theme or a group, refresh).

The dashboard itself is the reports app's; it shows `analysis/_dashboard_section.html`.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis import imports, permissions, selectors, services, tasks
from backend.errors import DomainError, Invalid, NotAllowed
from comments import permissions as comments_permissions
from consultations import selectors as consultations_selectors

UPLOAD_TTL = 30 * 60


def _consultation(request, pk: int):
    return get_object_or_404(consultations_selectors.consultations_visible_to(request.user), pk=pk)


def _dashboard(consultation, anchor: str = "analisis") -> str:
    return reverse("consultation-dashboard", args=[consultation.pk]) + f"#{anchor}"


def _upload_key(request, token: str) -> str:
    return f"analysis:upload:{request.user.pk}:{token}"


@login_required
@require_http_methods(["GET", "POST"])
def comment_import(request, pk: int):
    """Upload a CSV/XLSX of written submissions; the first rows and every row error are shown
    (nothing imported yet); "Import" then imports the same file, kept for 30 minutes."""
    consultation = _consultation(request, pk)
    if not comments_permissions.can_record_written_comments(request.user):
        raise NotAllowed(_("Only officials and planners may import written submissions."))
    context = {
        "consultation": consultation,
        "columns": imports.COLUMNS,
        "max_rows": imports.MAX_ROWS,
    }
    if request.method == "POST":
        try:
            if "file" in request.FILES:
                context.update(_preview(request, consultation, request.FILES["file"]))
            else:
                done = _import(request, consultation, request.POST.get("token", ""))
                if done is None:
                    return redirect(_dashboard(consultation))
                context.update(done)
        except DomainError as error:
            context["error"] = error.message
    return render(request, "analysis/comment_import.html", context)


def _preview(request, consultation, upload) -> dict:
    """Check every row of the uploaded file, import nothing; keep the file for the import."""
    # One byte over the limit is enough for the service to refuse the file as too large.
    data = upload.read(imports.MAX_BYTES + 1)
    result = services.comment_import(
        actor=request.user,
        consultation=consultation,
        upload=SimpleUploadedFile(upload.name, data),
        dry_run=True,
    )
    token = secrets.token_urlsafe(16)
    cache.set(_upload_key(request, token), {"name": upload.name, "data": data}, UPLOAD_TTL)
    return {"result": result, "token": token, "file_name": upload.name, "preview": True}


def _import(request, consultation, token: str) -> dict | None:
    """Import the file previewed before; None when done (back to the dashboard)."""
    stored = cache.get(_upload_key(request, token)) if token else None
    if stored is None:
        raise Invalid(_("The uploaded file has expired; upload it again."))
    result = services.comment_import(
        actor=request.user,
        consultation=consultation,
        upload=SimpleUploadedFile(stored["name"], stored["data"]),
        skip_invalid=request.POST.get("skip_invalid") == "1",
    )
    if result.rejected:
        return {"result": result, "token": token, "file_name": stored["name"]}
    cache.delete(_upload_key(request, token))
    _report(request, result)
    return None


def _report(request, result) -> None:
    text = _("%(n)d written submissions imported.") % {"n": result.imported}
    if result.skipped:
        text += " " + _("%(n)d rows skipped (already imported or invalid).") % {"n": result.skipped}
    if result.pending and result.imported:
        text += " " + _("This consultation is pre-moderated: they wait for a moderator.")
    messages.success(request, text)


@login_required
@require_POST
def theme_respond(request, pk: int, theme_id: int):
    consultation = _consultation(request, pk)
    theme = selectors.theme_in(consultation, theme_id)
    return _respond_all(request, consultation, services.theme_respond, theme=theme)


@login_required
@require_POST
def group_respond(request, pk: int, group_id: int):
    consultation = _consultation(request, pk)
    group = selectors.group_in(consultation, group_id)
    return _respond_all(request, consultation, services.group_respond, group=group)


def _respond_all(request, consultation, service, **target):
    if not permissions.can_view_analysis(request.user, consultation):
        raise NotAllowed(_("Only planners, officials and moderators see the analysis."))
    if None in target.values():
        messages.error(request, _("The analysis was recomputed meanwhile; answer again."))
        return redirect(_dashboard(consultation))
    try:
        answered = service(
            actor=request.user,
            outcome=request.POST.get("outcome", ""),
            body=request.POST.get("body", ""),
            publish=request.POST.get("publish") == "1",
            **target,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The response was attached to %(n)d comments; the response matrix shows each.")
            % {"n": answered},
        )
    return redirect(_dashboard(consultation))


@login_required
@require_POST
def refresh(request, pk: int):
    consultation = _consultation(request, pk)
    analysis = services.analysis_request(actor=request.user, consultation=consultation)
    transaction.on_commit(lambda: tasks.analyze_now(analysis.consultation_id))
    messages.success(request, _("The analysis is being recomputed; reload in a moment."))
    return redirect(_dashboard(consultation))
