from django.shortcuts import render
from django.utils.translation import gettext as _


def _error(request, status, message):
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("You do not have access to this page."))


def page_not_found(request, exception=None):
    return _error(request, 404, _("The page you are looking for does not exist."))


def server_error(request):
    return _error(request, 500, _("Something went wrong on our side. Please try again."))
