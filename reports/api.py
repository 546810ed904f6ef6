"""HTTP endpoints of the exports and the Berita Acara (plain paths under /api/v1/).

Thin: check, build the Export, hand its bytes to a streaming response.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.views import APIView

from accounts import permissions as accounts_permissions
from accounts.authentication import MemberTokenAuthentication
from backend.errors import NotAllowed, NotFound
from backend.rest import errors
from consultations import selectors
from hearings.models import Hearing
from reports import exports, exports_xlsx, minutes, permissions

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _consultation(request, pk):
    try:
        return selectors.consultations_visible_to(request.user).get(pk=pk)
    except Exception as exc:  # noqa: BLE001 - DoesNotExist or a bad id: the same 404
        raise NotFound(_("Consultation not found.")) from exc


def _streamable(request, chunks):
    """Under ASGI hand Django an async iterator, else it would buffer the whole export."""
    raw = getattr(request, "_request", request)
    if not isinstance(raw, ASGIRequest):
        return chunks
    return _async_chunks(iter(chunks))


async def _async_chunks(iterator):
    done = object()
    step = sync_to_async(lambda: next(iterator, done), thread_sensitive=True)
    try:
        while (chunk := await step()) is not done:
            yield chunk
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=True)()


EXPORT_PARAMETERS = [
    OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH),
    OpenApiParameter(
        "include",
        OpenApiTypes.STR,
        description="Moderators only: also export `pending`, `hidden`, `rejected` comments "
        "(comma-separated).",
    ),
    OpenApiParameter("section", OpenApiTypes.INT),
    OpenApiParameter("item", OpenApiTypes.INT),
    OpenApiParameter("stance", OpenApiTypes.STR, many=True),
    OpenApiParameter("status", OpenApiTypes.STR, many=True, description="Moderators only."),
    OpenApiParameter("has_response", OpenApiTypes.BOOL),
    OpenApiParameter("top_level", OpenApiTypes.BOOL),
    OpenApiParameter("organization", OpenApiTypes.INT),
    OpenApiParameter("hearing", OpenApiTypes.INT),
    OpenApiParameter("q", OpenApiTypes.STR),
    OpenApiParameter("created_after", OpenApiTypes.DATETIME),
    OpenApiParameter("created_before", OpenApiTypes.DATETIME),
]


class SignInFirstView(APIView):
    """As the rest of the API: an anonymous caller is asked to sign in (401), not refused (403)."""

    authentication_classes = [MemberTokenAuthentication, SessionAuthentication]

    def handle_exception(self, exc):
        if isinstance(exc, NotAllowed) and not accounts_permissions.is_authenticated(
            self.request.user
        ):
            exc = NotAuthenticated()
        return super().handle_exception(exc)


class ConsultationExport(SignInFirstView):
    """GET consultations/{id}/export.{csv,xlsx,json}: planners, officials, moderators."""

    format_name = "csv"

    @extend_schema(
        summary="Export the consultation's comments, responses and tallies (docs/EXPORTS.md)",
        parameters=EXPORT_PARAMETERS,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV export"),
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="JSON export, schema version 1"
            ),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(
                OpenApiTypes.BINARY, description="XLSX workbook"
            ),
            **errors(401, 403),
        },
    )
    def get(self, request, pk):
        consultation = _consultation(request, pk)
        export = exports.prepare(
            user=request.user, consultation=consultation, params=request.GET, request=request
        )
        extension = self.format_name
        if extension == "xlsx":
            handle, sha256, size = exports_xlsx.xlsx_file(export)
            exports.remember_checksum(export, sha256, size, extension)
            response = FileResponse(handle, as_attachment=True, filename=export.filename(extension))
            response["Content-Type"] = CONTENT_TYPES[extension]
            response["X-Export-SHA256"] = sha256
        else:
            chunks = (
                exports.csv_chunks(export) if extension == "csv" else exports.json_chunks(export)
            )
            response = StreamingHttpResponse(
                _streamable(request, exports.checksummed(export, chunks, extension)),
                content_type=CONTENT_TYPES[extension],
            )
            response["Content-Disposition"] = f'attachment; filename="{export.filename(extension)}"'
        for name, value in exports.totals_header(export).items():
            response[name] = value
        sidecar = f"export.{extension}.sha256?export={export.id}"
        response["Link"] = f'<{sidecar}>; rel="describedby"; type="text/plain"'
        response["Cache-Control"] = "no-store"
        return response


class ConsultationExportChecksum(SignInFirstView):
    """GET consultations/{id}/export.{fmt}.sha256?export=<X-Export-Id>: `sha256sum -c` format."""

    format_name = "csv"

    @extend_schema(
        summary="SHA-256 of a finished export, in `sha256sum` format",
        parameters=[
            OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("export", OpenApiTypes.STR, required=True),
        ],
        responses={(200, "text/plain"): OpenApiTypes.STR, **errors(401, 403)},
    )
    def get(self, request, pk):
        consultation = _consultation(request, pk)
        if not permissions.can_export_consultation(request.user, consultation):
            raise NotAllowed(_("Only planners, officials and moderators may export consultations."))
        entry = exports.stored_checksum(
            request.GET.get("export", ""), consultation, self.format_name
        )
        if entry is None:
            raise NotFound(
                _(
                    "No finished export with this id: the checksum is known once the "
                    "download has completed, for 24 hours."
                )
            )
        response = HttpResponse(
            f"{entry['sha256']}  {entry['filename']}\n", content_type="text/plain; charset=utf-8"
        )
        response["X-Export-Bytes"] = str(entry["bytes"])
        return response


class HearingMinutesDocx(SignInFirstView):
    """GET hearings/{id}/minutes.docx: the Berita Acara as Word, for officials and planners."""

    @extend_schema(
        summary="Berita Acara of the hearing as Word",
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, minutes.DOCX_CONTENT_TYPE): OpenApiTypes.BINARY, **errors(401, 403)},
    )
    def get(self, request, pk):
        if not permissions.can_view_minutes(request.user):
            raise NotAllowed(_("Only officials and planners may download the minutes."))
        hearing = get_object_or_404(Hearing.objects.select_related("consultation__agency"), pk=pk)
        content = minutes.minutes_docx(minutes.build(hearing=hearing, user=request.user))
        response = HttpResponse(content, content_type=minutes.DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="berita-acara-{hearing.pk}.docx"'
        return response
