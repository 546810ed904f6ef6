import sys

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _

from backend.errors import database_unavailable, is_database_outage


def favicon(request):
    """Browsers ask for /favicon.ico on every page (and pages without base.html's
    `<link rel="icon">`, such as the big screen, get it from here): the site's icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def _error(request, status, message):
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("You do not have access to this page."))


def csrf_failure(request, reason=""):
    """Django's own CSRF page is English and technical; say what to do instead."""
    return _error(
        request,
        403,
        _(
            "This form has expired or your browser blocked its cookie. Go back, reload the "
            "page and send the form again."
        ),
    )


def page_not_found(request, exception=None):
    return _error(request, 404, _("The page you are looking for does not exist."))


def server_error(request):
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return _error(request, 500, _("Something went wrong on our side. Please try again."))


def service_unavailable(request):
    """503 while the database is unreachable (handler500 sees the exception).

    Rendered without touching the database: no session, no user, no context processors,
    so the page shows the signed-out menu. The API gets its usual JSON error.
    """
    error = database_unavailable()
    if request.path.startswith("/api/"):
        response = JsonResponse(error.as_dict(), status=error.status_code)
    else:
        context = {
            "status": error.status_code,
            "message": error.message,
            "request": request,
            "city_name": settings.RUANG["CITY_NAME"],
            "csrf_token": get_token(request),
        }
        response = HttpResponse(render_to_string("error.html", context), status=503)
    response["Retry-After"] = str(error.retry_after)
    return response
