"""ASGI entry point: WebSockets (chat, live updates) through Channels; plain HTTP through Django.

Pages are served by the WSGI server (see docs/decisions/0002-servers.md); this application answers
WebSocket connections, and HTTP too when it is run alone.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ustaz.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from ustaz.accounts.middleware import websocket_stack  # noqa: E402
from ustaz.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(websocket_stack(URLRouter(websocket_urlpatterns))),
    }
)
