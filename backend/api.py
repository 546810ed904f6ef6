"""The `/api/v1/` router: every app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- issue 2 (branch api): auth, agencies, organizations, consultations ---


# --- issue 3 (branch comments): comments ---


# --- issue 4 (branch voting): votes, tallies, vote log ---
# Plain paths (no router prefix, so they never clash with the items/consultations viewsets).
from voting.urls import api_urlpatterns as voting_paths  # noqa: E402

# --- issue 5 (branch hearings): hearings ---


urlpatterns = [
    path("", include(router.urls)),
    # --- extra paths (non-router) ---
    *voting_paths,
]
