"""The socket routes: one WebSocket per open board."""

from django.urls import path

from whiteboard.consumers import BoardConsumer

# Channels routes ASGI apps with Django's `path`; django-stubs types `path` for views only.
websocket_urlpatterns = [path("ws/boards/<uuid:board_id>/", BoardConsumer.as_asgi())]  # type: ignore[arg-type]
