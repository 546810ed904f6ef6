"""REST viewsets under /api/v1/ (ARCHITECTURE.md §5).

Thin on purpose: an input serializer validates the body (400), a service does
the work and raises domain errors (403/404/409), an output serializer answers.
Objects the caller may not see answer 404, never 403, so drafts do not leak.
"""

import secrets

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from backend.authentication import MemberTokenAuthentication
from backend.errors import Invalid, NotAllowed
from backend.pagination import CreatedCursorPagination
from consultations import models as comment_models
from consultations import permissions, selectors, services
from consultations import serializers as comment_serializers
from consultations import serializers as hearing_io
from consultations import serializers as s
from consultations.filters import CommentFilter, ConsultationFilter, OrganizationFilter
from consultations.models import (
    Agency,
    AgendaItem,
    Comment,
    DraftVersion,
    Hearing,
    Item,
    Membership,
    Organization,
    Section,
    SpeakerRequest,
)
from realtime import events

# --- Agencies, organizations, consultations, sections, items (issue 2: branch api) ---


class ReadOrSignedIn(BasePermission):
    """Anyone may read; writes need a signed-in user (401 otherwise). Services decide the rest."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or permissions.is_authenticated(request.user)


class DomainAutoSchema(AutoSchema):
    """Lists the error answers of ARCHITECTURE.md §5 next to each operation's success."""

    ERRORS = {
        "400": OpenApiResponse(
            OpenApiTypes.OBJECT, description='Invalid input: {"<field>": ["message", …]}.'
        ),
        "401": OpenApiResponse(s.ErrorOutput, description="Sign in first."),
        "403": OpenApiResponse(s.ErrorOutput, description="Your role may not do this."),
        "404": OpenApiResponse(s.ErrorOutput, description="No such object, or not visible to you."),
        "409": OpenApiResponse(s.ErrorOutput, description="Not possible in the current state."),
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


class DomainViewSet(viewsets.GenericViewSet):
    schema = DomainAutoSchema()
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


# Auth ---------------------------------------------------------------------------------------


class AuthViewSet(DomainViewSet):
    """Sign-up, API tokens and "who am I"."""

    throttle_scope = "auth"
    pagination_class = None
    filter_backends = []

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.action in ("register", "token") else []

    def get_serializer_class(self):
        # For the browsable API's forms; the handlers name their serializers themselves.
        return {"register": s.RegisterInput, "token": s.TokenInput}.get(self.action, s.MeOutput)

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


class CommentViewSet(DomainViewSet):
    """Comments: list/filter/search, post, edit, delete, report, moderate, respond.

    Every read goes through selectors.comments_visible_to, so pending, hidden and
    rejected comments of others never reach a non-moderator (404, as if absent).
    """

    serializer_class = comment_serializers.CommentOutput
    pagination_class = CreatedCursorPagination
    filterset_class = CommentFilter
    filter_backends = [DjangoFilterBackend]
    queryset = comment_models.Comment.objects.none()  # for the schema; reads use get_queryset

    def get_queryset(self):
        return selectors.comment_list(self.request.user)

    def _change(self, apply, code=status.HTTP_200_OK):
        """Run the service and read the answer back in one transaction: if the read fails
        (the database went away after the write), the write is rolled back with it, so a
        503 never hides a saved change (tests/faults/test_database_drop.py). Only for
        services whose side effects are all in the database (not comment_create)."""
        with transaction.atomic():
            comment = apply()
            return self.answer(self.get_queryset().get(pk=comment.pk), code=code)

    def list(self, request, *args, **kwargs):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    @extend_schema(
        request=comment_serializers.CommentCreateInput,
        responses={201: comment_serializers.CommentOutput},
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(comment_serializers.CommentCreateInput)
        # The service reads its answer back inside its own transaction; an outer one here
        # would keep its double-submit claim after a rollback and refuse the retry.
        comment = services.comment_create(actor=request.user, **data)
        return self.answer(comment, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=comment_serializers.CommentEditInput,
        responses={200: comment_serializers.CommentOutput},
    )
    def update(self, request, *args, **kwargs):
        comment = self.get_object()
        data = self.parse(comment_serializers.CommentEditInput)
        return self._change(
            lambda: services.comment_edit(actor=request.user, comment=comment, **data)
        )

    @extend_schema(
        request=comment_serializers.CommentEditInput,
        responses={200: comment_serializers.CommentOutput},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        services.comment_delete(actor=request.user, comment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=comment_serializers.ReasonInput,
        responses={201: comment_serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        comment = self.get_object()
        data = self.parse(comment_serializers.ReasonInput)

        def report():
            services.comment_report(actor=request.user, comment=comment, reason=data.get("reason"))
            return comment

        return self._change(report, status.HTTP_201_CREATED)

    def _moderate(self, service):
        comment = self.get_object()
        data = self.parse(comment_serializers.ReasonInput)
        return self._change(
            lambda: service(actor=self.request.user, comment=comment, reason=data.get("reason", ""))
        )

    @extend_schema(
        request=comment_serializers.ReasonInput,
        responses={200: comment_serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._moderate(services.comment_approve)

    @extend_schema(
        request=comment_serializers.ReasonInput,
        responses={200: comment_serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        return self._moderate(services.comment_hide)

    @extend_schema(
        request=comment_serializers.ReasonInput,
        responses={200: comment_serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._moderate(services.comment_restore)

    @extend_schema(
        request=comment_serializers.ReasonInput,
        responses={200: comment_serializers.CommentOutput},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._moderate(services.comment_reject)

    @extend_schema(
        request=comment_serializers.RespondInput,
        responses={
            200: comment_serializers.CommentOutput,
            201: comment_serializers.CommentOutput,
        },
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Answer the comment; answering again edits the existing response."""
        comment = self.get_object()
        data = self.parse(comment_serializers.RespondInput)
        existing = comment_models.Response.objects.filter(comment=comment).first()

        def respond():
            if existing is None:
                services.response_create(actor=request.user, comment=comment, **data)
                return comment
            services.response_update(
                actor=request.user, response=existing, outcome=data["outcome"], body=data["body"]
            )
            if data.get("publish") and existing.published_at is None:
                services.response_publish(actor=request.user, response=existing)
            return comment

        return self._change(respond, status.HTTP_201_CREATED if existing is None else 200)

    @extend_schema(responses={200: comment_serializers.ModerationActionOutput(many=True)})
    @action(detail=True, methods=["get"], url_path="moderation-log", pagination_class=None)
    def moderation_log(self, request, pk=None):
        comment = self.get_object()
        if not permissions.can_see_moderation_log(request.user):
            raise NotAllowed(_("Only moderators and officials see the moderation log."))
        actions = selectors.moderation_log(comment=comment)
        return Response(comment_serializers.ModerationActionOutput(actions, many=True).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("consultation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)]
    )
)
class ConsultationCommentViewSet(DomainViewSet):
    """GET consultations/{id}/comments/: the comment list, scoped to one visible consultation."""

    serializer_class = comment_serializers.CommentOutput
    pagination_class = CreatedCursorPagination
    filterset_class = CommentFilter
    filter_backends = [DjangoFilterBackend]
    queryset = comment_models.Comment.objects.none()

    def get_queryset(self):
        consultation = get_object_or_404(
            selectors.consultations_visible_to(self.request.user),
            pk=self.kwargs["consultation_pk"],
        )
        return selectors.comment_list(
            self.request.user, comment_models.Comment.objects.filter(consultation=consultation)
        )

    def list(self, request, *args, **kwargs):
        return self.answer_list(self.filter_queryset(self.get_queryset()))


class ModerationActionViewSet(DomainViewSet, mixins.ListModelMixin):
    """The moderation log (who, when, what, why) for moderators and officials."""

    serializer_class = comment_serializers.ModerationActionOutput
    pagination_class = CreatedCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["comment", "action"]
    queryset = comment_models.ModerationAction.objects.none()

    def get_queryset(self):
        if not permissions.can_see_moderation_log(self.request.user):
            raise NotAllowed(_("Only moderators and officials see the moderation log."))
        consultation = self.request.query_params.get("consultation")
        qs = selectors.moderation_log()
        if consultation and consultation.isdigit():
            qs = qs.filter(comment__consultation_id=int(consultation))
        return qs


class ResponseViewSet(DomainViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Tanggapan: answers to comments or sections; drafts are internal until published."""

    serializer_class = comment_serializers.CommentResponseOutput
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["consultation", "section", "comment", "outcome"]
    queryset = comment_models.Response.objects.none()

    def get_queryset(self):
        user = self.request.user
        visible_comments = selectors.comments_visible_to(user).values("pk")
        return (
            selectors.responses_visible_to(user)
            .filter(
                Q(comment__isnull=True) | Q(comment__in=visible_comments),
                consultation__in=selectors.consultations_visible_to(user).values("pk"),
            )
            .select_related("responder")
            .order_by("created_at", "id")
        )

    @extend_schema(
        request=comment_serializers.ResponseCreateInput,
        responses={201: comment_serializers.CommentResponseOutput},
    )
    def create(self, request):
        data = self.parse(comment_serializers.ResponseCreateInput)
        response = services.response_create(actor=request.user, **data)
        return self.answer(response, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=comment_serializers.ResponseUpdateInput,
        responses={200: comment_serializers.CommentResponseOutput},
    )
    def partial_update(self, request, pk=None):
        response = self.get_object()
        data = self.parse(comment_serializers.ResponseUpdateInput)
        response = services.response_update(actor=request.user, response=response, **data)
        return self.answer(response)

    @extend_schema(
        request=comment_serializers.ResponseUpdateInput,
        responses={200: comment_serializers.CommentResponseOutput},
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(
        request=comment_serializers.ResponsesPublishInput,
        responses={200: comment_serializers.ResponsesPublishedOutput},
    )
    @action(detail=False, methods=["post"])
    def publish(self, request):
        """Publish every drafted response of one consultation at once."""
        data = self.parse(comment_serializers.ResponsesPublishInput)
        count = services.responses_publish(actor=request.user, consultation=data["consultation"])
        return Response({"consultation": data["consultation"].pk, "published": count})


# --- Hearings, agenda, attendance, speakers, manual counts (issue 5: branch hearings) ---


class SignedInToChange(BasePermission):
    """Reads are public (visibility filtered per hearing); changes need a signed-in user.

    Screens post heartbeats and read events with their display key instead of a login.
    """

    KEY_ACTIONS = {"screens", "events"}

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or view.action in self.KEY_ACTIONS:
            return True
        return permissions.is_authenticated(request.user)


def _parse(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class HearingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Hearings: schedule, run live (start/advance/vote/end), check in, screen, speakers."""

    serializer_class = hearing_io.HearingSerializer
    # Token first, as in DomainViewSet: an anonymous change answers 401, not 403.
    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]
    permission_classes = [SignedInToChange]

    def handle_exception(self, exc):
        # A wrong display key stays 403: a screen does not sign in.
        if (
            isinstance(exc, NotAllowed)
            and self.action not in SignedInToChange.KEY_ACTIONS
            and not permissions.is_authenticated(self.request.user)
        ):
            exc = NotAuthenticated()
        return super().handle_exception(exc)

    def get_queryset(self):
        qs = selectors.hearings_visible_to(self.request.user).prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("position", "id"))
        )
        params = self.request.query_params
        if params.get("consultation"):
            try:
                qs = qs.filter(consultation_id=int(params["consultation"]))
            except ValueError as exc:
                raise Invalid(_("consultation must be a number."), field="consultation") from exc
        if params.get("status"):
            if params["status"] not in Hearing.Status.values:
                raise Invalid(_("Unknown status."), field="status")
            qs = qs.filter(status=params["status"])
        return qs

    def _answer(self, hearing, code=status.HTTP_200_OK):
        hearing = self.get_queryset().get(pk=hearing.pk)
        return Response(self.get_serializer(hearing).data, status=code)

    def create(self, request):
        data = _parse(hearing_io.HearingInput, request.data)
        if not permissions.can_view_consultation(request.user, data["consultation"]):
            raise Invalid(_("Unknown consultation."), field="consultation")
        hearing = services.hearing_create(actor=request.user, **data)
        return self._answer(hearing, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        data = _parse(hearing_io.HearingUpdateInput, request.data)
        hearing = services.hearing_update(actor=request.user, hearing=self.get_object(), **data)
        return self._answer(hearing)

    # --- the live session ---

    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.hearing_start(actor=request.user, hearing=self.get_object()))

    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        hearing = self.get_object()
        data = _parse(hearing_io.AdvanceInput, request.data)
        agenda_item = None
        if data.get("agenda_item"):
            agenda_item = AgendaItem.objects.filter(pk=data["agenda_item"]).first()
            if agenda_item is None:
                raise Invalid(_("Unknown agenda item."), field="agenda_item")
        hearing = services.hearing_advance(
            actor=request.user, hearing=hearing, agenda_item=agenda_item
        )
        return self._answer(hearing)

    @action(detail=True, methods=["post"], url_path="open-voting")
    def open_voting(self, request, pk=None):
        hearing = self.get_object()
        data = _parse(hearing_io.VotingInput, request.data)
        hearing = services.hearing_open_voting(
            actor=request.user, hearing=hearing, item=data["item"]
        )
        return self._answer(hearing)

    @action(detail=True, methods=["post"], url_path="close-voting")
    def close_voting(self, request, pk=None):
        hearing = services.hearing_close_voting(actor=request.user, hearing=self.get_object())
        return self._answer(hearing)

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._answer(services.hearing_end(actor=request.user, hearing=self.get_object()))

    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        hearing = self.get_object()
        data = _parse(hearing_io.CheckInInput, request.data)
        organization = None
        if data.get("organization"):
            organization = Organization.objects.filter(pk=data["organization"]).first()
            if organization is None:
                raise Invalid(_("Unknown organization."), field="organization")
        attendance = services.attendance_check_in(
            actor=request.user,
            hearing=hearing,
            token=data.get("token", ""),
            organization=organization,
        )
        return Response(
            {
                "hearing": hearing.pk,
                "organization": {
                    "id": attendance.organization_id,
                    "name": attendance.organization.name,
                },
                "method": attendance.method,
                "checked_in_at": attendance.checked_in_at,
            }
        )

    @action(detail=True, methods=["post"], url_path="rotate-key")
    def rotate_key(self, request, pk=None):
        return self._answer(
            services.display_key_rotate(actor=request.user, hearing=self.get_object())
        )

    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        data = _parse(hearing_io.ScreenInput, request.data)
        hearing = services.screen_set_mode(
            actor=request.user, hearing=self.get_object(), mode=data["mode"]
        )
        return self._answer(hearing)

    @action(detail=True, methods=["post"], url_path="screen-comments")
    def screen_comments(self, request, pk=None):
        """Put a hearing comment on the big screen (`DELETE …/screen-comments/{id}/` hides it)."""
        comment = self._hearing_comment(request.data.get("comment"))
        comment = services.comment_show_on_screen(actor=request.user, comment=comment)
        return Response(selectors.comment_payload(comment))

    @action(
        detail=True,
        methods=["delete"],
        url_path=r"screen-comments/(?P<comment_id>\d+)",
        url_name="screen-comment",
    )
    def screen_comment(self, request, pk=None, comment_id=None):
        comment = services.comment_hide_from_screen(
            actor=request.user, comment=self._hearing_comment(comment_id)
        )
        return Response(selectors.comment_payload(comment))

    def _hearing_comment(self, comment_id):
        hearing = self.get_object()
        data = _parse(hearing_io.ScreenCommentInput, {"comment": comment_id})
        comment = Comment.objects.filter(pk=data["comment"], hearing=hearing).first()
        if comment is None:
            raise NotFound(_("This hearing has no such comment."))
        return comment

    # --- agenda ---

    @action(detail=True, methods=["get", "post"])
    def agenda(self, request, pk=None):
        hearing = self.get_object()
        if request.method == "POST":
            data = _parse(hearing_io.AgendaItemInput, request.data)
            agenda_item = services.agenda_item_add(actor=request.user, hearing=hearing, **data)
            return Response(
                selectors.agenda_item_payload(agenda_item), status=status.HTTP_201_CREATED
            )
        return Response(selectors.agenda_payload(hearing))

    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"agenda/(?P<agenda_id>\d+)",
        url_name="agenda-item",
    )
    def agenda_item(self, request, pk=None, agenda_id=None):
        hearing = self.get_object()
        agenda_item = get_object_or_404(AgendaItem, pk=agenda_id, hearing=hearing)
        if request.method == "DELETE":
            services.agenda_item_remove(actor=request.user, agenda_item=agenda_item)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = _parse(hearing_io.AgendaMoveInput, request.data)
        agenda_item = services.agenda_item_move(
            actor=request.user, agenda_item=agenda_item, position=data["position"]
        )
        return Response(selectors.agenda_item_payload(agenda_item))

    # --- speakers ---

    @action(detail=True, methods=["get", "post"])
    def speakers(self, request, pk=None):
        """GET the queue; POST asks for the floor on behalf of the caller's organization."""
        hearing = self.get_object()
        if request.method == "POST":
            speaker = services.speaker_request(actor=request.user, hearing=hearing)
            return Response(selectors.speaker_payload(speaker), status=status.HTTP_201_CREATED)
        return Response(selectors.speakers_payload(hearing))

    @action(detail=True, methods=["post"], url_path="speakers/order")
    def speakers_order(self, request, pk=None):
        data = _parse(hearing_io.SpeakerOrderInput, request.data)
        hearing = services.speaker_reorder(
            actor=request.user, hearing=self.get_object(), order=data["order"]
        )
        return Response(selectors.speakers_payload(hearing))

    @extend_schema(operation_id="v1_hearings_speaker_action")
    @action(
        detail=True,
        methods=["post"],
        url_path=r"speakers/(?P<speaker_id>\d+)/(?P<verb>withdraw|floor|done)",
        url_name="speaker-action",
    )
    def speaker_action(self, request, pk=None, speaker_id=None, verb=None):
        hearing = self.get_object()
        speaker = get_object_or_404(SpeakerRequest, pk=speaker_id, hearing=hearing)
        if verb == "withdraw":
            speaker = services.speaker_withdraw(actor=request.user, speaker_request=speaker)
        elif verb == "floor":
            data = _parse(hearing_io.FloorInput, request.data)
            speaker = services.speaker_give_floor(
                actor=request.user, speaker_request=speaker, seconds=data["seconds"]
            )
        else:
            speaker = services.speaker_done(actor=request.user, speaker_request=speaker)
        return Response(selectors.speaker_payload(speaker))

    # --- manual counts ---

    @action(detail=True, methods=["get", "post"], url_path="manual-counts")
    def manual_counts(self, request, pk=None):
        hearing = self.get_object()
        if request.method == "POST":
            data = _parse(hearing_io.ManualCountInput, request.data)
            count = services.manual_count_enter(actor=request.user, hearing=hearing, **data)
            return Response(selectors.manual_count_payload(count), status=status.HTTP_201_CREATED)
        return Response(
            [selectors.manual_count_payload(c) for c in selectors.manual_counts_of(hearing)]
        )

    # --- screens and replay (display key or a reader of the hearing) ---

    def _hearing_for_key_or_reader(self, key: str):
        hearing = get_object_or_404(
            Hearing.objects.select_related("consultation"), pk=self.kwargs["pk"]
        )
        if key:
            if not secrets.compare_digest(key, hearing.display_key):
                raise NotAllowed(_("This screen's display key is not valid (any more)."))
            return hearing
        if not permissions.can_view_hearing(self.request.user, hearing):
            raise NotFound(_("No such hearing."))
        return hearing

    @action(detail=True, methods=["get", "post"])
    def screens(self, request, pk=None):
        """POST: a big screen's heartbeat (with its key); GET: connected screens, for the chair."""
        if request.method == "POST":
            data = _parse(hearing_io.HeartbeatInput, request.data)
            hearing = self._hearing_for_key_or_reader(data["key"])
            beat = services.screen_heartbeat(actor=request.user, hearing=hearing, **data)
            return Response(beat)
        hearing = self.get_object()
        if not permissions.can_run_hearing(request.user, hearing):
            raise NotAllowed(_("Only officials and moderators see the connected screens."))
        return Response(selectors.connected_screens(hearing))

    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """Replay over HTTP for clients without WebSocket: `?after=<last seen seq>`."""
        query = _parse(hearing_io.EventsQuery, request.query_params)
        hearing = self._hearing_for_key_or_reader(query.get("key", ""))
        page = events.events_after(hearing.stream, query["after"], limit=query["limit"])
        last_seq = events.current_seq(hearing.stream)
        next_after = page[-1]["seq"] if page else query["after"]
        return Response(
            {
                "stream": hearing.stream,
                "after": query["after"],
                "events": page,
                "next": next_after,
                "last_seq": last_seq,
                "has_more": next_after < last_seq,
            }
        )
