from django.urls import path

from accounts import views

urlpatterns = [
    path("daftar/", views.citizen_sign_up, name="citizen-sign-up"),
    path("organisasi/daftar/", views.organization_register, name="organization-register"),
    path("organisasi/saya/", views.my_organization, name="my-organization"),
]
