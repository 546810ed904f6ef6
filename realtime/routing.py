from django.urls import path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/hearings/<int:pk>/", consumers.HearingConsumer.as_asgi()),
    path("ws/consultations/<int:pk>/", consumers.ConsultationConsumer.as_asgi()),
]
