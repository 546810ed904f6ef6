from django.urls import path

from accounts import views

urlpatterns = [
    path("organisasi/daftar/", views.organization_register, name="organization-register"),
    path("organisasi/saya/", views.my_organization, name="my-organization"),
]
