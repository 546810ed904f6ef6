"""Sign-in with brute-force throttling.

Failed attempts are counted in the cache (Redis in production, so every worker process
sees the same counters) per username + client address and per client address alone.
After LOGIN_FAILURE_LIMIT failures for one username from one address, or
LOGIN_ADDRESS_FAILURE_LIMIT from one address over any usernames, sign-in answers 429
with Retry-After until the window passes. A successful sign-in clears the username's
counter. The password is not even checked while locked, so guessing gains nothing.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.utils.translation import gettext as _

from backend.errors import RateLimited
from backend.ratelimit import count_in_window


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _address(request) -> str:
    # Behind nginx REMOTE_ADDR is the proxy unless it is set from X-Real-IP (docs/DEPLOY.md).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def _keys(request) -> tuple[str, str]:
    username = (request.POST.get("username") or "").strip().lower()[:150]
    address = _address(request)
    return _key("user", username, address), _key("address", address)


class ThrottledLoginView(LoginView):
    def post(self, request, *args, **kwargs):
        user_key, address_key = _keys(request)
        window = _limit("LOGIN_FAILURE_WINDOW_SECONDS", 900)
        if (cache.get(user_key) or 0) >= _limit("LOGIN_FAILURE_LIMIT", 5) or (
            cache.get(address_key) or 0
        ) >= _limit("LOGIN_ADDRESS_FAILURE_LIMIT", 50):
            raise RateLimited(
                _("Too many failed sign-in attempts. Wait 15 minutes and try again."),
                retry_after=window,
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        user_key, address_key = _keys(self.request)
        window = _limit("LOGIN_FAILURE_WINDOW_SECONDS", 900)
        count_in_window(user_key, window)
        count_in_window(address_key, window)
        return super().form_invalid(form)

    def form_valid(self, form):
        user_key, _address_key = _keys(self.request)
        cache.delete(user_key)
        return super().form_valid(form)
