"""Voting routes: `api_urlpatterns` go under /api/v1/ (backend/api.py), `urlpatterns` under
/voting/, `page_urlpatterns` at the root (backend/urls.py)."""

from django.urls import path

from voting import api, views

app_name = "voting"

api_urlpatterns = [
    path("items/<id:item_id>/vote/", api.ItemVoteView.as_view(), name="api-item-vote"),
    path("items/<id:item_id>/tally/", api.ItemTallyView.as_view(), name="api-item-tally"),
    path(
        "consultations/<id:consultation_id>/tallies/",
        api.ConsultationTalliesView.as_view(),
        name="api-consultation-tallies",
    ),
    path(
        "consultations/<id:consultation_id>/vote-log/",
        api.VoteLogView.as_view(),
        name="api-vote-log",
    ),
    path("receipts/<str:receipt>/", api.ReceiptView.as_view(), name="api-receipt"),
]

urlpatterns = [
    path("items/<id:item_id>/vote/", views.vote_submit, name="vote-submit"),
]

# Public pages at the site's root (backend/urls.py), outside the `voting` namespace.
page_urlpatterns = [
    path("tanda-terima/", views.receipt_check, name="receipt-check"),
]
