"""Pages: the privacy notice, accepting a changed one, and "Data saya" (name choice,
download, closing the account)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services as accounts_services
from backend.errors import DomainError, RateLimited
from comments.models import Comment
from privacy import api
from privacy.middleware import SESSION_KEY, notice_outdated
from privacy.services import account_erase


def _notice_template(version: str):
    """privacy/notice/<version>_<lang>.html; Indonesian is the text that binds."""
    language = (get_language() or "id")[:2]
    return select_template(
        [f"privacy/notice/{version}_{language}.html", f"privacy/notice/{version}_id.html"]
    )


def _notice_context(version: str) -> dict:
    return {
        "version": version,
        "notice_body": _notice_template(version).render(
            {"controller": settings.PRIVACY_CONTROLLER, "settings": settings}
        ),
        "controller": settings.PRIVACY_CONTROLLER,
    }


def notice(request):
    return render(request, "privacy/notice.html", _notice_context(settings.PRIVACY_NOTICE_VERSION))


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def accept(request):
    version = settings.PRIVACY_NOTICE_VERSION
    target = _safe_next(request)
    if request.method == "POST":
        if request.POST.get("version") != version:
            messages.error(
                request, _("The privacy notice changed meanwhile; please read it again.")
            )
        elif not request.POST.get("agree"):
            messages.error(request, _("Tick the box to agree, or sign out."))
        else:
            accounts_services.privacy_notice_accept(actor=request.user, version=version)
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("Thank you. Your agreement is recorded."))
            return redirect(target or "privacy-mine")
    context = _notice_context(version)
    context.update(next=target, outdated=notice_outdated(request.user))
    return render(request, "privacy/accept.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    """Data saya: the name choice, the download, closing the account."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "name":
        show = request.POST.get("show_name") == "1"
        accounts_services.public_name_set(actor=user, show=show)
        messages.success(
            request,
            _("Your name is now shown publicly.")
            if show
            else _("Your name is now hidden; you appear as %(pseudonym)s.")
            % {"pseudonym": accounts_services.privacy_choice_of(user).pseudonym},
        )
        return redirect("privacy-mine")
    return render(request, "privacy/mine.html", _mine_context(user))


def _mine_context(user, **extra) -> dict:
    comments = list(
        Comment.objects.filter(author=user, is_removed=False).select_related("consultation")
    )
    return {
        "state": api.privacy_state(user),
        "comment_total": len(comments),
        "open_comments": sum(1 for c in comments if c.consultation.is_open),
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        **extra,
    }


@login_required
def download(request):
    return api.data_file_response(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    if request.method == "GET":
        return redirect("privacy-mine")
    try:
        account_erase(
            actor=request.user,
            password=request.POST.get("password", ""),
            withdraw_open_comments=request.POST.get("withdraw") == "1",
        )
    except DomainError as exc:
        response = render(
            request,
            "privacy/mine.html",
            _mine_context(request.user, delete_error=exc.message),
            status=exc.status_code,
        )
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    logout(request)
    messages.success(request, _("Your account is closed and your personal data erased."))
    return redirect("home")
