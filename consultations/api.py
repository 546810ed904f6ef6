"""REST: consultations (+ publish/close/conclude), sections, versions, items."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.api import CONSULTATION_PK, VERSION_QUERY, DomainViewSet
from backend.errors import Invalid
from consultations import permissions, selectors, serializers, services
from consultations.filters import ConsultationFilter
from consultations.models import DraftVersion, Item, Section


@extend_schema_view(list=extend_schema(summary="List consultations"))
class ConsultationViewSet(DomainViewSet):
    """Drafts are seen only by officials, planners and moderators."""

    serializer_class = serializers.ConsultationOutput
    filterset_class = ConsultationFilter

    def get_queryset(self):
        return selectors.consultations_visible_to(self.request.user)

    def list(self, request):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    @extend_schema(
        summary="Read a consultation", responses={200: serializers.ConsultationDetailOutput}
    )
    def retrieve(self, request, pk=None):
        return self.answer(self.get_object(), serializers.ConsultationDetailOutput)

    @extend_schema(
        summary="Create a consultation (as a draft)",
        request=serializers.ConsultationInput,
        responses={201: serializers.ConsultationDetailOutput},
    )
    def create(self, request):
        data = self.parse(serializers.ConsultationInput)
        consultation = services.consultation_create(actor=request.user, **data)
        return self.answer(
            consultation, serializers.ConsultationDetailOutput, code=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Replace a consultation's fields",
        request=serializers.ConsultationInput,
        responses={200: serializers.ConsultationDetailOutput},
    )
    def update(self, request, pk=None):
        return self._update(partial=False)

    @extend_schema(
        summary="Update some of a consultation's fields",
        request=serializers.ConsultationInput,
        responses={200: serializers.ConsultationDetailOutput},
    )
    def partial_update(self, request, pk=None):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        consultation = self.get_object()
        data = self.parse(serializers.ConsultationInput, partial=partial)
        consultation = services.consultation_update(
            actor=self.request.user, consultation=consultation, **data
        )
        return self.answer(consultation, serializers.ConsultationDetailOutput)

    @extend_schema(
        summary="Publish a draft consultation (status open)",
        request=None,
        responses={200: serializers.ConsultationDetailOutput},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        consultation = services.consultation_publish(
            actor=request.user, consultation=self.get_object()
        )
        return self.answer(consultation, serializers.ConsultationDetailOutput)

    @extend_schema(
        summary="Close an open consultation now, for good (before its closing time: with a reason)",
        request=serializers.CloseInput,
        responses={200: serializers.ConsultationDetailOutput},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        consultation = self.get_object()
        data = self.parse(serializers.CloseInput)
        consultation = services.consultation_close(
            actor=request.user, consultation=consultation, reason=data["reason"]
        )
        return self.answer(consultation, serializers.ConsultationDetailOutput)

    @extend_schema(
        summary="Conclude a closed consultation",
        request=None,
        responses={200: serializers.ConsultationDetailOutput},
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        consultation = services.consultation_conclude(
            actor=request.user, consultation=self.get_object()
        )
        return self.answer(consultation, serializers.ConsultationDetailOutput)


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
    list=extend_schema(
        summary="List the sections of a version", parameters=[CONSULTATION_PK, VERSION_QUERY]
    ),
    retrieve=extend_schema(summary="Read a section", parameters=[CONSULTATION_PK]),
    create=extend_schema(
        summary="Add a section",
        parameters=[CONSULTATION_PK],
        request=serializers.SectionInput,
        responses={201: serializers.SectionOutput},
    ),
    update=extend_schema(
        summary="Replace a section",
        parameters=[CONSULTATION_PK],
        request=serializers.SectionInput,
        responses={200: serializers.SectionOutput},
    ),
    partial_update=extend_schema(
        summary="Update a section",
        parameters=[CONSULTATION_PK],
        request=serializers.SectionInput,
        responses={200: serializers.SectionOutput},
    ),
    destroy=extend_schema(
        summary="Delete a section", parameters=[CONSULTATION_PK], responses={204: None}
    ),
)
class SectionViewSet(ConsultationChildViewSet):
    """Sections of one version; `changes` shows what changed since the previous version."""

    serializer_class = serializers.SectionOutput
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
        data = self.parse(serializers.SectionInput)
        section = services.section_add(actor=request.user, consultation=consultation, **data)
        return self.answer(section, code=status.HTTP_201_CREATED)

    def update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=False)

    def partial_update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        section = self.get_object()
        data = self.parse(serializers.SectionInput, partial=partial)
        section = services.section_update(actor=self.request.user, section=section, **data)
        return self.answer(section)

    def destroy(self, request, consultation_pk=None, pk=None):
        services.section_delete(actor=request.user, section=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="List a consultation's versions", parameters=[CONSULTATION_PK]),
    retrieve=extend_schema(summary="Read a version", parameters=[CONSULTATION_PK]),
    create=extend_schema(
        summary="Start a new draft version",
        parameters=[CONSULTATION_PK],
        request=serializers.VersionInput,
        responses={201: serializers.VersionOutput},
    ),
    publish=extend_schema(
        summary="Publish a draft version",
        parameters=[CONSULTATION_PK],
        request=None,
        responses={200: serializers.VersionOutput},
    ),
)
class VersionViewSet(ConsultationChildViewSet):
    """Draft versions: start a new one while open, edit its sections, then publish it."""

    serializer_class = serializers.VersionOutput
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
        data = self.parse(serializers.VersionInput)
        version = services.version_start(actor=request.user, consultation=consultation, **data)
        return self.answer(version, code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def publish(self, request, consultation_pk=None, number=None):
        version = services.version_publish(actor=request.user, version=self.get_object())
        return self.answer(version)


@extend_schema_view(
    list=extend_schema(summary="List a consultation's votable items", parameters=[CONSULTATION_PK]),
    retrieve=extend_schema(summary="Read an item", parameters=[CONSULTATION_PK]),
    create=extend_schema(
        summary="Add an item",
        parameters=[CONSULTATION_PK],
        request=serializers.ItemInput,
        responses={201: serializers.ItemOutput},
    ),
    update=extend_schema(
        summary="Replace an item",
        parameters=[CONSULTATION_PK],
        request=serializers.ItemInput,
        responses={200: serializers.ItemOutput},
    ),
    partial_update=extend_schema(
        summary="Update an item",
        parameters=[CONSULTATION_PK],
        request=serializers.ItemInput,
        responses={200: serializers.ItemOutput},
    ),
    destroy=extend_schema(
        summary="Delete an item", parameters=[CONSULTATION_PK], responses={204: None}
    ),
)
class ConsultationItemViewSet(ConsultationChildViewSet):
    """Votable items of one consultation; they change only while it is a draft."""

    serializer_class = serializers.ItemOutput
    queryset = Item.objects.none()

    def get_queryset(self):
        return selectors.items_of(self.get_consultation())

    def list(self, request, consultation_pk=None):
        return self.answer_list(self.get_queryset())

    def retrieve(self, request, consultation_pk=None, pk=None):
        return self.answer(self.get_object())

    def create(self, request, consultation_pk=None):
        consultation = self.get_consultation()
        data = self.parse(serializers.ItemInput)
        item = services.item_add(actor=request.user, consultation=consultation, **data)
        return self.answer(item, code=status.HTTP_201_CREATED)

    def update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=False)

    def partial_update(self, request, consultation_pk=None, pk=None):
        return self._update(partial=True)

    def _update(self, *, partial: bool):
        item = self.get_object()
        data = self.parse(serializers.ItemInput, partial=partial)
        item = services.item_update(actor=self.request.user, item=item, **data)
        return self.answer(item)

    def destroy(self, request, consultation_pk=None, pk=None):
        services.item_delete(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(retrieve=extend_schema(summary="Read an item by its own id"))
class ItemViewSet(DomainViewSet):
    """`items/{id}/`: an item by its own id (votes and tallies hang below it)."""

    serializer_class = serializers.ItemOutput
    filter_backends = []

    def get_queryset(self):
        visible = selectors.consultations_visible_to(self.request.user)
        return Item.objects.filter(consultation__in=visible.values("pk"))

    def retrieve(self, request, pk=None):
        return self.answer(self.get_object())
