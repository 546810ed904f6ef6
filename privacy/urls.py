"""Privacy pages; `api_urlpatterns` go under /api/v1/."""

from django.urls import path

from privacy import api, views

urlpatterns = [
    path("privasi/", views.notice, name="privacy-notice"),
    path("privasi/setuju/", views.accept, name="privacy-accept"),
    path("privasi/saya/", views.mine, name="privacy-mine"),
    path("privasi/saya/unduh/", views.download, name="privacy-download"),
    path("privasi/saya/hapus/", views.delete, name="privacy-delete"),
]

api_urlpatterns = [
    path("me/data/", api.MyDataView.as_view(), name="me-data"),
    path("me/privacy/", api.MyPrivacyView.as_view(), name="me-privacy"),
    path("me/delete/", api.MyAccountDeleteView.as_view(), name="me-delete"),
]
