"""A changed privacy notice is agreed to again at the next sign-in (UU No. 27/2022).

Signing in marks the session when the person's accepted version is not the one in force
(`ask_for_changed_notice`, connected to `user_logged_in`); while marked, every page leads
to the accept page. API calls are never redirected: a signed-in API caller whose accepted
version is outdated gets the `Privacy-Notice-Required: <version>` header on every answer,
and agrees with `POST /api/v1/me/privacy/` (docs/PRIVACY.md).
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "privacy_notice_due"
HEADER = "Privacy-Notice-Required"
# Pages a person with an outdated notice may still open: the notice, the accept page,
# signing out, static files, the language switch, and the API (which gets the header).
OPEN_PREFIXES = ("/privasi", "/accounts/logout", "/static/", "/i18n/", "/api/", "/media/")


def notice_outdated(user) -> bool:
    try:
        accepted = user.privacy.notice_version
    except ObjectDoesNotExist:
        accepted = ""
    return accepted != settings.PRIVACY_NOTICE_VERSION


def ask_for_changed_notice(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if notice_outdated(user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


class PrivacyNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SESSION_KEY)
            and not request.path.startswith(OPEN_PREFIXES)
            and request.user.is_authenticated
        ):
            target = reverse("privacy-accept")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        response = self.get_response(request)
        if request.path.startswith("/api/") and self._api_caller_outdated(request, session):
            response[HEADER] = settings.PRIVACY_NOTICE_VERSION
        return response

    @staticmethod
    def _api_caller_outdated(request, session) -> bool:
        """A session caller: the mark set at sign-in (no query). A token caller: DRF put the
        token's user on the request, read with its privacy row in the token's own query
        (accounts.authentication), so this costs nothing either."""
        if session is not None and session.get(SESSION_KEY):
            return True
        user = getattr(request, "user", None)
        if getattr(request, "auth", None) is None or user is None:
            return False
        return bool(user.is_authenticated) and notice_outdated(user)
