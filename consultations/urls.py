from django.urls import path

from consultations import feedback_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "consultations/<int:consultation_id>/dashboard/",
        feedback_views.dashboard,
        name="consultation-dashboard",
    ),
    path(
        "consultations/<int:consultation_id>/report/",
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
