"""Report routes: `api_urlpatterns` go under /api/v1/ (exports, Berita Acara as .docx), the
rest are pages (dashboard, final report, Berita Acara)."""

from django.urls import path

from reports import api, opendata_views, views

FORMATS = ("csv", "xlsx", "json")

api_urlpatterns = [
    *(
        path(
            f"consultations/<id:pk>/export.{fmt}",
            api.ConsultationExport.as_view(format_name=fmt),
            name=f"consultation-export-{fmt}",
        )
        for fmt in FORMATS
    ),
    *(
        path(
            f"consultations/<id:pk>/export.{fmt}.sha256",
            api.ConsultationExportChecksum.as_view(format_name=fmt),
            name=f"consultation-export-{fmt}-sha256",
        )
        for fmt in FORMATS
    ),
    path(
        "hearings/<id:pk>/minutes.docx",
        api.HearingMinutesDocx.as_view(),
        name="hearing-minutes-docx",
    ),
    path("open-data/", opendata_views.OpenDataCatalogue.as_view(), name="open-data-catalogue"),
]

urlpatterns = [
    path("dasbor/", views.dashboards, name="dashboards"),
    path(
        "konsultasi/<id:consultation_id>/dasbor/",
        views.dashboard,
        name="consultation-dashboard",
    ),
    path(
        "konsultasi/<id:consultation_id>/laporan-akhir/",
        views.final_report,
        name="consultation-final-report",
    ),
    path("hearings/<id:hearing_id>/minutes/", views.minutes_page, name="hearing-minutes"),
    # Open data: stable public URLs (docs/OPEN_DATA.md).
    path("data/", opendata_views.catalogue, name="open-data"),
    path(
        "data/konsultasi/<id:consultation_id>/datapackage.json",
        opendata_views.datapackage,
        name="open-data-package",
    ),
    path(
        "data/konsultasi/<id:consultation_id>/<slug:name>.csv",
        opendata_views.resource_csv,
        name="open-data-resource",
    ),
    path(
        "hearings/<id:hearing_id>/minutes/agreements/",
        views.minutes_agreements,
        name="hearing-minutes-agreements",
    ),
]
