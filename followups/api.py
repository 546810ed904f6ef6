"""REST: record a follow-up (officials) and read a consultation's follow-ups (anyone)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import CursorPagination

from accounts.api import DomainViewSet
from aspirations.models import Aspiration
from backend.errors import Invalid, require
from comments.models import Response
from consultations.models import Consultation, Item
from followups import permissions, selectors, serializers, services

CONSULTATION_PK = OpenApiParameter("consultation_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


class OldestFirstPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("recorded_at", "id")


def _one(model, pk, field: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Invalid(_("Not found."), field=field)
    return found


class FollowUpViewSet(DomainViewSet):
    """`POST follow-ups/`: an official records the progress of an accepted input."""

    serializer_class = serializers.FollowUpOutput
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="Record a follow-up (tindak lanjut) on an accepted input",
        request=serializers.FollowUpInput,
        responses={201: serializers.FollowUpOutput},
    )
    def create(self, request):
        # Who may ask comes before what was asked: a citizen gets 403, not a 400 on an id.
        require(
            permissions.can_record_follow_up(request.user),
            _("Only officials record follow-ups."),
        )
        data = self.parse(serializers.FollowUpInput)
        consultation = _one(Consultation, data["consultation"], "consultation")
        follow_up = services.follow_up_record(
            actor=request.user,
            consultation=consultation,
            response=_one(Response, data.get("response"), "response"),
            item=_one(Item, data.get("item"), "item"),
            aspiration=_one(Aspiration, data.get("proposal"), "proposal"),
            status=data["status"],
            progress=data["progress"],
            note=data["note"],
            link=data.get("link", ""),
        )
        return self.answer(follow_up, code=status.HTTP_201_CREATED)


class ConsultationFollowUpViewSet(DomainViewSet):
    """`GET consultations/{id}/follow-ups/`: every follow-up row, oldest first, public for a
    published consultation (a draft: 404)."""

    serializer_class = serializers.FollowUpOutput
    pagination_class = OldestFirstPagination
    filter_backends = []

    @extend_schema(
        summary="A consultation's follow-ups (oldest first, cursor-paginated)",
        parameters=[CONSULTATION_PK],
    )
    def list(self, request, consultation_pk=None):
        consultation = selectors.public_consultation(consultation_pk)
        return self.answer_list(selectors.follow_ups_of(consultation))
