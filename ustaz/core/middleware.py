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


# --- NUL characters in what a request sends ---------------------------------------------------------------


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _query_dict_has_nul(data) -> bool:
    return any(_has_nul(key) or _has_nul(values) for key, values in data.lists())


class RejectNulCharactersMiddleware:
    """A NUL character in a form field, a query parameter or a JSON string is refused with 400 before any view
    runs: PostgreSQL cannot store one (a view that read request.POST directly would fail with a server
    error), and no text typed by a person contains it. Django's form fields refuse it too, with the same
    message; this covers the views that read the request themselves. Uploaded files are not looked at."""

    MAX_JSON_BYTES = 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            from django.http import JsonResponse
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            message = _("Null characters are not allowed.")
            if request.content_type == "application/json" or "application/json" in request.headers.get("Accept", ""):
                return JsonResponse({"error": message}, status=400)
            return render(request, "core/bad_request.html", {"message": message}, status=400)
        return self.get_response(request)

    def _carries_nul(self, request) -> bool:
        if _query_dict_has_nul(request.GET):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        if request.content_type == "application/json":
            import json

            length = int(request.headers.get("Content-Length") or 0)
            if not 0 < length <= self.MAX_JSON_BYTES:
                return False
            try:
                return _has_nul(json.loads(request.body))
            except ValueError:
                return False  # the view answers what it cannot read
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return _query_dict_has_nul(request.POST)
        return False
