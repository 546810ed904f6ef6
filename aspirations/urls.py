"""Aspiration routes: `api_urlpatterns` go under /api/v1/ (backend/api.py, before the router:
the rekap downloads), the rest are pages under /aspirasi/."""

from django.urls import path

from aspirations import api, views

api_urlpatterns = [
    path(
        "aspirations/rekap.xlsx",
        api.RekapView.as_view(format_name="xlsx"),
        name="aspiration-rekap-xlsx",
    ),
    path(
        "aspirations/rekap.csv",
        api.RekapView.as_view(format_name="csv"),
        name="aspiration-rekap-csv",
    ),
]

urlpatterns = [
    path("aspirasi/", views.aspiration_list, name="aspirations"),
    path("aspirasi/baru/", views.aspiration_new, name="aspiration-new"),
    path("aspirasi/saya/", views.my_aspirations, name="my-aspirations"),
    path("aspirasi/triase/", views.triage, name="aspiration-triage"),
    path("aspirasi/peringkat/", views.ranking, name="aspiration-ranking"),
    path("aspirasi/program/<id:item_id>/", views.programme, name="programme-aspirations"),
    path("aspirasi/<id:pk>/", views.aspiration_page, name="aspiration-page"),
    path("aspirasi/<id:pk>/ubah/", views.aspiration_edit, name="aspiration-edit"),
    path("aspirasi/<id:pk>/versi/", views.aspiration_versions, name="aspiration-versions"),
    path("aspirasi/<id:pk>/dukung/", views.aspiration_support, name="aspiration-support-page"),
    path("aspirasi/<id:pk>/putuskan/", views.aspiration_decide, name="aspiration-decide-page"),
    path("aspirasi/<id:pk>/skor/", views.aspiration_score, name="aspiration-score-page"),
]
