"""Voting routes: `api_urlpatterns` go under /api/v1/ (backend/api.py), the rest under /voting/."""

from django.urls import path

from voting import api, views

app_name = "voting"

api_urlpatterns = [
    path("items/<int:item_id>/vote/", api.ItemVoteView.as_view(), name="api-item-vote"),
    path("items/<int:item_id>/tally/", api.ItemTallyView.as_view(), name="api-item-tally"),
    path(
        "consultations/<int:consultation_id>/tallies/",
        api.ConsultationTalliesView.as_view(),
        name="api-consultation-tallies",
    ),
    path(
        "consultations/<int:consultation_id>/vote-log/",
        api.VoteLogView.as_view(),
        name="api-vote-log",
    ),
]

urlpatterns = [
    path("items/<int:item_id>/vote/", views.vote_submit, name="vote-submit"),
]
