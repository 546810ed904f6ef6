from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from backend.errors import DomainError, RateLimited


class DomainErrorMiddleware:
    """Show a domain error raised by an HTML view as a friendly page with the right status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        response = render(
            request,
            "error.html",
            {"message": exception.message, "status": exception.status_code},
            status=exception.status_code,
        )
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response


class PageLanguageMiddleware(LocaleMiddleware):
    """Pages speak Indonesian unless the visitor picked English with the switch.

    The browser's Accept-Language is ignored for HTML (an English browser in
    Pasuruan still gets the Indonesian site); the API keeps honouring it.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not code or not translation.check_for_language(code):
            code = settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's enforcing policy, plus this page's own WebSocket origin in connect-src.

    CSP Level 3 lets 'self' cover ws(s):// of the same host, but older browsers (Safari
    before 15.4) do not, and the host and port are only known per request (the demo on
    127.0.0.1:8000, production behind nginx on 443).
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        try:
            host = request.get_host()
        except DisallowedHost:  # the 400 page still gets the plain policy
            return parts
        socket_origin = f"{'wss' if request.is_secure() else 'ws'}://{host}"
        update = dict(parts.update or {})
        existing = update.get("connect-src") or []
        existing = [existing] if isinstance(existing, str) else list(existing)
        update["connect-src"] = [*existing, socket_origin]
        parts.update = update
        return parts
