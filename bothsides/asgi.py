"""ASGI entry point: Daphne serves HTTP (Django) and the board sockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bothsides.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from bothsides.routing import websocket_urlpatterns  # noqa: E402
from whiteboard.ws_auth import BoardAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": BoardAuthMiddleware(URLRouter(websocket_urlpatterns))}  # type: ignore[arg-type]
)
