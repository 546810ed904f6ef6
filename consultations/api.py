# --- Agencies, organizations, consultations, sections, items (issue 2: branch api) ---
"""REST viewsets under /api/v1/ (ARCHITECTURE.md §5).

Thin on purpose: an input serializer validates the body (400), a service does
the work and raises domain errors (403/404/409), an output serializer answers.
Objects the caller may not see answer 404, never 403, so drafts do not leak.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from backend.errors import Invalid, NotAllowed
from consultations import permissions, selectors, services
from consultations import serializers as s
from consultations.filters import ConsultationFilter, OrganizationFilter
from consultations.models import Agency, DraftVersion, Item, Membership, Section


class ReadOrSignedIn(BasePermission):
    """Anyone may read; writes need a signed-in user (401 otherwise). Services decide the rest."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or permissions.is_authenticated(request.user)


class DomainViewSet(viewsets.GenericViewSet):
    # Token first, so an anonymous write answers 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [ReadOrSignedIn]

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


# Auth ---------------------------------------------------------------------------------------


class AuthViewSet(DomainViewSet):
    """Sign-up, API tokens and "who am I"."""

    throttle_scope = "auth"
    pagination_class = None
    filter_backends = []

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.action in ("register", "token") else []

    def get_permissions(self):
        if self.action == "me":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(request=s.RegisterInput, responses={201: s.UserOutput})
    @action(detail=False, methods=["post"])
    def register(self, request):
        data = self.parse(s.RegisterInput)
        user = services.user_register(**data)
        return self.answer(user, s.UserOutput, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.TokenInput, responses={200: s.TokenOutput})
    @action(detail=False, methods=["post"])
    def token(self, request):
        data = self.parse(s.TokenInput)
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            raise Invalid(_("Unable to sign in with these credentials."))
        return self.answer(services.user_token_issue(actor=user), s.TokenOutput)

    @extend_schema(responses={200: s.MeOutput})
    @action(detail=False, methods=["get"])
    def me(self, request):
        return self.answer(request.user, s.MeOutput)


# Agencies -----------------------------------------------------------------------------------


class AgencyViewSet(DomainViewSet):
    queryset = Agency.objects.order_by("name", "id")
    serializer_class = s.AgencyOutput

    def list(self, request):
        return self.answer_list(self.get_queryset())

    def retrieve(self, request, pk=None):
        return self.answer(self.get_object())

    @extend_schema(request=s.AgencyInput, responses={201: s.AgencyOutput})
    def create(self, request):
        data = self.parse(s.AgencyInput)
        agency = services.agency_create(actor=request.user, **data)
        return self.answer(agency, code=status.HTTP_201_CREATED)


# Organizations ------------------------------------------------------------------------------

MEMBERSHIP_ID = OpenApiParameter("membership_id", OpenApiTypes.INT, OpenApiParameter.PATH)


class OrganizationViewSet(DomainViewSet):
    """Verified organizations are public; pending/suspended ones only to officials and members."""

    serializer_class = s.OrganizationOutput
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).order_by("name", "id")

    def list(self, request):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, pk=None):
        return self.answer(self.get_object())

    @extend_schema(request=s.OrganizationRegisterInput, responses={201: s.OrganizationOutput})
    def create(self, request):
        data = self.parse(s.OrganizationRegisterInput)
        organization = services.organization_register(actor=request.user, **data)
        return self.answer(organization, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.OrganizationUpdateInput, responses={200: s.OrganizationOutput})
    def partial_update(self, request, pk=None):
        organization = self.get_object()
        data = self.parse(s.OrganizationUpdateInput, partial=True)
        organization = services.organization_update(
            actor=request.user, organization=organization, **data
        )
        return self.answer(organization)

    @extend_schema(request=None, responses={200: s.OrganizationOutput})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        organization = services.organization_verify(
            actor=request.user, organization=self.get_object()
        )
        return self.answer(organization)

    @extend_schema(request=s.OrganizationSuspendInput, responses={200: s.OrganizationOutput})
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        organization = self.get_object()
        data = self.parse(s.OrganizationSuspendInput)
        organization = services.organization_suspend(
            actor=request.user, organization=organization, **data
        )
        return self.answer(organization)

    @extend_schema(methods=["get"], responses={200: s.MembershipOutput(many=True)})
    @extend_schema(
        methods=["post"], request=s.MembershipAddInput, responses={201: s.MembershipOutput}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request, pk=None):
        organization = self.get_object()
        if request.method == "GET":
            if not permissions.can_view_members(request.user, organization):
                raise NotAllowed(_("Only its members and officials see who belongs here."))
            memberships = selectors.memberships_of(organization)
            return Response(
                s.MembershipOutput(
                    memberships, many=True, context=self.get_serializer_context()
                ).data
            )
        data = self.parse(s.MembershipAddInput)
        membership = services.membership_add(
            actor=request.user,
            organization=organization,
            user=data["username"],
            role=data["role"],
        )
        return self.answer(membership, s.MembershipOutput, code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["patch"],
        parameters=[MEMBERSHIP_ID],
        request=s.MembershipRoleInput,
        responses={200: s.MembershipOutput},
    )
    @extend_schema(methods=["delete"], parameters=[MEMBERSHIP_ID], responses={204: None})
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
        data = self.parse(s.MembershipRoleInput)
        membership = services.membership_set_role(
            actor=request.user, membership=membership, role=data["role"]
        )
        return self.answer(membership, s.MembershipOutput)


# Consultations ------------------------------------------------------------------------------


class ConsultationViewSet(DomainViewSet):
    """Drafts are seen only by officials, planners and moderators."""

    serializer_class = s.ConsultationOutput
    filterset_class = ConsultationFilter

    def get_queryset(self):
        return selectors.consultations_visible_to(self.request.user)

    def list(self, request):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    @extend_schema(responses={200: s.ConsultationDetailOutput})
    def retrieve(self, request, pk=None):
        return self.answer(self.get_object(), s.ConsultationDetailOutput)

    @extend_schema(request=s.ConsultationInput, responses={201: s.ConsultationDetailOutput})
    def create(self, request):
        data = self.parse(s.ConsultationInput)
        consultation = services.consultation_create(actor=request.user, **data)
        return self.answer(consultation, s.ConsultationDetailOutput, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsultationInput, responses={200: s.ConsultationDetailOutput})
    def update(self, request, pk=None):
        return self._update(partial=False)

    @extend_schema(request=s.ConsultationInput, responses={200: s.ConsultationDetailOutput})
    def partial_update(self, request, pk=None):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        consultation = self.get_object()
        data = self.parse(s.ConsultationInput, partial=partial)
        consultation = services.consultation_update(
            actor=self.request.user, consultation=consultation, **data
        )
        return self.answer(consultation, s.ConsultationDetailOutput)

    @extend_schema(request=None, responses={200: s.ConsultationDetailOutput})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        consultation = services.consultation_publish(
            actor=request.user, consultation=self.get_object()
        )
        return self.answer(consultation, s.ConsultationDetailOutput)

    @extend_schema(request=None, responses={200: s.ConsultationDetailOutput})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        consultation = services.consultation_close(
            actor=request.user, consultation=self.get_object()
        )
        return self.answer(consultation, s.ConsultationDetailOutput)

    @extend_schema(request=None, responses={200: s.ConsultationDetailOutput})
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        consultation = services.consultation_conclude(
            actor=request.user, consultation=self.get_object()
        )
        return self.answer(consultation, s.ConsultationDetailOutput)


CONSULTATION_PK = OpenApiParameter("consultation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description="Version number; default: the current (newest published) version.",
)


class ConsultationChildViewSet(DomainViewSet):
    """Base for `consultations/{consultation_pk}/…`: the parent must be visible, else 404."""

    pagination_class = None
    filter_backends = []

    def get_consultation(self):
        if not hasattr(self, "_consultation"):
            self._consultation = get_object_or_404(
                selectors.consultations_visible_to(self.request.user),
                pk=self.kwargs["consultation_pk"],
            )
        return self._consultation


@extend_schema_view(
    list=extend_schema(parameters=[CONSULTATION_PK, VERSION_QUERY]),
    retrieve=extend_schema(parameters=[CONSULTATION_PK]),
    create=extend_schema(
        parameters=[CONSULTATION_PK], request=s.SectionInput, responses={201: s.SectionOutput}
    ),
    update=extend_schema(
        parameters=[CONSULTATION_PK], request=s.SectionInput, responses={200: s.SectionOutput}
    ),
    partial_update=extend_schema(
        parameters=[CONSULTATION_PK], request=s.SectionInput, responses={200: s.SectionOutput}
    ),
    destroy=extend_schema(parameters=[CONSULTATION_PK], responses={204: None}),
)
class SectionViewSet(ConsultationChildViewSet):
    """Sections of one version; `changes` shows what changed since the previous version."""

    serializer_class = s.SectionOutput
    queryset = Section.objects.none()

    def get_queryset(self):
        consultation = self.get_consultation()
        qs = Section.objects.filter(consultation=consultation).select_related("version", "previous")
        if not permissions.can_view_unpublished_text(self.request.user, consultation):
            qs = qs.filter(version__published_at__isnull=False)
        return qs.order_by("version__number", "position", "id")

    def list(self, request, consultation_pk=None):
        consultation = self.get_consultation()
        number = request.query_params.get("version")
        if number is None:
            version = selectors.current_version(consultation)
        else:
            if not number.isdecimal():
                raise Invalid(_("The version must be a number."), field="version")
            # Longer than any real version number: not found (and int() of it is costly).
            version = (
                consultation.versions.filter(number=int(number)).first()
                if len(number) <= 9
                else None
            )
            if version is None or not (
                version.is_published
                or permissions.can_view_unpublished_text(request.user, consultation)
            ):
                raise NotFound(_("No such version."))
        sections = (
            self.get_queryset().filter(version=version) if version else Section.objects.none()
        )
        return self.answer_list(sections)

    def retrieve(self, request, consultation_pk=None, pk=None):
        return self.answer(self.get_object())

    def create(self, request, consultation_pk=None):
        consultation = self.get_consultation()
        data = self.parse(s.SectionInput)
        section = services.section_add(actor=request.user, consultation=consultation, **data)
        return self.answer(section, code=status.HTTP_201_CREATED)

    def update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=False)

    def partial_update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        section = self.get_object()
        data = self.parse(s.SectionInput, partial=partial)
        section = services.section_update(actor=self.request.user, section=section, **data)
        return self.answer(section)

    def destroy(self, request, consultation_pk=None, pk=None):
        services.section_delete(actor=request.user, section=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(parameters=[CONSULTATION_PK]),
    retrieve=extend_schema(parameters=[CONSULTATION_PK]),
    create=extend_schema(
        parameters=[CONSULTATION_PK], request=s.VersionInput, responses={201: s.VersionOutput}
    ),
    publish=extend_schema(
        parameters=[CONSULTATION_PK], request=None, responses={200: s.VersionOutput}
    ),
)
class VersionViewSet(ConsultationChildViewSet):
    """Draft versions: start a new one while open, edit its sections, then publish it."""

    serializer_class = s.VersionOutput
    queryset = DraftVersion.objects.none()
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        consultation = self.get_consultation()
        qs = DraftVersion.objects.filter(consultation=consultation)
        if not permissions.can_view_unpublished_text(self.request.user, consultation):
            qs = qs.filter(published_at__isnull=False)
        return qs.order_by("number")

    def list(self, request, consultation_pk=None):
        return self.answer_list(self.get_queryset())

    def retrieve(self, request, consultation_pk=None, number=None):
        return self.answer(self.get_object())

    def create(self, request, consultation_pk=None):
        consultation = self.get_consultation()
        data = self.parse(s.VersionInput)
        version = services.version_start(actor=request.user, consultation=consultation, **data)
        return self.answer(version, code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def publish(self, request, consultation_pk=None, number=None):
        version = services.version_publish(actor=request.user, version=self.get_object())
        return self.answer(version)


@extend_schema_view(
    list=extend_schema(parameters=[CONSULTATION_PK]),
    retrieve=extend_schema(parameters=[CONSULTATION_PK]),
    create=extend_schema(
        parameters=[CONSULTATION_PK], request=s.ItemInput, responses={201: s.ItemOutput}
    ),
    update=extend_schema(
        parameters=[CONSULTATION_PK], request=s.ItemInput, responses={200: s.ItemOutput}
    ),
    partial_update=extend_schema(
        parameters=[CONSULTATION_PK], request=s.ItemInput, responses={200: s.ItemOutput}
    ),
    destroy=extend_schema(parameters=[CONSULTATION_PK], responses={204: None}),
)
class ConsultationItemViewSet(ConsultationChildViewSet):
    """Votable items of one consultation; they change only while it is a draft."""

    serializer_class = s.ItemOutput
    queryset = Item.objects.none()

    def get_queryset(self):
        return selectors.items_of(self.get_consultation())

    def list(self, request, consultation_pk=None):
        return self.answer_list(self.get_queryset())

    def retrieve(self, request, consultation_pk=None, pk=None):
        return self.answer(self.get_object())

    def create(self, request, consultation_pk=None):
        consultation = self.get_consultation()
        data = self.parse(s.ItemInput)
        item = services.item_add(actor=request.user, consultation=consultation, **data)
        return self.answer(item, code=status.HTTP_201_CREATED)

    def update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=False)

    def partial_update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        item = self.get_object()
        data = self.parse(s.ItemInput, partial=partial)
        item = services.item_update(actor=self.request.user, item=item, **data)
        return self.answer(item)

    def destroy(self, request, consultation_pk=None, pk=None):
        services.item_delete(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemViewSet(DomainViewSet):
    """`items/{id}/`: an item by its own id (votes and tallies hang below it)."""

    serializer_class = s.ItemOutput
    filter_backends = []

    def get_queryset(self):
        visible = selectors.consultations_visible_to(self.request.user)
        return Item.objects.filter(consultation__in=visible.values("pk"))

    def retrieve(self, request, pk=None):
        return self.answer(self.get_object())


# --- Comments, moderation, responses (issue 3: branch comments) ---


# --- Hearings, agenda, attendance, speakers, manual counts (issue 5: branch hearings) ---
