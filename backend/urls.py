from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from backend import views as backend_views
from voting.urls import page_urlpatterns as voting_pages

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", backend_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("backend.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # Swagger UI's stylesheet draws its icons as data: SVG images (inert in <img>).
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html")
        ),
        name="api-docs",
    ),
    path("", include("realtime.urls")),
    path("", include("hearings.urls")),
    path("voting/", include("voting.urls")),
    path("", include(voting_pages)),
    path("", include("consultations.urls")),
    path("", include("accounts.urls")),
    path("", include("comments.urls")),
    path("", include("notifications.urls")),
    path("", include("aspirations.urls")),
    path("", include("analysis.urls")),
    path("", include("followups.urls")),
    path("", include("privacy.urls")),
    path("", include("reports.urls")),
]

handler400 = "backend.views.bad_request"
handler403 = "backend.views.permission_denied"
handler404 = "backend.views.page_not_found"
handler500 = "backend.views.server_error"
