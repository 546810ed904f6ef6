"""The `/api/v1/` router: every app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- issue 2 (branch api): auth, agencies, organizations, consultations ---
from consultations import api as consultations_api  # noqa: E402

CONSULTATION = r"consultations/(?P<consultation_pk>\d+)"
router.register("auth", consultations_api.AuthViewSet, basename="auth")
router.register("agencies", consultations_api.AgencyViewSet, basename="agency")
router.register("organizations", consultations_api.OrganizationViewSet, basename="organization")
router.register("consultations", consultations_api.ConsultationViewSet, basename="consultation")
router.register(
    f"{CONSULTATION}/sections", consultations_api.SectionViewSet, basename="consultation-section"
)
router.register(
    f"{CONSULTATION}/versions", consultations_api.VersionViewSet, basename="consultation-version"
)
router.register(
    f"{CONSULTATION}/items", consultations_api.ConsultationItemViewSet, basename="consultation-item"
)
router.register("items", consultations_api.ItemViewSet, basename="item")


# --- issue 3 (branch comments): comments ---
from consultations.api import (  # noqa: E402
    CommentViewSet,
    ConsultationCommentViewSet,
    ModerationActionViewSet,
    ResponseViewSet,
)

router.register("comments", CommentViewSet, basename="comment")
router.register(
    r"consultations/(?P<consultation_pk>\d+)/comments",
    ConsultationCommentViewSet,
    basename="consultation-comment",
)
router.register("moderation-actions", ModerationActionViewSet, basename="moderation-action")
router.register("responses", ResponseViewSet, basename="response")


# --- issue 4 (branch voting): votes, tallies, vote log ---
# Plain paths (no router prefix, so they never clash with the items/consultations viewsets).
# --- issue 5 (branch hearings): hearings ---
from consultations.api import HearingViewSet  # noqa: E402
from voting.urls import api_urlpatterns as voting_paths  # noqa: E402

router.register("hearings", HearingViewSet, basename="hearing")


urlpatterns = [
    path("", include(router.urls)),
    # --- extra paths (non-router) ---
    *voting_paths,
    path("", include("consultations.export_urls")),  # exports, minutes.docx (issue 6)
]
