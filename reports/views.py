"""HTML pages of the planner feedback: dashboard, Berita Acara (printable) and the final report."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions as accounts_permissions
from analysis import permissions as analysis_permissions
from analysis import selectors as analysis_selectors
from backend.errors import Invalid, NotAllowed
from comments import permissions as comments_permissions
from comments.models import Comment, Response
from consultations import selectors
from consultations.models import Consultation
from hearings import services
from hearings.models import Hearing
from realtime import events
from reports import aspirations as report_aspirations
from reports import minutes, permissions
from reports import selectors as reports
from voting import payloads as voting_payloads

MISSING_LIST_LIMIT = 50
AGREEMENTS_MAX = Hearing._meta.get_field("agreements").max_length
CHAIR_MAX = Hearing._meta.get_field("chair_name").max_length
STANCE_LABELS = dict(Comment.Stance.choices)
OUTCOME_LABELS = dict(Response.Outcome.choices)


def _stream_seq(consultation: Consultation) -> int:

    return events.current_seq(consultation.stream)


@login_required
def dashboards(request):
    """The planner's way in: every consultation with its dashboard and final report."""
    if not permissions.can_view_dashboard(request.user, None):
        raise NotAllowed(_("Only planners, officials and moderators may open the dashboard."))
    consultations = selectors.consultations_visible_to(request.user).order_by("-pk")
    return render(request, "reports/dashboards.html", {"consultations": consultations})


@login_required
def dashboard(request, consultation_id: int):
    """Per consultation: live tallies, comments by section and stance, participation, gaps."""
    consultation = get_object_or_404(
        selectors.consultations_visible_to(request.user), pk=consultation_id
    )
    if not permissions.can_view_dashboard(request.user, consultation):
        raise NotAllowed(_("Only planners, officials and moderators may open the dashboard."))
    params = request.GET.copy()
    for key in ("include", "status"):
        params.pop(key, None)
    filters = {key: value for key, value in params.items() if value}
    comments = reports.comments_for_export(
        user=request.user,
        consultation=consultation,
        statuses=(Comment.Status.PUBLISHED,),
        params=params,
        request=request,
    )
    sections = list(selectors.sections_of(consultation))
    items = selectors.items_of(consultation)
    tallies = reports.item_tallies(consultation, request.user)
    choices = _choices(consultation)
    tally_rows = []
    peak = max((max(t.counts.values(), default=0) for t in tallies), default=0) or 1
    for tally in tallies:
        tally_rows.append(
            {
                "tally": tally,
                "cells": [
                    {
                        "choice": choice,
                        "n": tally.counts.get(choice, 0),
                        "percent": round(100 * tally.counts.get(choice, 0) / peak, 1),
                    }
                    for choice in choices
                ],
            }
        )
    missing = reports.comments_missing_response(comments)
    query = urlencode([(k, v) for k, values in params.lists() for v in values if v])
    api = f"/api/v1/consultations/{consultation.pk}/"
    export_links = [
        (label, f"{api}export.{ext}" + (f"?{query}" if query else ""))
        for label, ext in (("CSV", "csv"), ("Excel (XLSX)", "xlsx"), ("JSON", "json"))
    ]
    context = {
        "consultation": consultation,
        "filters": filters,
        "sections": sections,
        "items": items,
        "choices": [(choice, _choice_label(choice)) for choice in choices],
        "tally_rows": tally_rows,
        "tallies_hidden": any(t.hidden for t in tallies),
        "vote_totals": reports.vote_totals(tallies),
        "section_rows": reports.stance_counts_by_section(comments, sections),
        "stance_legend": [
            (stance, STANCE_LABELS[stance], n)
            for stance, n in reports.stance_totals(comments).items()
        ],
        "stances": [(s, STANCE_LABELS[s]) for s in reports.STANCES],
        "comment_total": comments.count(),
        "participation": reports.participation(consultation),
        "missing_total": missing.count(),
        "missing": missing[:MISSING_LIST_LIMIT],
        "export_links": export_links,
        "hearings": consultation.hearings.order_by("starts_at", "id"),
        "organizations": reports.eligible_organizations(),
        "stream_seq": _stream_seq(consultation),
        # Themes and campaign groups (analysis/_dashboard_section.html), stored by the job.
        "analysis": analysis_selectors.for_dashboard(consultation)
        if analysis_permissions.can_view_analysis(request.user, consultation)
        else None,
        "can_import": comments_permissions.can_record_written_comments(request.user),
        "can_refresh": analysis_permissions.can_refresh_analysis(request.user),
        "can_respond": comments_permissions.can_respond(request.user),
    }
    return render(request, "reports/dashboard.html", context)


def _choice_label(choice: str) -> str:
    labels = {
        "for": _("For"),
        "against": _("Against"),
        "abstain": _("Abstain"),
        "approve": _("Approve"),
    }
    return labels.get(choice, choice)


def _choices(consultation: Consultation) -> list[str]:
    if consultation.voting_method == Consultation.VotingMethod.APPROVAL:
        return ["approve"]
    return ["for", "against", "abstain"]


# --- Berita Acara --------------------------------------------------------------------------


def _hearing_for_minutes(request, hearing_id: int) -> Hearing:
    if not permissions.can_view_minutes(request.user):
        raise NotAllowed(_("Only officials and planners may read the minutes."))
    return get_object_or_404(Hearing.objects.select_related("consultation__agency"), pk=hearing_id)


@login_required
@require_http_methods(["GET"])
def minutes_page(request, hearing_id: int):
    hearing = _hearing_for_minutes(request, hearing_id)
    context = {
        "minutes": minutes.build(hearing=hearing, user=request.user),
        "tally_lines": minutes.tally_lines,
        "can_edit": permissions.can_edit_agreements(request.user),
    }
    context["agenda"] = [
        {
            "section": section,
            "stance_line": minutes.stance_line(section),
            "tallies": minutes.tally_lines(section),
        }
        for section in context["minutes"].agenda
    ]
    context["chain_line"] = minutes.chain_line(context["minutes"])
    return render(request, "reports/minutes.html", context)


@login_required
@require_POST
def minutes_agreements(request, hearing_id: int):
    """Officials write the agreements (and the chair) before printing the minutes."""

    hearing = _hearing_for_minutes(request, hearing_id)
    if not permissions.can_edit_agreements(request.user):
        raise NotAllowed(_("Only officials may edit the agreements."))
    agreements = request.POST.get("agreements", "").replace("\r\n", "\n").strip()
    chair_name = request.POST.get("chair_name", hearing.chair_name).strip()
    if len(agreements) > AGREEMENTS_MAX or len(chair_name) > CHAIR_MAX:
        raise Invalid(_("The agreements or the chair's name are too long."))
    services.hearing_update(
        actor=request.user, hearing=hearing, agreements=agreements, chair_name=chair_name
    )
    messages.success(request, _("The agreements were saved."))
    return redirect("hearing-minutes", hearing_id=hearing.pk)


# --- Final report ----------------------------------------------------------------------------


def final_report(request, consultation_id: int):
    """Public once concluded: final tallies, "you said, we did" per section, what changed."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("agency"), pk=consultation_id
    )
    concluded = consultation.status == Consultation.Status.CONCLUDED
    if not concluded and not accounts_permissions.is_staff_role(request.user):
        raise Http404(_("The final report appears once the consultation is concluded."))
    comments = reports.published_comments(consultation)
    version = selectors.current_version(consultation)
    final_sections = list(selectors.sections_of(consultation, version).select_related("previous"))
    consulted = reports.consulted_sections(consultation, final_sections)
    tallies = reports.item_tallies(consultation, request.user)
    context = {
        "consultation": consultation,
        "concluded": concluded,
        "tally_rows": [
            {"tally": t, "cells": [t.counts.get(c, 0) for c in _choices(consultation)]}
            for t in tallies
        ],
        "choices": [(choice, _choice_label(choice)) for choice in _choices(consultation)],
        "stances": [(s, STANCE_LABELS[s]) for s in reports.STANCES],
        "matrix": reports.you_said_we_did(consultation, comments, consulted),
        "changes": reports.version_changes(final_sections, consulted),
        "comment_total": comments.count(),
        "participation": reports.participation(consultation),
        "outcome_labels": OUTCOME_LABELS,
        "chain": voting_payloads.chain(voting_payloads.head_of(consultation.pk)),
        "aspirations": report_aspirations.section(consultation),
        "themes": analysis_selectors.for_final_report(consultation),
    }
    return render(request, "reports/final_report.html", context)
