"""Follow-up routes: the public page per consultation (the API is in backend/api.py)."""

from django.urls import path

from followups import views

urlpatterns = [
    path(
        "konsultasi/<id:consultation_id>/tindak-lanjut/",
        views.follow_up_page,
        name="consultation-follow-ups",
    ),
]
