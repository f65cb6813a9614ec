"""The socket routes: one WebSocket per open board."""

from django.urls import path

from whiteboard.consumers import BoardConsumer

websocket_urlpatterns = [path("ws/boards/<uuid:board_id>/", BoardConsumer.as_asgi())]
