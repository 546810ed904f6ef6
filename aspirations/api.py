"""REST: proposals (+ support, decisions, versions, scores, comments, attachments, ranking),
the rekap downloads, and the lists officials keep (categories, criteria) and the areas."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import DomainViewSet
from accounts.authentication import MemberTokenAuthentication
from aspirations import (
    decisions,
    exports,
    forum,
    lists,
    payloads,
    selectors,
    serializers,
    services,
    supports,
)
from aspirations.filters import AspirationFilter
from aspirations.models import Aspiration, Attachment, Category, Criterion, Stage
from backend.converters import IdConverter
from backend.errors import NotFound
from backend.rest import errors
from comments.serializers import CommentOutput
from hearings.models import Hearing


class NewestFirstPagination(CursorPagination):
    """Newest first by id: a page deep in the list costs what the first does."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-id",)


# The ranking in the API stops here (the rekap downloads are the whole document).
RANKING_LIMIT = 1000

AREA_PARAMETERS = [
    OpenApiParameter(
        "stage", OpenApiTypes.STR, enum=list(Stage.values), description="Stage (default: kota)."
    ),
    OpenApiParameter("kecamatan", OpenApiTypes.INT, description="Area of the kecamatan stage."),
    OpenApiParameter("kelurahan", OpenApiTypes.INT, description="Area of the kelurahan stage."),
    OpenApiParameter("consultation", OpenApiTypes.INT),
]


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """Always a download, never rendered by the browser: a file someone uploaded cannot run
    as a page of this site."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@extend_schema_view(
    list=extend_schema(summary="List proposals (newest first), with filters"),
    retrieve=extend_schema(
        summary="Read a proposal", responses={200: serializers.AspirationDetailOutput}
    ),
)
class AspirationViewSet(DomainViewSet):
    """Proposals are public; writes go through aspirations.services."""

    lookup_value_regex = IdConverter.regex  # ids beyond a bigint: no route (404)
    serializer_class = serializers.AspirationOutput
    pagination_class = NewestFirstPagination
    filterset_class = AspirationFilter
    filter_backends = [DjangoFilterBackend]
    queryset = Aspiration.objects.none()  # for the schema; reads use get_queryset

    def get_queryset(self):
        return selectors.aspiration_list()

    def _aspiration(self) -> Aspiration:
        return selectors.aspiration_or_404(self.kwargs["pk"])

    def _detail(self, aspiration_id: int, *, code=status.HTTP_200_OK):
        aspiration = selectors.aspiration_for_page(aspiration_id)
        return self.answer(aspiration, serializers.AspirationDetailOutput, code=code)

    def list(self, request, *args, **kwargs):
        return self.answer_list(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self._aspiration().pk)

    @extend_schema(
        summary="Submit a proposal (JSON, or multipart with attachments)",
        request=serializers.AspirationInput,
        responses={201: serializers.AspirationDetailOutput},
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(serializers.AspirationInput)
        aspiration = services.aspiration_submit(actor=request.user, **data)
        return self._detail(aspiration.pk, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit one's proposal before its first decision (a new version)",
        request=serializers.AspirationEditInput,
        responses={200: serializers.AspirationDetailOutput},
    )
    def partial_update(self, request, *args, **kwargs):
        aspiration = self._aspiration()
        data = self.parse(serializers.AspirationEditInput)
        aspiration = services.aspiration_edit(actor=request.user, aspiration=aspiration, **data)
        return self._detail(aspiration.pk)

    @extend_schema(
        methods=["PUT"],
        summary="Support a proposal (for your organization, or as a citizen)",
        request=None,
        responses={200: serializers.SupportCountsOutput},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw your (organization's) support",
        responses={200: serializers.SupportCountsOutput},
    )
    @action(detail=True, methods=["put", "delete"], filter_backends=[], pagination_class=None)
    def support(self, request, pk=None):
        aspiration = self._aspiration()
        if request.method == "PUT":
            counts = supports.aspiration_support(actor=request.user, aspiration=aspiration)
        else:
            counts = supports.aspiration_unsupport(actor=request.user, aspiration=aspiration)
        return Response(counts)

    @extend_schema(
        methods=["GET"],
        summary="A proposal's decisions, oldest first (its timeline)",
        responses={200: serializers.DecisionOutput(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a decision at the proposal's stage (stage officials)",
        request=serializers.DecisionInput,
        responses={201: serializers.DecisionOutput},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def decisions(self, request, pk=None):
        aspiration = self._aspiration()
        if request.method == "GET":
            rows = aspiration.decisions.select_related("decided_by", "item").order_by(
                "decided_at", "id"
            )
            return Response(serializers.DecisionOutput(rows, many=True).data)
        data = self.parse(serializers.DecisionInput)
        decision = decisions.aspiration_decide(actor=request.user, aspiration=aspiration, **data)
        return Response(serializers.DecisionOutput(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Every version of a proposal, oldest first",
        responses={200: serializers.AspirationVersionOutput(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def versions(self, request, pk=None):
        aspiration = self._aspiration()
        versions = aspiration.versions.select_related("category", "kelurahan").order_by("number")
        return Response(serializers.AspirationVersionOutput(versions, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="The forum's scores of a proposal, at every stage",
        responses={200: serializers.ScoreOutput(many=True)},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Score a proposal 1–5 per criterion at its stage (stage officials)",
        request=serializers.ScoresInput,
        responses={200: serializers.ScoreOutput(many=True)},
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def scores(self, request, pk=None):
        aspiration = self._aspiration()
        if request.method == "GET":
            scores = aspiration.scores.select_related("criterion").order_by(
                "stage", "criterion__position", "criterion__name"
            )
            return Response(serializers.ScoreOutput(scores, many=True).data)
        data = self.parse(serializers.ScoresInput)
        entries = [(entry["criterion"], entry["value"]) for entry in data["scores"]]
        scores = decisions.aspiration_score(
            actor=request.user, aspiration=aspiration, scores=entries
        )
        return Response(serializers.ScoreOutput(scores, many=True).data)

    @extend_schema(
        summary="Put a proposal on a forum hearing's agenda (officials of its stage and area)",
        request=serializers.ForumAgendaInput,
        responses={201: serializers.ForumProposalOutput},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def agenda(self, request, pk=None):
        aspiration = self._aspiration()
        data = self.parse(serializers.ForumAgendaInput)
        link = forum.forum_agenda_add(actor=request.user, aspiration=aspiration, **data)
        return Response(payloads.proposal(link), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Take a proposal off a forum hearing's agenda", request=None, responses={204: None}
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"agenda/(?P<hearing_id>{IdConverter.regex})",
        url_name="agenda-remove",
        filter_backends=[],
        pagination_class=None,
    )
    def agenda_remove(self, request, pk=None, hearing_id=None):
        aspiration = self._aspiration()
        hearing = Hearing.objects.filter(pk=int(hearing_id)).first()
        if hearing is None:
            raise NotFound(_("No hearing has that id."))
        forum.forum_agenda_remove(actor=request.user, hearing=hearing, aspiration=aspiration)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary="Comments on a proposal, oldest first",
        responses={200: CommentOutput(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Comment on a proposal (the comment system's rules and moderation)",
        request=serializers.AspirationCommentInput,
        responses={201: CommentOutput, **errors(429)},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def comments(self, request, pk=None):
        aspiration = self._aspiration()
        context = self.get_serializer_context()
        if request.method == "GET":
            comments = selectors.comments_of(request.user, aspiration)
            return Response(CommentOutput(comments, many=True, context=context).data)
        data = self.parse(serializers.AspirationCommentInput)
        comment = services.aspiration_comment(actor=request.user, aspiration=aspiration, **data)
        return Response(CommentOutput(comment, context=context).data, status=201)

    @extend_schema(
        summary="Download an attachment of a proposal",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as a download."
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"attachments/(?P<attachment_id>{IdConverter.regex})",
        url_name="attachment",
        filter_backends=[],
        pagination_class=None,
    )
    def attachment(self, request, pk=None, attachment_id=None):
        aspiration = self._aspiration()
        file = Attachment.objects.filter(aspiration=aspiration, pk=int(attachment_id)).first()
        if file is None:
            raise NotFound(_("Attachment not found."))
        return _download(bytes(file.data), file.content_type, file.name)

    @extend_schema(
        summary="The ranking (skala prioritas) of a stage and area, with scores (top 1000)",
        parameters=AREA_PARAMETERS,
        filters=False,
        responses={200: serializers.RankingRowOutput(many=True)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def ranking(self, request):
        rekap = exports.rekap_for(request.query_params)
        rows = [
            {
                "rank": rank,
                "score": aspiration.stage_score,
                "scores": aspiration.stage_scores,
                "aspiration": aspiration,
            }
            for rank, aspiration in enumerate(rekap.rows()[:RANKING_LIMIT], start=1)
        ]
        context = self.get_serializer_context()
        return Response(serializers.RankingRowOutput(rows, many=True, context=context).data)


class RekapView(APIView):
    """The stage's rekap usulan for an area, as a download (anyone: it is public data)."""

    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]
    format_name = "xlsx"

    @extend_schema(
        summary="Rekap usulan of a stage and area (XLSX or CSV)",
        parameters=AREA_PARAMETERS,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The rekap, as a download."
            )
        },
    )
    def get(self, request):
        rekap = exports.rekap_for(request.query_params)
        if self.format_name == "csv":
            return _download(exports.csv_bytes(rekap), exports.CSV_TYPE, rekap.filename("csv"))
        return _download(exports.xlsx_bytes(rekap), exports.XLSX_TYPE, rekap.filename("xlsx"))


@extend_schema_view(list=extend_schema(summary="List the categories of proposals"))
class CategoryViewSet(DomainViewSet):
    lookup_value_regex = IdConverter.regex  # ids beyond a bigint: no route (404)
    serializer_class = serializers.CategoryOutput
    filter_backends = []
    queryset = Category.objects.order_by("position", "name")

    def list(self, request):
        return self.answer_list(self.get_queryset())

    @extend_schema(
        summary="Add a category (officials)",
        request=serializers.CategoryInput,
        responses={201: serializers.CategoryOutput},
    )
    def create(self, request):
        data = self.parse(serializers.CategoryInput)
        category = lists.category_create(actor=request.user, **data)
        return self.answer(category, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a category or stop offering it (officials)",
        request=serializers.CategoryEditInput,
        responses={200: serializers.CategoryOutput},
    )
    def partial_update(self, request, pk=None):
        category = self.get_object()
        data = self.parse(serializers.CategoryEditInput)
        return self.answer(lists.category_update(actor=request.user, category=category, **data))


@extend_schema_view(list=extend_schema(summary="List the scoring criteria"))
class CriterionViewSet(DomainViewSet):
    lookup_value_regex = IdConverter.regex  # ids beyond a bigint: no route (404)
    serializer_class = serializers.CriterionOutput
    filter_backends = []
    queryset = Criterion.objects.order_by("position", "name")

    def list(self, request):
        return self.answer_list(self.get_queryset())

    @extend_schema(
        summary="Add a scoring criterion (officials)",
        request=serializers.CriterionInput,
        responses={201: serializers.CriterionOutput},
    )
    def create(self, request):
        data = self.parse(serializers.CriterionInput)
        criterion = lists.criterion_create(actor=request.user, **data)
        return self.answer(criterion, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a scoring criterion or retire it (officials)",
        request=serializers.CategoryEditInput,
        responses={200: serializers.CriterionOutput},
    )
    def partial_update(self, request, pk=None):
        criterion = self.get_object()
        data = self.parse(serializers.CategoryEditInput)
        return self.answer(lists.criterion_update(actor=request.user, criterion=criterion, **data))


@extend_schema_view(list=extend_schema(summary="The kecamatan and kelurahan of the city"))
class AreaViewSet(DomainViewSet):
    serializer_class = serializers.KecamatanOutput
    filter_backends = []

    def get_queryset(self):
        return selectors.areas()

    def list(self, request):
        return self.answer_list(self.get_queryset())
