"""REST: a consultation's themes and duplicate groups (+ refresh, answer all at once) and the
import of written submissions (docs/ANALYSIS.md)."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api import DomainViewSet
from analysis import permissions, selectors, serializers, services, tasks
from backend.errors import NotAllowed, NotFound
from backend.rest import errors
from comments import permissions as comments_permissions
from consultations import selectors as consultations_selectors

CONSULTATION = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)
FLAG = ("1", "true", "yes", "on")


class AnalysisViewSet(DomainViewSet):
    """Themes and duplicate groups: read by planners, officials and moderators."""

    pagination_class = None
    filter_backends = []

    def consultation(self, pk: int):
        """The consultation if the caller may see it (404) and read its analysis (403)."""
        consultation = get_object_or_404(
            consultations_selectors.consultations_visible_to(self.request.user), pk=pk
        )
        if not permissions.can_view_analysis(self.request.user, consultation):
            raise NotAllowed(_("Only planners, officials and moderators see the analysis."))
        return consultation

    @extend_schema(
        summary="A consultation's themes",
        parameters=[CONSULTATION],
        responses={200: serializers.ThemesOutput, **errors(401, 403)},
    )
    def themes(self, request, pk: int):
        return Response(selectors.themes(self.consultation(pk)))

    @extend_schema(
        summary="A consultation's duplicate and campaign groups",
        parameters=[CONSULTATION],
        responses={200: serializers.DuplicateGroupsOutput, **errors(401, 403)},
    )
    def duplicate_groups(self, request, pk: int):
        return Response(selectors.duplicate_groups(self.consultation(pk)))

    @extend_schema(
        summary="Recompute the themes and groups now (queued; 202)",
        parameters=[CONSULTATION],
        request=None,
        responses={202: serializers.RefreshOutput},
    )
    def refresh(self, request, pk: int):
        analysis = services.analysis_request(actor=request.user, consultation=self.consultation(pk))
        transaction.on_commit(lambda: tasks.analyze_now(analysis.consultation_id))
        return Response({"status": analysis.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Answer every comment of a theme at once (tanggapan)",
        parameters=[CONSULTATION, OpenApiParameter("theme_id", OpenApiTypes.INT, "path")],
        request=serializers.RespondAllInput,
        responses={200: serializers.RespondAllOutput},
    )
    def respond_theme(self, request, pk: int, theme_id: int):
        theme = selectors.theme_in(self.consultation(pk), theme_id)
        if theme is None:
            raise NotFound(_("Theme not found (the analysis may have been recomputed)."))
        data = self.parse(serializers.RespondAllInput)
        answered = services.theme_respond(actor=request.user, theme=theme, **data)
        return Response({"answered": answered})

    @extend_schema(
        summary="Answer every comment of a duplicate group (a campaign) at once",
        parameters=[CONSULTATION, OpenApiParameter("group_id", OpenApiTypes.INT, "path")],
        request=serializers.RespondAllInput,
        responses={200: serializers.RespondAllOutput},
    )
    def respond_group(self, request, pk: int, group_id: int):
        group = selectors.group_in(self.consultation(pk), group_id)
        if group is None:
            raise NotFound(_("Group not found (the analysis may have been recomputed)."))
        data = self.parse(serializers.RespondAllInput)
        answered = services.group_respond(actor=request.user, group=group, **data)
        return Response({"answered": answered})


class CommentImportViewSet(DomainViewSet):
    """Written submissions from a CSV or XLSX file (officials and planners)."""

    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="Import written submissions (paper forms, letters, e-mails)",
        parameters=[
            CONSULTATION,
            OpenApiParameter(
                "skip_invalid",
                OpenApiTypes.BOOL,
                description="Import the valid rows and report the others (default: a file "
                "with a bad row imports nothing).",
            ),
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, description="Check every row, import none."
            ),
        ],
        request={"multipart/form-data": serializers.ImportInput},
        responses={
            201: serializers.ImportOutput,
            200: serializers.ImportOutput,
            400: serializers.ImportOutput,
        },
    )
    def create(self, request, pk: int):
        consultation = get_object_or_404(
            consultations_selectors.consultations_visible_to(request.user), pk=pk
        )
        # Refused before the body is parsed: a stranger learns nothing about the file rules.
        if not comments_permissions.can_record_written_comments(request.user):
            raise NotAllowed(_("Only officials and planners may import written submissions."))
        data = self.parse(serializers.ImportInput)
        result = services.comment_import(
            actor=request.user,
            consultation=consultation,
            upload=data["file"],
            skip_invalid=request.query_params.get("skip_invalid", "").lower() in FLAG,
            dry_run=request.query_params.get("dry_run", "").lower() in FLAG,
        )
        if result.rejected:
            code = status.HTTP_400_BAD_REQUEST
        elif result.imported:
            code = status.HTTP_201_CREATED
        else:
            code = status.HTTP_200_OK
        return Response(result.answer(), status=code)
