"""What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE).

One lockout covers every door that checks a password: `/accounts/login/`, `/admin/login/`
and `POST /api/v1/auth/token/`. django-axes counts failed attempts in the database (so
every worker sees the same counts) per account and per client address
(`backend.ratelimit.client_address`); after AXES_FAILURE_LIMIT failures within
AXES_COOLOFF_TIME that account, or that address, is refused for the rest of the cool-off,
and the password is not even checked, so guessing gains nothing. docs/DEPLOY.md says how
an administrator lifts a lockout early.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from backend.errors import RateLimited
from backend.ratelimit import UNKNOWN_ADDRESS, client_address


def lockout_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client address, or None when there is none (a request
    built in code, as Client.force_login does): axes stores it in an IP address column."""
    address = client_address(request)
    return None if address == UNKNOWN_ADDRESS else address


def lockout_error() -> RateLimited:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()) // 60)
    return RateLimited(
        _("Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.")
        % {"minutes": minutes},
        retry_after=int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


def lockout_response(request, original_response=None, credentials=None):
    """429 with Retry-After: JSON for the API, the error page for the site and the admin."""
    error = lockout_error()
    if request.path.startswith("/api/"):
        response = JsonResponse(error.as_dict(), status=error.status_code)
    else:
        context = {"message": error.message, "status": error.status_code}
        response = render(request, "error.html", context, status=error.status_code)
    response["Retry-After"] = str(error.retry_after)
    return response
