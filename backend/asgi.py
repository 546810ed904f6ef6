import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from realtime.access import SameOriginValidator  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The consumers resolve the user from the session in their own database round
        # trip (realtime.consumers.user_from_session): AuthMiddlewareStack would add a
        # thread hop to every connect, which a reconnect storm of 1,000 sockets feels.
        # The Origin must be our own scheme, host and port (channels' AllowedHostsOrigin-
        # Validator compares the host only).
        "websocket": SameOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
