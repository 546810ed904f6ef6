"""Analysis routes: `api_urlpatterns` go under /api/v1/, the rest are the planner's pages."""

from django.urls import path

from analysis import api, views

api_urlpatterns = [
    path(
        "consultations/<id:pk>/themes/",
        api.AnalysisViewSet.as_view({"get": "themes"}),
        name="consultation-themes",
    ),
    path(
        "consultations/<id:pk>/themes/refresh/",
        api.AnalysisViewSet.as_view({"post": "refresh"}),
        name="consultation-themes-refresh",
    ),
    path(
        "consultations/<id:pk>/themes/<id:theme_id>/respond/",
        api.AnalysisViewSet.as_view({"post": "respond_theme"}),
        name="consultation-theme-respond",
    ),
    path(
        "consultations/<id:pk>/duplicate-groups/",
        api.AnalysisViewSet.as_view({"get": "duplicate_groups"}),
        name="consultation-duplicate-groups",
    ),
    path(
        "consultations/<id:pk>/duplicate-groups/<id:group_id>/respond/",
        api.AnalysisViewSet.as_view({"post": "respond_group"}),
        name="consultation-duplicate-group-respond",
    ),
    path(
        "consultations/<id:pk>/comment-imports/",
        api.CommentImportViewSet.as_view({"post": "create"}),
        name="consultation-comment-imports",
    ),
]

urlpatterns = [
    path(
        "konsultasi/<id:pk>/masukan-tertulis/",
        views.comment_import,
        name="consultation-comment-import",
    ),
    path(
        "konsultasi/<id:pk>/tema/<id:theme_id>/tanggapan/",
        views.theme_respond,
        name="consultation-theme-respond-page",
    ),
    path(
        "konsultasi/<id:pk>/kelompok/<id:group_id>/tanggapan/",
        views.group_respond,
        name="consultation-group-respond-page",
    ),
    path(
        "konsultasi/<id:pk>/analisis/perbarui/",
        views.refresh,
        name="consultation-analysis-refresh",
    ),
]
