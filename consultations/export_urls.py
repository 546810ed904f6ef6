"""Plain paths under /api/v1/ for the exports and the Berita Acara (issue 6)."""

from django.urls import path

from consultations import export_api

urlpatterns = [
    path(
        "consultations/<int:pk>/export.csv",
        export_api.ConsultationExport.as_view(format_name="csv"),
        name="consultation-export-csv",
    ),
    path(
        "consultations/<int:pk>/export.xlsx",
        export_api.ConsultationExport.as_view(format_name="xlsx"),
        name="consultation-export-xlsx",
    ),
    path(
        "consultations/<int:pk>/export.json",
        export_api.ConsultationExport.as_view(format_name="json"),
        name="consultation-export-json",
    ),
    path(
        "consultations/<int:pk>/export.csv.sha256",
        export_api.ConsultationExportChecksum.as_view(format_name="csv"),
        name="consultation-export-csv-sha256",
    ),
    path(
        "consultations/<int:pk>/export.xlsx.sha256",
        export_api.ConsultationExportChecksum.as_view(format_name="xlsx"),
        name="consultation-export-xlsx-sha256",
    ),
    path(
        "consultations/<int:pk>/export.json.sha256",
        export_api.ConsultationExportChecksum.as_view(format_name="json"),
        name="consultation-export-json-sha256",
    ),
    path(
        "hearings/<int:pk>/minutes.docx",
        export_api.HearingMinutesDocx.as_view(),
        name="hearing-minutes-docx",
    ),
]
