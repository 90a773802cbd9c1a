from django.conf import settings
from django.core.exceptions import DisallowedHost

from .websocket import ws_origin


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            # Pages open WebSockets (chat) on the WebSocket server, which is another origin in the embedded
            # default (another port); 'self' does not cover it.
            try:
                origin = ws_origin(request)
            except DisallowedHost:  # answered with 400 elsewhere; the policy stays strict
                origin = ""
            response["Content-Security-Policy"] = f"{self.policy}; connect-src 'self' {origin}".strip()
        return response
