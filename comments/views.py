"""Pages: comment threads, editing, reporting, the moderation queue, the response matrix."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.errors import DomainError, Invalid, NotAllowed, RateLimited
from comments import moderation, permissions, responses, selectors, services
from comments.models import Comment, Response
from consultations import selectors as consultations_selectors
from consultations.models import Section


def _thread_url(comment_or_consultation, section=None) -> str:
    """The thread page a comment lives on (its section's, or the consultation's general one)."""
    if isinstance(comment_or_consultation, Comment):
        consultation_id = comment_or_consultation.consultation_id
        section_id = comment_or_consultation.section_id
    else:
        consultation_id = comment_or_consultation.pk
        section_id = section.pk if section is not None else None
    if section_id:
        return reverse("section-comments", args=[consultation_id, section_id])
    return reverse("consultation-comments", args=[consultation_id])


def _safe_next(request, fallback: str) -> str:

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _edit_deadline(comment) -> datetime.datetime:
    minutes = settings.RUANG["COMMENT_EDIT_WINDOW_MINUTES"]
    return comment.created_at + datetime.timedelta(minutes=minutes)


def _annotate_for_page(comments, user, *, with_replies=False) -> None:
    """What a template cannot ask by itself: the response the user may read, editability."""
    now = timezone.now()
    for comment in comments:
        comment.visible_response = selectors.visible_response(comment, user)
        comment.editable = (
            permissions.can_edit_comment(user, comment)
            and comment.status in (Comment.Status.PUBLISHED, Comment.Status.PENDING)
            and now <= _edit_deadline(comment)
        )
        if with_replies:
            _annotate_for_page(comment.replies.all(), user)


def _error_response(response, error):
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def comment_thread(request, pk, section_id=None):
    """A section's (or the whole consultation's) comments with replies, stance filter and form.

    A refused comment re-renders the page with the message and the typed text kept.
    """
    consultation = get_object_or_404(
        consultations_selectors.consultations_visible_to(request.user), pk=pk
    )
    section = None
    if section_id is not None:
        section = get_object_or_404(
            Section.objects.select_related("version"), pk=section_id, consultation=consultation
        )
    current = consultations_selectors.current_version(consultation)
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
                    raise Invalid(_("The comment you reply to was not found."))
            comment = services.comment_create(
                actor=request.user,
                consultation=consultation,
                section=section if parent is None else None,
                parent=parent,
                stance=typed["stance"],
                body=typed["body"],
            )
        except DomainError as exc:
            error = exc
        else:
            if comment.is_published:
                messages.success(request, _("Your comment is published."))
            else:
                messages.info(
                    request,
                    _("Thank you. Your comment will appear after a moderator approves it."),
                )
            return redirect(f"{_thread_url(comment)}#komentar-{comment.pk}")
    stance = request.GET.get("stance", "")
    if stance not in Comment.Stance.values:
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
        "stances": Comment.Stance.choices,
        "typed": typed,
        "error": error,
        "accepting": accepting,
        "can_comment": accepting and permissions.can_comment(request.user, consultation),
        "max_length": settings.RUANG["COMMENT_MAX_LENGTH"],
        "error_parent": int(typed["parent"]) if error and typed["parent"].isdigit() else None,
        "is_moderator": permissions.can_moderate(request.user),
        "can_see_matrix": permissions.can_see_response_matrix(request.user, consultation),
    }
    template = "comments/comment_thread.html"
    if request.GET.get("fragment") == "1":
        template = "comments/_comment_thread.html"
    response = render(request, template, context, status=error.status_code if error else 200)
    return _error_response(response, error)


@require_POST
def comment_report(request, comment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or "/")
    comment = get_object_or_404(selectors.comments_visible_to(request.user), pk=comment_id)
    try:
        moderation.comment_report(
            actor=request.user, comment=comment, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you. A moderator will review this comment."))
    return redirect(_safe_next(request, _thread_url(comment)))


@require_POST
def comment_delete(request, comment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or "/")
    comment = get_object_or_404(selectors.comments_visible_to(request.user), pk=comment_id)
    target = _safe_next(request, _thread_url(comment))
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your comment was deleted."))
    return redirect(target)


def comment_edit(request, comment_id):
    """The author corrects a comment within the edit window; the old text is kept in history."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = get_object_or_404(
        Comment.objects.select_related("consultation", "section"),
        pk=comment_id,
        author=request.user,
        is_removed=False,
    )
    typed = {"stance": comment.stance, "body": comment.body}
    error = None
    if request.method == "POST":
        typed = {"stance": request.POST.get("stance", ""), "body": request.POST.get("body", "")}
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=typed["body"], stance=typed["stance"]
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Your comment was updated."))
            return redirect(f"{_thread_url(comment)}#komentar-{comment.pk}")
    context = {
        "comment": comment,
        "typed": typed,
        "error": error,
        "stances": Comment.Stance.choices,
        "max_length": settings.RUANG["COMMENT_MAX_LENGTH"],
        "deadline": _edit_deadline(comment),
        "can_edit": timezone.now() <= _edit_deadline(comment),
    }
    return render(
        request,
        "comments/comment_edit.html",
        context,
        status=error.status_code if error else 200,
    )


def my_comments(request):
    """Every comment of the signed-in user with its status, the moderator's reason and answer."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comments = list(selectors.comments_of_author(request.user)[:500])
    _annotate_for_page(comments, request.user)
    return render(request, "comments/my_comments.html", {"comments": comments})


def moderation_queue(request):
    """Pending and reported comments, oldest first; approve or hide with a reason in one click."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_see_moderation_log(user):
        raise NotAllowed(_("Only moderators see the moderation queue."))
    consultations = consultations_selectors.consultations_visible_to(user).exclude(status="draft")
    selected = None
    consultation_id = request.GET.get("consultation", "")
    if consultation_id.isdigit():
        selected = consultations.filter(pk=int(consultation_id)).first()
    queue = list(selectors.moderation_queue(selected)[:200])
    log = list(selectors.moderation_log(consultation=selected)[:50])
    return render(
        request,
        "comments/moderation_queue.html",
        {
            "queue": queue,
            "log": log,
            "consultations": consultations,
            "selected": selected,
            "can_moderate": permissions.can_moderate(user),
        },
    )


@require_POST
def comment_moderate(request, comment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("moderation-queue"))
    comment = get_object_or_404(Comment, pk=comment_id)
    service = {
        "approve": moderation.comment_approve,
        "hide": moderation.comment_hide,
        "restore": moderation.comment_restore,
        "reject": moderation.comment_reject,
    }.get(request.POST.get("action", ""))
    if service is None:
        raise Invalid(_("Unknown moderation action."))
    try:
        service(actor=request.user, comment=comment, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        messages.error(request, f"#{comment.pk}: {exc.message}")
    else:
        done = {
            "approve": _("Comment #%(id)s approved."),
            "hide": _("Comment #%(id)s hidden."),
            "restore": _("Comment #%(id)s restored."),
            "reject": _("Comment #%(id)s rejected."),
        }[request.POST["action"]]
        messages.success(request, done % {"id": comment.pk})
    return redirect(_safe_next(request, reverse("moderation-queue")))


def response_matrix(request, pk):
    """ "You said, we did": per section each comment with its response; public once concluded."""
    consultation = get_object_or_404(
        consultations_selectors.consultations_visible_to(request.user), pk=pk
    )
    if not permissions.can_see_response_matrix(request.user, consultation):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    can_respond = permissions.can_respond(request.user)
    outcome_counts = selectors.response_outcome_counts(request.user, consultation)
    drafts = 0
    if can_respond:
        drafts = Response.objects.filter(
            consultation=consultation, published_at__isnull=True
        ).count()
    return render(
        request,
        "comments/response_matrix.html",
        {
            "consultation": consultation,
            "rows": selectors.response_matrix(
                request.user, consultation, include_empty=can_respond
            ),
            "outcome_summary": [
                (value, label, outcome_counts.get(value, 0))
                for value, label in Response.Outcome.choices
            ],
            "outcomes": Response.Outcome.choices,
            "can_respond": can_respond,
            "drafts": drafts,
        },
    )


@require_POST
def comment_respond(request, pk):
    """Save the response to a comment (comment=<id>) or to a section (section=<id>)."""
    consultation = get_object_or_404(
        consultations_selectors.consultations_visible_to(request.user), pk=pk
    )
    if not permissions.can_respond(request.user):
        raise NotAllowed(_("Only officials and planners may respond."))
    outcome = request.POST.get("outcome", "")
    body = request.POST.get("body", "")
    comment_id = request.POST.get("comment", "")
    section_id = request.POST.get("section", "")
    anchor = ""
    try:
        if comment_id.isdigit():
            comment = get_object_or_404(Comment, pk=int(comment_id), consultation=consultation)
            anchor = f"#komentar-{comment.pk}"
            responses.comment_respond(
                actor=request.user, comment=comment, outcome=outcome, body=body
            )
        elif section_id.isdigit():
            section = get_object_or_404(Section, pk=int(section_id), consultation=consultation)
            anchor = f"#bagian-{section.pk}"
            responses.response_create(
                actor=request.user, section=section, outcome=outcome, body=body
            )
        else:
            raise Invalid(_("Respond either to a comment or to a section."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Response saved as a draft."))
    return redirect(reverse("response-matrix", args=[consultation.pk]) + anchor)


@require_POST
def responses_publish(request, pk):
    consultation = get_object_or_404(
        consultations_selectors.consultations_visible_to(request.user), pk=pk
    )
    count = responses.responses_publish(actor=request.user, consultation=consultation)
    messages.success(request, _("%(count)d responses published.") % {"count": count})
    return redirect(reverse("response-matrix", args=[consultation.pk]))
