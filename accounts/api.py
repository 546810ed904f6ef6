"""REST: sign-up and tokens, agencies, organizations (+ verify, suspend, members); and the
base viewset every app's API builds on (token first, domain errors, parse/answer helpers)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts import permissions, selectors, serializers, services
from accounts.authentication import MemberTokenAuthentication
from accounts.filters import OrganizationFilter
from accounts.models import Agency, Membership
from backend.errors import Invalid, NotAllowed
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
    """Sign-up, API tokens and "who am I"."""

    throttle_scope = "auth"
    pagination_class = None
    filter_backends = []

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.action in ("register", "token") else []

    def get_serializer_class(self):
        # For the browsable API's forms; the handlers name their serializers themselves.
        return {"register": serializers.RegisterInput, "token": serializers.TokenInput}.get(
            self.action, serializers.MeOutput
        )

    def get_permissions(self):
        if self.action == "me":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        summary="Sign up a user",
        request=serializers.RegisterInput,
        responses={201: serializers.UserOutput},
    )
    @action(detail=False, methods=["post"])
    def register(self, request):
        data = self.parse(serializers.RegisterInput)
        user = services.user_register(**data)
        return self.answer(user, serializers.UserOutput, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Get an API token for a username and password",
        request=serializers.TokenInput,
        responses={200: serializers.TokenOutput},
    )
    @action(detail=False, methods=["post"])
    def token(self, request):
        data = self.parse(serializers.TokenInput)
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            raise Invalid(_("Unable to sign in with these credentials."))
        return self.answer(services.user_token_issue(actor=user), serializers.TokenOutput)

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


@extend_schema_view(
    list=extend_schema(summary="List organizations"),
    retrieve=extend_schema(summary="Read an organization"),
)
class OrganizationViewSet(DomainViewSet):
    """Verified organizations are public; pending/suspended ones only to officials and members."""

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
        summary="Add a member to an organization",
        request=serializers.MembershipAddInput,
        responses={201: serializers.MembershipOutput},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request, pk=None):
        organization = self.get_object()
        if request.method == "GET":
            if not permissions.can_view_members(request.user, organization):
                raise NotAllowed(_("Only its members and officials see who belongs here."))
            memberships = selectors.memberships_of(organization)
            return Response(
                serializers.MembershipOutput(
                    memberships, many=True, context=self.get_serializer_context()
                ).data
            )
        data = self.parse(serializers.MembershipAddInput)
        membership = services.membership_add(
            actor=request.user,
            organization=organization,
            user=data["username"],
            role=data["role"],
        )
        return self.answer(membership, serializers.MembershipOutput, code=status.HTTP_201_CREATED)

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
        url_path=r"members/(?P<membership_id>\d+)",
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
            services.membership_remove(actor=request.user, membership=membership)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.parse(serializers.MembershipRoleInput)
        membership = services.membership_set_role(
            actor=request.user, membership=membership, role=data["role"]
        )
        return self.answer(membership, serializers.MembershipOutput)


CONSULTATION_PK = OpenApiParameter("consultation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="Version number; default: the current (newest published) version.",
)
