"""Where browsers open WebSockets: USTAZ_WS_URL when a reverse proxy serves them (`wss://host/ws`), else the
page's own host on the WebSocket server's port (the embedded default, docs/decisions/0002-servers.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def ws_base(request: HttpRequest) -> str:
    if settings.WS_URL:
        return settings.WS_URL.rstrip("/")
    scheme = "wss" if request.is_secure() else "ws"
    host = request.get_host().rsplit(":", 1)[0] if not request.get_host().endswith("]") else request.get_host()
    return f"{scheme}://{host}:{settings.WS_PORT}/ws"


def ws_origin(request: HttpRequest) -> str:
    """The scheme, host and port of ws_base, for the Content-Security-Policy's connect-src."""
    base = ws_base(request)
    scheme, rest = base.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"
