"""WebSocket routes of every area (like urls.py for pages)."""

from django.urls import path

from ustaz.core.consumers import PingConsumer
from ustaz.discussions.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/chat/<int:pk>/", ChatConsumer.as_asgi()),
]
