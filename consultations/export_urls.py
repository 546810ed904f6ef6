"""Plain paths under /api/v1/ for the exports and the Berita Acara (issue 6)."""

from django.urls import path

from consultations import export_api

FORMATS = ("csv", "xlsx", "json")

urlpatterns = [
    *(
        path(
            f"consultations/<int:pk>/export.{fmt}",
            export_api.ConsultationExport.as_view(format_name=fmt),
            name=f"consultation-export-{fmt}",
        )
        for fmt in FORMATS
    ),
    *(
        path(
            f"consultations/<int:pk>/export.{fmt}.sha256",
            export_api.ConsultationExportChecksum.as_view(format_name=fmt),
            name=f"consultation-export-{fmt}-sha256",
        )
        for fmt in FORMATS
    ),
    path(
        "hearings/<int:pk>/minutes.docx",
        export_api.HearingMinutesDocx.as_view(),
        name="hearing-minutes-docx",
    ),
]
