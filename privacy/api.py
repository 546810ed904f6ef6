"""The person's own data over the API: `me/data/`, `me/privacy/`, `me/delete/`.

Own only: there is no user id in these paths, so nobody can ask for another's data.
"""

import json

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import names
from accounts import services as accounts_services
from accounts.authentication import MemberTokenAuthentication
from backend.errors import Invalid
from backend.rest import errors
from privacy import selectors, serializers, services
from privacy.middleware import SESSION_KEY


def data_file_response(user) -> HttpResponse:
    """The person's data as a downloaded JSON file (the page's button and the API's)."""
    body = json.dumps(
        selectors.personal_data(user), cls=selectors.ENCODER, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


def privacy_state(user) -> dict:
    choice = accounts_services.privacy_choice_of(user)
    user.privacy = choice  # what public_name reads: the fresh row, not a cached one
    return {
        "show_name": choice.show_name,
        "pseudonym": choice.pseudonym,
        "public_name": names.public_name(user),
        "notice_version": choice.notice_version,
        "notice_accepted_at": choice.notice_accepted_at,
        "current_notice_version": settings.PRIVACY_NOTICE_VERSION,
        "notice_outdated": choice.notice_version != settings.PRIVACY_NOTICE_VERSION,
    }


class OwnView(APIView):
    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]


class MyDataView(OwnView):
    @extend_schema(
        summary="Download everything the platform holds about me (JSON file)",
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="docs/PRIVACY.md: the personal data file"
            ),
            **errors(401),
        },
    )
    def get(self, request):
        return data_file_response(request.user)


class MyPrivacyView(OwnView):
    @extend_schema(
        summary="My privacy choices and the notice version I accepted",
        responses={200: serializers.PrivacyChoiceOutput, **errors(401)},
    )
    def get(self, request):
        return Response(serializers.PrivacyChoiceOutput(privacy_state(request.user)).data)

    @extend_schema(
        summary="Accept the current privacy notice and/or change whether my name is shown",
        request=serializers.PrivacyChoiceInput,
        responses={200: serializers.PrivacyChoiceOutput, **errors(400, 401, 403, 409, 413)},
    )
    def post(self, request):
        given = serializers.PrivacyChoiceInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        version = data.get("accept_notice_version")
        if version is not None:
            if version != settings.PRIVACY_NOTICE_VERSION:
                raise Invalid(
                    _("This is not the privacy notice in force (%(version)s).")
                    % {"version": settings.PRIVACY_NOTICE_VERSION},
                    field="accept_notice_version",
                )
            accounts_services.privacy_notice_accept(actor=request.user, version=version)
            request.session.pop(SESSION_KEY, None)
        if "show_name" in data:
            accounts_services.public_name_set(actor=request.user, show=data["show_name"])
        return Response(serializers.PrivacyChoiceOutput(privacy_state(request.user)).data)


class MyAccountDeleteView(OwnView):
    @extend_schema(
        summary="Close my account (password confirmed): erase my personal data",
        request=serializers.AccountDeleteInput,
        responses={200: serializers.ErasureOutput, **errors(400, 401, 403, 409, 413, 429)},
    )
    def post(self, request):
        given = serializers.AccountDeleteInput(data=request.data)
        given.is_valid(raise_exception=True)
        log = services.account_erase(
            actor=request.user,
            password=given.validated_data["password"],
            withdraw_open_comments=given.validated_data["withdraw_open_comments"],
        )
        logout(request._request)
        return Response(serializers.ErasureOutput(log).data)
