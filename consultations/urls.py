from django.urls import path

from consultations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("konsultasi/", views.consultation_list, name="consultation-list"),
    path("konsultasi/<int:pk>/", views.consultation_detail, name="consultation-detail"),
]
