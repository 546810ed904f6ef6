"""Domain errors, raised by services and mapped once to HTTP and WebSocket codes.

Messages are user-facing (gettext), so a view can show them as they are.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class DomainError(Exception):
    status_code = 400
    ws_close_code = 4400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def as_dict(self) -> dict:
        if self.field:
            return {self.field: [self.message], "detail": self.message, "code": self.code}
        return {"detail": self.message, "code": self.code}


class Invalid(DomainError):
    status_code = 400
    ws_close_code = 4400
    code = "invalid"


class NotAllowed(DomainError):
    status_code = 403
    ws_close_code = 4403
    code = "not_allowed"


class NotFound(DomainError):
    status_code = 404
    ws_close_code = 4404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    ws_close_code = 4409
    code = "conflict"


class TooLarge(DomainError):
    status_code = 413
    ws_close_code = 4413
    code = "too_large"


class RateLimited(DomainError):
    status_code = 429
    ws_close_code = 4429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailable(DomainError):
    status_code = 503
    ws_close_code = 1013
    code = "unavailable"
    retry_after = 5


def is_database_outage(exc: BaseException | None) -> bool:
    """A dropped or refused database connection (or a pool timeout): retrying may work."""
    return isinstance(exc, (OperationalError, InterfaceError))


def database_unavailable() -> ServiceUnavailable:
    """What a request gets while the database is unreachable: 503, never a 500."""
    return ServiceUnavailable(
        _("The service is temporarily unavailable. Please try again in a moment.")
    )


def api_exception_handler(exc, context):
    """DRF exception handler: domain errors and DB outages become clean JSON answers."""
    if is_database_outage(exc):
        request = context.get("request")
        where = f"{request.method} {request.path}" if request is not None else "API"
        logger.warning("%s: database unavailable, answered 503", where, exc_info=exc)
        exc = database_unavailable()
    if isinstance(exc, DomainError):
        response = Response(exc.as_dict(), status=exc.status_code)
        if isinstance(exc, (RateLimited, ServiceUnavailable)):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, RequestDataTooBig):
        too_large = TooLarge(_("The request body is too large."))
        return Response(too_large.as_dict(), status=too_large.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DatabaseError):
        return None
    if isinstance(exc, (Http404, PermissionDenied)):
        return exception_handler(exc, context)
    return exception_handler(exc, context)


def require(allowed: bool, message: str) -> None:
    """Services' permission gate: the predicate's answer, or NotAllowed with the reason."""
    if not allowed:
        raise NotAllowed(message)
