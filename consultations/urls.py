from django.urls import path

from consultations import feedback_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("konsultasi/", views.consultation_list, name="consultation-list"),
    path("konsultasi/<int:pk>/", views.consultation_detail, name="consultation-detail"),
    path("organisasi/daftar/", views.organization_register, name="organization-register"),
    path("organisasi/saya/", views.my_organization, name="my-organization"),
    path(
        "konsultasi/<int:consultation_id>/dasbor/",
        feedback_views.dashboard,
        name="consultation-dashboard",
    ),
    path(
        "konsultasi/<int:consultation_id>/laporan-akhir/",
        feedback_views.final_report,
        name="consultation-final-report",
    ),
    path("hearings/<int:hearing_id>/minutes/", feedback_views.minutes_page, name="hearing-minutes"),
    path(
        "hearings/<int:hearing_id>/minutes/agreements/",
        feedback_views.minutes_agreements,
        name="hearing-minutes-agreements",
    ),
]
