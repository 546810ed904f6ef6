from django.urls import path

from consultations import views

urlpatterns = [
    path("", views.home, name="home"),
]
