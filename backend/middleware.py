from django.shortcuts import render

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
