"""What every API view shares: the OpenAPI error answers (ARCHITECTURE.md §5 "Errors")."""

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
    """Lists the error answers of ARCHITECTURE.md §5 next to each operation's success."""

    ERRORS = {
        "400": OpenApiResponse(
            OpenApiTypes.OBJECT, description='Invalid input: {"<field>": ["message", …]}.'
        ),
        "401": OpenApiResponse(ErrorOutput, description="Sign in first."),
        "403": OpenApiResponse(ErrorOutput, description="Your role may not do this."),
        "404": OpenApiResponse(ErrorOutput, description="No such object, or not visible to you."),
        "409": OpenApiResponse(ErrorOutput, description="Not possible in the current state."),
    }

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "409"] if self.method not in SAFE_METHODS else []
        if "{" in self.path:
            codes.append("404")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(self.ERRORS[code], code)
        return dict(sorted(responses.items()))
