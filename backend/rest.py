"""What every API view shares: the OpenAPI error answers (ARCHITECTURE.md §5 "Errors")."""

from django.apps import apps
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
)
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorOutput(serializers.Serializer):
    """A refused request (403/404/409/…); 400s add `{"<field>": ["message"]}`."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class DomainAutoSchema(AutoSchema):
    """The project's schema class (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]), for every API view.

    Tags each operation with the label of the app whose module defines the view (the tags
    of SPECTACULAR_SETTINGS["TAGS"]), and lists the error answers of ARCHITECTURE.md §5
    next to its success: 400/401/403/409 on every write, 404 where the path names an
    object or a page, 413 where there is a body, 429 where a throttle applies, 400 on reads
    with query parameters. An operation adds the others it can give (403 on a restricted read,
    429 from a service's rate limit) with `responses={200: …, **errors(403)}`.
    """

    ERRORS = {
        "400": OpenApiResponse(
            OpenApiTypes.OBJECT, description='Invalid input: {"<field>": ["message", …]}.'
        ),
        "401": OpenApiResponse(ErrorOutput, description="Sign in first."),
        "403": OpenApiResponse(ErrorOutput, description="Your role may not do this."),
        "404": OpenApiResponse(
            ErrorOutput, description="No such object (or page), or not visible to you."
        ),
        "409": OpenApiResponse(ErrorOutput, description="Not possible in the current state."),
        "413": OpenApiResponse(ErrorOutput, description="The request body is too large."),
        "429": OpenApiResponse(
            ErrorOutput,
            description="Too many requests: `Retry-After` says how many seconds to wait.",
        ),
    }
    # Query parameters that page through a list: a page that does not exist is a 404.
    PAGE_PARAMETERS = frozenset({"cursor", "page", "page_size"})

    def get_tags(self):
        app = apps.get_containing_app_config(type(self.view).__module__)
        return [app.label] if app else super().get_tags()

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            if code not in responses:
                responses[code] = self._get_response_for_code(self.ERRORS[code], code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation) -> list[str]:
        codes = []
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if self.method not in SAFE_METHODS:
            codes += ["400", "401", "403", "409"]
        elif query - self.PAGE_PARAMETERS:
            codes.append("400")
        if "{" in self.path or query & self.PAGE_PARAMETERS:
            codes.append("404")
        if "requestBody" in operation:
            codes.append("413")
        if self.view.get_throttles():
            codes.append("429")
        return codes


def errors(*codes: int) -> dict:
    """Error answers for `extend_schema(responses=…)` beyond the automatic ones."""
    return {code: DomainAutoSchema.ERRORS[str(code)] for code in codes}
