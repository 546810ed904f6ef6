from django.urls import path

from consultations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("konsultasi/", views.consultation_list, name="consultation-list"),
    path("konsultasi/<id:pk>/", views.consultation_detail, name="consultation-detail"),
    path("konsultasi/<id:pk>/tutup/", views.consultation_close, name="consultation-close-page"),
]
