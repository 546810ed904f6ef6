"""The one rate-limit counter (sign-ups, comments) and the one answer to "which client is
this?" (rate limits, the sign-in lockout, the API's throttles).

The counter is a fixed window in the cache, shared by every worker through Redis in
production, per process in the demo.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

UNKNOWN_ADDRESS = "unknown"


def count_in_window(key: str, window: int) -> int:
    """Count one more hit on `key` in a window of `window` seconds; returns the count so far.

    cache.add + cache.incr is atomic on locmem and Redis, so concurrent workers never lose
    a hit."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def client_address(request) -> str:
    """The client's IP address, as far as this server can trust it.

    With no proxy in front (TRUSTED_PROXY_COUNT = 0, the default) it is REMOTE_ADDR, and
    X-Forwarded-For is ignored: any client can send one. Behind N proxies that each append
    the address they saw (nginx's `$proxy_add_x_forwarded_for`, docs/DEPLOY.md) the client
    is the N-th address from the right; whatever stands further left the client wrote.
    """
    remote = request.META.get("REMOTE_ADDR") or UNKNOWN_ADDRESS
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # not through the proxies (a health check on the loopback, say)
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


class AddressRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, keyed on `client_address` like every other limit here."""

    def get_ident(self, request):
        return client_address(request)
