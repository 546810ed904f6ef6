"""Pages: the public list, a proposal (supports, timeline, comments), submitting and editing,
"Usulan saya", the officials' triage queue, a stage's ranking, and a programme's proposals."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as accounts_permissions
from aspirations import decisions, exports, permissions, selectors, services, supports
from aspirations.filters import AspirationFilter
from aspirations.models import (
    Aspiration,
    Category,
    Criterion,
    Decision,
    Kecamatan,
    Kelurahan,
    Stage,
)
from backend.errors import DomainError, Invalid, NotAllowed
from comments import permissions as comment_permissions
from comments import selectors as comment_selectors
from comments.models import Comment
from consultations.models import Item

PAGE_SIZE = 20
FORM_FIELDS = ("title", "description", "category", "kelurahan", "rw", "estimated_cost")
FORM_FIELDS += ("beneficiaries",)


def _number(value) -> int | None:
    value = (value or "").strip()
    if value.isdigit() and value.isascii() and 0 < int(value) < 2**63:
        return int(value)
    return None


def _aspiration(pk) -> Aspiration:
    try:
        return selectors.aspiration_for_page(pk)
    except Aspiration.DoesNotExist as exc:
        raise Http404 from exc


def _choices() -> dict:
    """What the forms' selects offer: categories, and kelurahan grouped by kecamatan."""
    return {
        "categories": list(Category.objects.filter(is_active=True).order_by("position", "name")),
        "areas": list(selectors.areas()),
        "stages": Stage.choices,
        "statuses": Aspiration.Status.choices,
    }


# --- the public list --------------------------------------------------------------------------


def aspiration_list(request):
    """Filters in the query string; pages go back in time by id ("?sebelum=<id>"), so a deep
    page costs what the first does."""
    filterset = AspirationFilter(
        request.GET or None, queryset=selectors.aspiration_list(), request=request
    )
    queryset = filterset.qs if filterset.is_bound else selectors.aspiration_list()
    before = _number(request.GET.get("sebelum"))
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    rows = list(queryset[: PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("sebelum", None)
    context = {
        **_choices(),
        "rows": rows[:PAGE_SIZE],
        "next_before": rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None,
        "query": query.urlencode(),
        "filters": {key: request.GET.get(key, "") for key in filterset.filters},
        "status_filter": request.GET.getlist("status"),
        "filter_errors": filterset.is_bound and not filterset.is_valid(),
        "my_organization": accounts_permissions.verified_organization_of(request.user),
        "can_submit": permissions.can_submit(request.user),
        "is_stage_official": permissions.is_stage_official(request.user),
    }
    return render(request, "aspirations/aspiration_list.html", context)


# --- one proposal -----------------------------------------------------------------------------


def _annotate_comments(comments, user) -> None:
    """What the shared comment templates ask of each comment: its readable response and
    whether its author may still edit it."""
    window = datetime.timedelta(minutes=settings.RUANG["COMMENT_EDIT_WINDOW_MINUTES"])
    now = timezone.now()
    for comment in comments:
        comment.visible_response = comment_selectors.visible_response(comment, user)
        comment.editable = (
            comment_permissions.can_edit_comment(user, comment)
            and comment.status in (Comment.Status.PUBLISHED, Comment.Status.PENDING)
            and now <= comment.created_at + window
        )
        if comment.parent_id is None:
            _annotate_comments(comment.replies.all(), user)


def _comment_post(request, aspiration):
    """A comment or reply from the page's form: (error, typed text)."""
    typed = {
        "stance": request.POST.get("stance", ""),
        "body": request.POST.get("body", ""),
        "parent": request.POST.get("parent", ""),
    }
    parent = None
    try:
        if typed["parent"]:
            parent = Comment.objects.filter(
                pk=_number(typed["parent"]) or 0, aspiration=aspiration
            ).first()
            if parent is None:
                raise Invalid(_("The comment you reply to was not found."))
        comment = services.aspiration_comment(
            actor=request.user,
            aspiration=aspiration,
            stance=typed["stance"],
            body=typed["body"],
            parent=parent,
        )
    except DomainError as exc:
        return exc, typed, None
    return None, typed, comment


def aspiration_page(request, pk):
    """The proposal, its files, supports, scores, timeline and comments; the forms the reader
    may use (support, decide, score, comment)."""
    aspiration = _aspiration(pk)
    user = request.user
    error, typed = None, {"stance": "", "body": "", "parent": ""}
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        error, typed, comment = _comment_post(request, aspiration)
        if error is None:
            if comment.is_published:
                messages.success(request, _("Your comment is published."))
            else:
                messages.info(
                    request, _("Thank you. Your comment will appear after a moderator approves it.")
                )
            return redirect(f"{reverse('aspiration-page', args=[pk])}#komentar-{comment.pk}")
    thread = list(selectors.comment_thread(user, aspiration))
    _annotate_comments(thread, user)
    consultation = aspiration.consultation
    organization = accounts_permissions.verified_organization_of(user)
    own_support = None
    if accounts_permissions.is_authenticated(user):
        own_support = selectors.support_of(
            aspiration,
            organization=organization if organization else None,
            citizen=None if organization else user,
        )
    decision_denial = permissions.decision_denial(user, aspiration)
    can_decide = decision_denial is None and aspiration.is_open
    context = {
        "aspiration": aspiration,
        "consultation": consultation,
        "files": aspiration.current_files,
        "timeline": selectors.timeline(aspiration),
        "supporters": list(selectors.supporting_organizations(aspiration)),
        "own_support": own_support,
        "support_denial": permissions.support_denial(user, aspiration),
        "can_unsupport": own_support is not None and aspiration.is_open,
        "can_edit": permissions.can_edit(user, aspiration),
        "can_decide": can_decide,
        "scores": selectors.scores_by_stage(aspiration),
        "forums": selectors.forums_of(user, aspiration),
        "thread": thread,
        "counts": {"total": sum(1 + len(c.replies.all()) for c in thread)},
        "typed": typed,
        "error": error,
        "error_parent": _number(typed["parent"]) if error else None,
        "accepting": consultation.is_open,
        "can_comment": consultation.is_open and comment_permissions.can_comment(user, consultation),
        "stances": Comment.Stance.choices,
        "max_length": settings.RUANG["COMMENT_MAX_LENGTH"],
        "is_moderator": comment_permissions.can_moderate(user),
    }
    if can_decide:
        current = {s.criterion_id: s.value for s in context["scores"].get(aspiration.stage, [])}
        context.update(
            {
                "criteria": [(c, current.get(c.pk)) for c in selectors.active_criteria()],
                "outcomes": _outcomes_for(aspiration),
                "items": list(Item.objects.filter(consultation=consultation).order_by("position")),
                "rank": selectors.rank_of(aspiration),
            }
        )
    status = error.status_code if error else 200
    return render(request, "aspirations/aspiration_detail.html", context, status=status)


def _outcomes_for(aspiration: Aspiration) -> list:
    allowed = [Decision.Outcome.MERGED, Decision.Outcome.REJECTED, Decision.Outcome.DEFERRED]
    if aspiration.stage == Stage.KOTA:
        allowed.insert(0, Decision.Outcome.ACCEPTED)
    else:
        allowed.insert(0, Decision.Outcome.FORWARDED)
    return [(outcome.value, outcome.label) for outcome in allowed]


def _back(pk, anchor=""):
    return redirect(reverse("aspiration-page", args=[pk]) + anchor)


@require_POST
def aspiration_support(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("aspiration-page", args=[pk]))
    aspiration = selectors.aspiration_or_404(pk)
    try:
        if request.POST.get("action") == "withdraw":
            supports.aspiration_unsupport(actor=request.user, aspiration=aspiration)
            messages.success(request, _("Your support was withdrawn."))
        else:
            supports.aspiration_support(actor=request.user, aspiration=aspiration)
            messages.success(request, _("Thank you for your support."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk, "#dukungan")


@require_POST
def aspiration_decide(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("aspiration-page", args=[pk]))
    aspiration = selectors.aspiration_or_404(pk)
    post = request.POST
    try:
        merged_into = None
        if post.get("outcome") == Decision.Outcome.MERGED:
            target = _number(post.get("merged_into"))
            merged_into = Aspiration.objects.filter(pk=target).first() if target else None
            if merged_into is None:
                raise Invalid(_("No proposal has that number."), field="merged_into")
        item = None
        if post.get("outcome") == Decision.Outcome.ACCEPTED and _number(post.get("item")):
            item = Item.objects.filter(pk=_number(post.get("item"))).first()
        decision = decisions.aspiration_decide(
            actor=request.user,
            aspiration=aspiration,
            outcome=post.get("outcome", ""),
            reason=post.get("reason", ""),
            merged_into=merged_into,
            item=item,
            pagu=(post.get("pagu") or "").strip() or None
            if post.get("outcome") == Decision.Outcome.ACCEPTED
            else None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(pk, "#putuskan")
    messages.success(
        request,
        _("Decision recorded: %(outcome)s.") % {"outcome": decision.get_outcome_display()},
    )
    return _back(pk, "#linimasa")


@require_POST
def aspiration_score(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("aspiration-page", args=[pk]))
    aspiration = selectors.aspiration_or_404(pk)
    entries = []
    try:
        for criterion in Criterion.objects.filter(is_active=True):
            raw = (request.POST.get(f"score-{criterion.pk}") or "").strip()
            if not raw:
                continue
            if not raw.isdigit():
                raise Invalid(_("A score is a whole number from 1 to 5."), field="scores")
            entries.append((criterion, int(raw)))
        decisions.aspiration_score(actor=request.user, aspiration=aspiration, scores=entries)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The scores were saved."))
    return _back(pk, "#putuskan")


# --- submitting and editing -------------------------------------------------------------------


def _form_values(post, files) -> dict:
    values = {name: post.get(name, "") for name in FORM_FIELDS}
    values["category"] = Category.objects.filter(pk=_number(values["category"]) or 0).first()
    values["kelurahan"] = (
        Kelurahan.objects.select_related("kecamatan")
        .filter(pk=_number(values["kelurahan"]) or 0)
        .first()
    )
    values["attachments"] = [f for f in files.getlist("attachments") if f.size or f.name]
    return values


def _typed(post) -> dict:
    return {name: post.get(name, "") for name in FORM_FIELDS}


def aspiration_new(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    denial = permissions.submit_denial(request.user)
    if denial is not None:
        raise denial
    consultation = selectors.default_consultation()
    error, typed = None, {}
    if request.method == "POST":
        typed = _typed(request.POST)
        values = _form_values(request.POST, request.FILES)
        try:
            if values["category"] is None:
                raise Invalid(_("Choose a category from the list."), field="category")
            if values["kelurahan"] is None:
                raise Invalid(_("Choose a kelurahan of the city."), field="kelurahan")
            aspiration = services.aspiration_submit(actor=request.user, **values)
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Your proposal #%(id)s was submitted to the kelurahan stage.")
                % {"id": aspiration.pk},
            )
            return redirect("aspiration-page", pk=aspiration.pk)
    context = {
        **_choices(),
        "consultation": consultation,
        "typed": typed,
        "error": error,
        "organization": permissions.acting_organization(request.user),
        "editing": None,
    }
    status = error.status_code if error else 200
    return render(request, "aspirations/aspiration_form.html", context, status=status)


def aspiration_edit(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    aspiration = _aspiration(pk)
    denial = permissions.edit_denial(request.user, aspiration)
    if denial is not None:
        raise denial
    error = None
    typed = {
        "title": aspiration.title,
        "description": aspiration.description,
        "category": str(aspiration.category_id),
        "kelurahan": str(aspiration.kelurahan_id),
        "rw": aspiration.rw,
        "estimated_cost": f"{aspiration.estimated_cost:.0f}",
        "beneficiaries": str(aspiration.beneficiaries),
    }
    if request.method == "POST":
        typed = _typed(request.POST)
        values = _form_values(request.POST, request.FILES)
        try:
            if values["category"] is None:
                raise Invalid(_("Choose a category from the list."), field="category")
            if values["kelurahan"] is None:
                raise Invalid(_("Choose a kelurahan of the city."), field="kelurahan")
            services.aspiration_edit(
                actor=request.user,
                aspiration=aspiration,
                add_attachments=values.pop("attachments"),
                remove_attachments=request.POST.getlist("remove_attachments"),
                **values,
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Your proposal was updated; the earlier version is kept."))
            return redirect("aspiration-page", pk=aspiration.pk)
    context = {
        **_choices(),
        "consultation": aspiration.consultation,
        "typed": typed,
        "error": error,
        "organization": aspiration.organization,
        "editing": aspiration,
        "files": aspiration.current_files,
    }
    status = error.status_code if error else 200
    return render(request, "aspirations/aspiration_form.html", context, status=status)


def aspiration_versions(request, pk):
    """Every version of the proposal, each with the files it had."""
    aspiration = _aspiration(pk)
    versions = [
        (version, list(selectors.attachments_of_version(aspiration, version.number)))
        for version in aspiration.versions.all()
    ]
    return render(
        request,
        "aspirations/aspiration_versions.html",
        {"aspiration": aspiration, "versions": versions},
    )


# --- the proposer's, the officials' and the programme's views --------------------------------


def my_aspirations(request):
    """ "Usulan saya": each proposal with where it stands and every decision so far."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rows = list(selectors.aspirations_of(request.user)[:200])
    return render(
        request,
        "aspirations/my_aspirations.html",
        {"rows": rows, "can_submit": permissions.can_submit(request.user)},
    )


def _area_from(request):
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else Stage.KELURAHAN
    kecamatan = Kecamatan.objects.filter(pk=_number(request.GET.get("kecamatan")) or 0).first()
    kelurahan = (
        Kelurahan.objects.select_related("kecamatan")
        .filter(pk=_number(request.GET.get("kelurahan")) or 0)
        .first()
    )
    return stage, kecamatan, kelurahan


def triage(request):
    """The open proposals at the official's stage and area, best ranked first."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = permissions.scope_of(user)
    stage, kecamatan, kelurahan = _area_from(request)
    queue = selectors.triage_queue(user, stage=stage, kecamatan=kecamatan, kelurahan=kelurahan)
    if queue is None:
        raise NotAllowed(_("Only the officials of a Musrenbang stage have a triage queue."))
    if scope is not None:
        stage, kecamatan, kelurahan = scope.stage, scope.kecamatan, scope.kelurahan
    rows = list(queue[:300])
    area = (
        kelurahan if stage == Stage.KELURAHAN else kecamatan if stage == Stage.KECAMATAN else None
    )
    context = {
        **_choices(),
        "scope": scope,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "area": area,
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "rows": rows,
        "criteria": selectors.active_criteria(),
        "rekap_query": _rekap_query(stage, kecamatan, kelurahan),
    }
    return render(request, "aspirations/triage.html", context)


def _rekap_query(stage, kecamatan, kelurahan) -> str:
    query = f"stage={stage}"
    if stage == Stage.KELURAHAN and kelurahan is not None:
        query += f"&kelurahan={kelurahan.pk}"
    elif stage == Stage.KECAMATAN and kecamatan is not None:
        query += f"&kecamatan={kecamatan.pk}"
    return query


def ranking(request):
    """A stage's published ranking for one area, with the forum's scores."""
    stage, kecamatan, kelurahan = _area_from(request)
    needs_area = (stage == Stage.KELURAHAN and kelurahan is None) or (
        stage == Stage.KECAMATAN and kecamatan is None
    )
    rows = []
    if not needs_area:
        rekap = exports.Rekap(stage, kecamatan, kelurahan)
        rows = list(rekap.rows()[:500])
    context = {
        **_choices(),
        "stage": stage,
        "stage_label": Stage(stage).label,
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "needs_area": needs_area,
        "rows": rows,
        "criteria": selectors.active_criteria(),
        "rekap_query": _rekap_query(stage, kecamatan, kelurahan),
    }
    return render(request, "aspirations/ranking.html", context)


def programme(request, item_id):
    """An RPJMD programme and the proposals it carries ("aspirasi yang ditampung")."""
    item = get_object_or_404(Item.objects.select_related("consultation"), pk=item_id)
    if item.consultation.status == item.consultation.Status.DRAFT and not (
        accounts_permissions.is_staff_role(request.user)
    ):
        raise Http404
    rows = list(selectors.carried_by(item))
    total_pagu = sum((row.pagu or 0) for row in rows)
    return render(
        request,
        "aspirations/programme.html",
        {"item": item, "rows": rows, "total_pagu": total_pagu},
    )
