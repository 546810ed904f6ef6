from django.urls import path

from notifications import views

urlpatterns = [
    path("notifikasi/", views.notification_list, name="notifications"),
    path(
        "notifikasi/<id:notification_id>/buka/", views.notification_open, name="notification-open"
    ),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notifications-read-all"),
    path("notifikasi/preferensi/", views.preferences_save, name="notification-preferences-save"),
    path("notifikasi/berhenti/<str:token>/", views.unsubscribe, name="notification-unsubscribe"),
]
