"""ASGI entry point: Daphne (or uvicorn) serves HTTP (Django) and the board sockets."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bothsides.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from bothsides.routing import websocket_urlpatterns  # noqa: E402
from whiteboard.ws_auth import BoardAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {"http": django_asgi_app, "websocket": BoardAuthMiddleware(URLRouter(websocket_urlpatterns))}  # type: ignore[arg-type]
)

# What is loaded now (Django, every view, the vocabulary) lives as long as the process. Left to
# the cyclic collector, each full collection walks all of it with every thread stopped: 55-72 ms
# pauses that delayed every board's deliveries under load (docs/performance.md, "Fairness").
# Loading the views now and freezing moves it out of the collector's reach.
get_resolver().url_patterns  # noqa: B018  # import every view before the first request
gc.collect()
gc.freeze()
