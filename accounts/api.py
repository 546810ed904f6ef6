"""REST: sign-up and tokens, agencies, organizations (+ verify, suspend, members,
invitations, changes), the invited user's invitations; and the
base viewset every app's API builds on (token first, domain errors, parse/answer helpers)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from knox.models import AuthToken
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from accounts import memberships, permissions, selectors, serializers, services
from accounts.authentication import MemberTokenAuthentication
from accounts.filters import OrganizationFilter
from accounts.models import Agency, Invitation, Membership
from backend.converters import IdConverter
from backend.errors import Invalid, NotAllowed
from backend.login import lockout_error
from backend.ratelimit import AddressRateThrottle, client_address
from backend.rest import errors


class ReadOrSignedIn(BasePermission):
    """Anyone may read; writes need a signed-in user (401 otherwise). Services decide the rest."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or permissions.is_authenticated(request.user)


class DomainViewSet(viewsets.GenericViewSet):
    # Token first, so an anonymous write answers 401 with `WWW-Authenticate: Token`.
    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]
    permission_classes = [ReadOrSignedIn]

    def handle_exception(self, exc):
        # "Not allowed" for someone who has not signed in means "sign in first": 401.
        if isinstance(exc, NotAllowed) and not permissions.is_authenticated(self.request.user):
            exc = NotAuthenticated()
        return super().handle_exception(exc)

    def parse(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def answer(self, instance, serializer_class=None, *, code: int = status.HTTP_200_OK):
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def answer_list(self, queryset, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        page = self.paginate_queryset(queryset)
        context = self.get_serializer_context()
        if page is not None:
            return self.get_paginated_response(
                serializer_class(page, many=True, context=context).data
            )
        return Response(serializer_class(queryset, many=True, context=context).data)


class AuthViewSet(DomainViewSet):
    """Sign-up, API tokens (one per device; sign out one or all) and "who am I"."""

    throttle_scope = "auth"
    pagination_class = None
    filter_backends = []

    def get_throttles(self):
        return [AddressRateThrottle()] if self.action in ("register", "token") else []

    def get_serializer_class(self):
        # For the browsable API's forms; the handlers name their serializers themselves.
        return {"register": serializers.RegisterInput, "token": serializers.TokenInput}.get(
            self.action, serializers.MeOutput
        )

    def get_permissions(self):
        if self.action in ("me", "logout", "logout_all"):
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        summary="Sign up a user",
        request=serializers.RegisterInput,
        responses={201: serializers.UserOutput, **errors(429)},
    )
    @action(detail=False, methods=["post"])
    def register(self, request):
        data = self.parse(serializers.RegisterInput)
        user = services.user_register(**data, address=client_address(request))
        return self.answer(user, serializers.UserOutput, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Get a new API token for a username and password (one per device)",
        request=serializers.TokenInput,
        responses={200: serializers.TokenOutput, **errors(429)},
    )
    @action(detail=False, methods=["post"])
    def token(self, request):
        data = self.parse(serializers.TokenInput)
        # The Django request, so django-axes counts this attempt with the site's sign-ins.
        django_request = request._request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if getattr(django_request, "axes_locked_out", False):
            raise lockout_error()
        if user is None:
            raise Invalid(_("Unable to sign in with these credentials."))
        token, key = services.user_token_issue(actor=user)
        return self.answer({"token": key, "expiry": token.expiry}, serializers.TokenOutput)

    @extend_schema(
        summary="Sign this device out: the token of this request stops working",
        request=None,
        responses={204: None, **errors(401)},
    )
    @action(detail=False, methods=["post"])
    def logout(self, request):
        if not isinstance(request.auth, AuthToken):
            raise Invalid(_("Sign out of the site with its own button; this is for API tokens."))
        services.user_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Sign every device out: all your API tokens stop working",
        request=None,
        responses={204: None, **errors(401)},
    )
    @action(detail=False, methods=["post"], url_path="logout-all")
    def logout_all(self, request):
        services.user_tokens_revoke_all(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The signed-in user, with roles and memberships",
        responses={200: serializers.MeOutput, **errors(401)},
    )
    @action(detail=False, methods=["get"])
    def me(self, request):
        return self.answer(request.user, serializers.MeOutput)


@extend_schema_view(
    list=extend_schema(summary="List agencies"),
    retrieve=extend_schema(summary="Read an agency"),
)
class AgencyViewSet(DomainViewSet):
    queryset = Agency.objects.order_by("name", "id")
    serializer_class = serializers.AgencyOutput
    lookup_value_regex = IdConverter.regex  # ids beyond a bigint: no route (404)

    def list(self, request):
        return self.answer_list(self.get_queryset())

    def retrieve(self, request, pk=None):
        return self.answer(self.get_object())

    @extend_schema(
        summary="Create an agency",
        request=serializers.AgencyInput,
        responses={201: serializers.AgencyOutput},
    )
    def create(self, request):
        data = self.parse(serializers.AgencyInput)
        agency = services.agency_create(actor=request.user, **data)
        return self.answer(agency, code=status.HTTP_201_CREATED)


MEMBERSHIP_ID = OpenApiParameter("membership_id", OpenApiTypes.INT, OpenApiParameter.PATH)
INVITATION_ID = OpenApiParameter("invitation_id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(summary="List organizations"),
    retrieve=extend_schema(summary="Read an organization"),
)
class OrganizationViewSet(DomainViewSet):
    """Verified organizations are public; pending/suspended ones only to officials and members."""

    lookup_value_regex = IdConverter.regex  # ids beyond a bigint: no route (404)

    serializer_class = serializers.OrganizationOutput
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).order_by("name", "id")

    def list(self, request):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, pk=None):
        return self.answer(self.get_object())

    @extend_schema(
        summary="Register an organization (pending; the caller becomes its representative)",
        request=serializers.OrganizationRegisterInput,
        responses={201: serializers.OrganizationOutput},
    )
    def create(self, request):
        data = self.parse(serializers.OrganizationRegisterInput)
        organization = services.organization_register(actor=request.user, **data)
        return self.answer(organization, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update an organization",
        request=serializers.OrganizationUpdateInput,
        responses={200: serializers.OrganizationOutput},
    )
    def partial_update(self, request, pk=None):
        organization = self.get_object()
        data = self.parse(serializers.OrganizationUpdateInput, partial=True)
        organization = services.organization_update(
            actor=request.user, organization=organization, **data
        )
        return self.answer(organization)

    @extend_schema(
        summary="Verify an organization",
        request=None,
        responses={200: serializers.OrganizationOutput},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        organization = services.organization_verify(
            actor=request.user, organization=self.get_object()
        )
        return self.answer(organization)

    @extend_schema(
        summary="Suspend an organization, with a reason",
        request=serializers.OrganizationSuspendInput,
        responses={200: serializers.OrganizationOutput},
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        organization = self.get_object()
        data = self.parse(serializers.OrganizationSuspendInput)
        organization = services.organization_suspend(
            actor=request.user, organization=organization, **data
        )
        return self.answer(organization)

    @extend_schema(
        methods=["get"],
        summary="List an organization's members",
        responses={200: serializers.MembershipOutput(many=True), **errors(403)},
    )
    @extend_schema(
        methods=["post"],
        summary="Invite a user to the organization (they join when they accept)",
        description=(
            "Answers 202 whether or not the username exists or may join, so it cannot be "
            "used to find out who has an account."
        ),
        request=serializers.MembershipAddInput,
        responses={202: serializers.InvitationSentOutput},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request, pk=None):
        organization = self.get_object()
        if request.method == "GET":
            if not permissions.can_view_members(request.user, organization):
                raise NotAllowed(_("Only its members and officials see who belongs here."))
            rows = selectors.memberships_of(organization)
            return Response(
                serializers.MembershipOutput(
                    rows, many=True, context=self.get_serializer_context()
                ).data
            )
        data = self.parse(serializers.MembershipAddInput)
        memberships.membership_invite(
            actor=request.user,
            organization=organization,
            username=data["username"],
            role=data["role"],
        )
        return Response(
            {"detail": _("If this account exists, it has been invited.")},
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary="The organization's open invitations",
        responses={200: serializers.InvitationOutput(many=True), **errors(403)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def invitations(self, request, pk=None):
        organization = self.get_object()
        if not permissions.can_view_organization_changes(request.user, organization):
            raise NotAllowed(_("Only its representatives and officials see its invitations."))
        invitations = selectors.pending_invitations_of(organization)
        return self.answer_list(invitations, serializers.InvitationOutput)

    @extend_schema(
        summary="Withdraw an open invitation",
        parameters=[INVITATION_ID],
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"invitations/(?P<invitation_id>{IdConverter.regex})",
        url_name="invitation",
        filter_backends=[],
    )
    def invitation(self, request, pk=None, invitation_id=None):
        organization = self.get_object()
        invitation = get_object_or_404(
            Invitation.objects.select_related("organization"),
            pk=invitation_id,
            organization=organization,
        )
        memberships.invitation_withdraw(actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Who joined, left, was invited or changed role, and renames (newest first)",
        responses={200: serializers.OrganizationChangeOutput(many=True), **errors(403)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def changes(self, request, pk=None):
        organization = self.get_object()
        if not permissions.can_view_organization_changes(request.user, organization):
            raise NotAllowed(_("Only its representatives and officials see its changes."))
        return self.answer_list(
            selectors.changes_of(organization), serializers.OrganizationChangeOutput
        )

    @extend_schema(
        methods=["patch"],
        summary="Change a member's role",
        parameters=[MEMBERSHIP_ID],
        request=serializers.MembershipRoleInput,
        responses={200: serializers.MembershipOutput},
    )
    @extend_schema(
        methods=["delete"],
        summary="Remove a member",
        parameters=[MEMBERSHIP_ID],
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=rf"members/(?P<membership_id>{IdConverter.regex})",
        url_name="member",
        filter_backends=[],
    )
    def member(self, request, pk=None, membership_id=None):
        organization = self.get_object()
        membership = get_object_or_404(
            Membership.objects.select_related("user", "organization"),
            pk=membership_id,
            organization=organization,
        )
        if request.method == "DELETE":
            memberships.membership_remove(actor=request.user, membership=membership)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.parse(serializers.MembershipRoleInput)
        membership = memberships.membership_set_role(
            actor=request.user, membership=membership, role=data["role"]
        )
        return self.answer(membership, serializers.MembershipOutput)


@extend_schema_view(
    list=extend_schema(
        summary="Your open invitations to join an organization",
        responses={200: serializers.MyInvitationOutput(many=True), **errors(401)},
    )
)
class InvitationViewSet(DomainViewSet):
    """The signed-in user's side of an invitation: see it, accept it, decline it."""

    lookup_value_regex = IdConverter.regex  # ids beyond a bigint: no route (404)

    serializer_class = serializers.MyInvitationOutput
    permission_classes = [IsAuthenticated]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.invitations_for(self.request.user)

    def list(self, request):
        return self.answer_list(self.get_queryset())

    @extend_schema(
        summary="Accept: join the organization with the invited role",
        request=None,
        responses={200: serializers.MembershipOutput},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        membership = memberships.invitation_accept(actor=request.user, invitation=self.get_object())
        return self.answer(membership, serializers.MembershipOutput)

    @extend_schema(summary="Decline the invitation", request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        memberships.invitation_decline(actor=request.user, invitation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


CONSULTATION_PK = OpenApiParameter("consultation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="Version number; default: the current (newest published) version.",
)
