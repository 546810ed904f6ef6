from django.urls import path

from realtime import views

urlpatterns = [
    path("hearings/", views.hearing_list, name="hearing-list"),
    path("hearings/<id:hearing_id>/", views.hearing_room, name="hearing-room"),
    path("hearings/<id:hearing_id>/check-in/", views.hearing_check_in, name="hearing-check-in"),
    path("hearings/<id:hearing_id>/screen/", views.hearing_screen, name="hearing-screen"),
    path(
        "hearings/<id:hearing_id>/screen/qr.svg",
        views.hearing_screen_qr,
        name="hearing-screen-qr",
    ),
    path("hearings/<id:hearing_id>/console/", views.hearing_console, name="hearing-console"),
]
