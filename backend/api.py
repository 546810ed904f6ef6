"""The `/api/v1/` router: every app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- issue 2 (branch api): auth, agencies, organizations, consultations ---


# --- issue 3 (branch comments): comments ---


# --- issue 4 (branch voting): votes, tallies, vote log ---


# --- issue 5 (branch hearings): hearings ---


urlpatterns = [
    path("", include(router.urls)),
    # --- extra paths (non-router) ---
    path("", include("consultations.export_urls")),  # exports, minutes.docx (issue 6)
]
