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


# --- Comments, moderation, responses (issue 3: branch comments) ---

import datetime as _dt  # noqa: E402

from django.conf import settings as _settings  # noqa: E402
from django.contrib import messages as _messages  # noqa: E402
from django.contrib.auth.views import redirect_to_login  # noqa: E402
from django.http import Http404 as _Http404  # noqa: E402
from django.shortcuts import get_object_or_404 as _get_object_or_404  # noqa: E402
from django.shortcuts import redirect as _redirect  # noqa: E402
from django.urls import reverse as _reverse  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext as _t  # noqa: E402
from django.views.decorators.http import require_POST as _require_POST  # noqa: E402

from backend.errors import DomainError as _DomainError  # noqa: E402
from backend.errors import Invalid as _Invalid  # noqa: E402
from backend.errors import NotAllowed as _NotAllowed  # noqa: E402
from backend.errors import RateLimited as _RateLimited  # noqa: E402
from consultations import permissions as _permissions  # noqa: E402
from consultations import services as _services  # noqa: E402
from consultations.models import Comment as _Comment  # noqa: E402
from consultations.models import Response as _Response  # noqa: E402
from consultations.models import Section as _Section  # noqa: E402


def _thread_url(comment_or_consultation, section=None) -> str:
    """The thread page a comment lives on (its section's, or the consultation's general one)."""
    if isinstance(comment_or_consultation, _Comment):
        consultation_id = comment_or_consultation.consultation_id
        section_id = comment_or_consultation.section_id
    else:
        consultation_id = comment_or_consultation.pk
        section_id = section.pk if section is not None else None
    if section_id:
        return _reverse("section-comments", args=[consultation_id, section_id])
    return _reverse("consultation-comments", args=[consultation_id])


def _safe_next(request, fallback: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _edit_deadline(comment) -> _dt.datetime:
    minutes = _settings.RUANG["COMMENT_EDIT_WINDOW_MINUTES"]
    return comment.created_at + _dt.timedelta(minutes=minutes)


def _annotate_for_page(comments, user, *, with_replies=False) -> None:
    """What a template cannot ask by itself: the response the user may read, editability."""
    now = _timezone.now()
    for comment in comments:
        comment.visible_response = selectors.visible_response(comment, user)
        comment.editable = (
            _permissions.can_edit_comment(user, comment)
            and comment.status in (_Comment.Status.PUBLISHED, _Comment.Status.PENDING)
            and now <= _edit_deadline(comment)
        )
        if with_replies:
            _annotate_for_page(comment.replies.all(), user)


def _error_response(response, error):
    if isinstance(error, _RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def comment_thread(request, pk, section_id=None):
    """A section's (or the whole consultation's) comments with replies, stance filter and form.

    A refused comment re-renders the page with the message and the typed text kept.
    """
    consultation = _get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)
    section = None
    if section_id is not None:
        section = _get_object_or_404(
            _Section.objects.select_related("version"), pk=section_id, consultation=consultation
        )
    current = selectors.current_version(consultation)
    section_is_current = section is None or (
        current is not None and section.version_id == current.pk
    )
    typed = {"stance": "", "body": "", "parent": ""}
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        typed = {
            "stance": request.POST.get("stance", ""),
            "body": request.POST.get("body", ""),
            "parent": request.POST.get("parent", ""),
        }
        try:
            parent = None
            if typed["parent"]:
                parent = (
                    selectors.comments_visible_to(request.user)
                    .filter(
                        pk=int(typed["parent"]) if typed["parent"].isdigit() else 0,
                        consultation=consultation,
                    )
                    .first()
                )
                if parent is None:
                    raise _Invalid(_t("The comment you reply to was not found."))
            comment = _services.comment_create(
                actor=request.user,
                consultation=consultation,
                section=section if parent is None else None,
                parent=parent,
                stance=typed["stance"],
                body=typed["body"],
            )
        except _DomainError as exc:
            error = exc
        else:
            if comment.is_published:
                _messages.success(request, _t("Your comment is published."))
            else:
                _messages.info(
                    request,
                    _t("Thank you. Your comment will appear after a moderator approves it."),
                )
            return _redirect(f"{_thread_url(comment)}#komentar-{comment.pk}")
    stance = request.GET.get("stance", "")
    if stance not in _Comment.Stance.values:
        stance = ""
    thread = list(selectors.comment_thread(request.user, consultation, section, stance))
    _annotate_for_page(thread, request.user, with_replies=True)
    counts = selectors.comment_counts_by_stance(request.user, consultation).get(
        section.pk if section else None, selectors.empty_stance_counts()
    )
    accepting = consultation.is_open and section_is_current
    context = {
        "consultation": consultation,
        "section": section,
        "thread": thread,
        "counts": counts,
        "stance_filter": stance,
        "stances": _Comment.Stance.choices,
        "typed": typed,
        "error": error,
        "accepting": accepting,
        "can_comment": accepting and _permissions.can_comment(request.user, consultation),
        "max_length": _settings.RUANG["COMMENT_MAX_LENGTH"],
        "error_parent": int(typed["parent"]) if error and typed["parent"].isdigit() else None,
        "is_moderator": _permissions.can_moderate(request.user),
        "can_see_matrix": _permissions.can_see_response_matrix(request.user, consultation),
    }
    template = "consultations/comment_thread.html"
    if request.GET.get("fragment") == "1":
        template = "consultations/_comment_thread.html"
    response = render(request, template, context, status=error.status_code if error else 200)
    return _error_response(response, error)


@_require_POST
def comment_report(request, comment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or "/")
    comment = _get_object_or_404(selectors.comments_visible_to(request.user), pk=comment_id)
    try:
        _services.comment_report(
            actor=request.user, comment=comment, reason=request.POST.get("reason", "")
        )
    except _DomainError as exc:
        _messages.error(request, exc.message)
    else:
        _messages.success(request, _t("Thank you. A moderator will review this comment."))
    return _redirect(_safe_next(request, _thread_url(comment)))


@_require_POST
def comment_delete(request, comment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or "/")
    comment = _get_object_or_404(selectors.comments_visible_to(request.user), pk=comment_id)
    target = _safe_next(request, _thread_url(comment))
    try:
        _services.comment_delete(actor=request.user, comment=comment)
    except _DomainError as exc:
        _messages.error(request, exc.message)
    else:
        _messages.success(request, _t("Your comment was deleted."))
    return _redirect(target)


def comment_edit(request, comment_id):
    """The author corrects a comment within the edit window; the old text is kept in history."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = _get_object_or_404(
        _Comment.objects.select_related("consultation", "section"),
        pk=comment_id,
        author=request.user,
        is_removed=False,
    )
    typed = {"stance": comment.stance, "body": comment.body}
    error = None
    if request.method == "POST":
        typed = {"stance": request.POST.get("stance", ""), "body": request.POST.get("body", "")}
        try:
            _services.comment_edit(
                actor=request.user, comment=comment, body=typed["body"], stance=typed["stance"]
            )
        except _DomainError as exc:
            error = exc
        else:
            _messages.success(request, _t("Your comment was updated."))
            return _redirect(f"{_thread_url(comment)}#komentar-{comment.pk}")
    context = {
        "comment": comment,
        "typed": typed,
        "error": error,
        "stances": _Comment.Stance.choices,
        "max_length": _settings.RUANG["COMMENT_MAX_LENGTH"],
        "deadline": _edit_deadline(comment),
        "can_edit": _timezone.now() <= _edit_deadline(comment),
    }
    return render(
        request,
        "consultations/comment_edit.html",
        context,
        status=error.status_code if error else 200,
    )


def my_comments(request):
    """Every comment of the signed-in user with its status, the moderator's reason and answer."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comments = list(selectors.comments_of_author(request.user)[:500])
    _annotate_for_page(comments, request.user)
    return render(request, "consultations/my_comments.html", {"comments": comments})


def moderation_queue(request):
    """Pending and reported comments, oldest first; approve or hide with a reason in one click."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _permissions.can_see_moderation_log(user):
        raise _NotAllowed(_t("Only moderators see the moderation queue."))
    consultations = selectors.consultations_visible_to(user).exclude(status="draft")
    selected = None
    consultation_id = request.GET.get("consultation", "")
    if consultation_id.isdigit():
        selected = consultations.filter(pk=int(consultation_id)).first()
    queue = list(selectors.moderation_queue(selected)[:200])
    log = list(selectors.moderation_log(consultation=selected)[:50])
    return render(
        request,
        "consultations/moderation_queue.html",
        {
            "queue": queue,
            "log": log,
            "consultations": consultations,
            "selected": selected,
            "can_moderate": _permissions.can_moderate(user),
        },
    )


@_require_POST
def comment_moderate(request, comment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(_reverse("moderation-queue"))
    comment = _get_object_or_404(_Comment, pk=comment_id)
    service = {
        "approve": _services.comment_approve,
        "hide": _services.comment_hide,
        "restore": _services.comment_restore,
        "reject": _services.comment_reject,
    }.get(request.POST.get("action", ""))
    if service is None:
        raise _Invalid(_t("Unknown moderation action."))
    try:
        service(actor=request.user, comment=comment, reason=request.POST.get("reason", ""))
    except _DomainError as exc:
        if exc.status_code == 403:
            raise
        _messages.error(request, f"#{comment.pk}: {exc.message}")
    else:
        done = {
            "approve": _t("Comment #%(id)s approved."),
            "hide": _t("Comment #%(id)s hidden."),
            "restore": _t("Comment #%(id)s restored."),
            "reject": _t("Comment #%(id)s rejected."),
        }[request.POST["action"]]
        _messages.success(request, done % {"id": comment.pk})
    return _redirect(_safe_next(request, _reverse("moderation-queue")))


def response_matrix(request, pk):
    """ "You said, we did": per section each comment with its response; public once concluded."""
    consultation = _get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)
    if not _permissions.can_see_response_matrix(request.user, consultation):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise _Http404
    can_respond = _permissions.can_respond(request.user)
    outcome_counts = selectors.response_outcome_counts(request.user, consultation)
    drafts = 0
    if can_respond:
        drafts = _Response.objects.filter(
            consultation=consultation, published_at__isnull=True
        ).count()
    return render(
        request,
        "consultations/response_matrix.html",
        {
            "consultation": consultation,
            "rows": selectors.response_matrix(
                request.user, consultation, include_empty=can_respond
            ),
            "outcome_summary": [
                (value, label, outcome_counts.get(value, 0))
                for value, label in _Response.Outcome.choices
            ],
            "outcomes": _Response.Outcome.choices,
            "can_respond": can_respond,
            "drafts": drafts,
        },
    )


@_require_POST
def comment_respond(request, pk):
    """Save the response to a comment (comment=<id>) or to a section (section=<id>)."""
    consultation = _get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)
    if not _permissions.can_respond(request.user):
        raise _NotAllowed(_t("Only officials and planners may respond."))
    outcome = request.POST.get("outcome", "")
    body = request.POST.get("body", "")
    comment_id = request.POST.get("comment", "")
    section_id = request.POST.get("section", "")
    anchor = ""
    try:
        if comment_id.isdigit():
            comment = _get_object_or_404(_Comment, pk=int(comment_id), consultation=consultation)
            anchor = f"#komentar-{comment.pk}"
            existing = _Response.objects.filter(comment=comment).first()
            if existing:
                _services.response_update(
                    actor=request.user, response=existing, outcome=outcome, body=body
                )
            else:
                _services.response_create(
                    actor=request.user, comment=comment, outcome=outcome, body=body
                )
        elif section_id.isdigit():
            section = _get_object_or_404(_Section, pk=int(section_id), consultation=consultation)
            anchor = f"#bagian-{section.pk}"
            _services.response_create(
                actor=request.user, section=section, outcome=outcome, body=body
            )
        else:
            raise _Invalid(_t("Respond either to a comment or to a section."))
    except _DomainError as exc:
        _messages.error(request, exc.message)
    else:
        _messages.success(request, _t("Response saved as a draft."))
    return _redirect(_reverse("response-matrix", args=[consultation.pk]) + anchor)


@_require_POST
def responses_publish(request, pk):
    consultation = _get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)
    count = _services.responses_publish(actor=request.user, consultation=consultation)
    _messages.success(request, _t("%(count)d responses published.") % {"count": count})
    return _redirect(_reverse("response-matrix", args=[consultation.pk]))
