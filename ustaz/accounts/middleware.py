from __future__ import annotations

import zoneinfo

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation

from . import access


class UserLanguageMiddleware:
    """The interface speaks the user's chosen language; before login, the cookie or the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            language = user.language
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch = response.get("Vary", "")
        if "Accept-Language" not in patch:
            response["Vary"] = f"{patch}, Accept-Language" if patch else "Accept-Language"
        return response


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class AccountPolicyMiddleware:
    """An issued one-time password must be changed at first login (§2.3); staff may be made to use TOTP."""

    EXEMPT_PREFIXES = ("/static/", "/health/", "/i18n/", "/accounts/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
            step = access.account_policy_step(user)
            if step == access.CHANGE_PASSWORD:
                change_url = reverse("account_change_password")
                if request.path != change_url:
                    return redirect(change_url)
            elif step == access.ACTIVATE_TOTP and not request.path.startswith("/accounts/2fa/"):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


# A WebSocket refused because the account must first change its password or turn on TOTP: the page reloads,
# and the page's own policy sends the person where they must go.
POLICY_CLOSE_CODE = 4403


class AccountPolicySocketMiddleware:
    """The account policy for every WebSocket: a connection of an account with a pending step (see
    access.account_policy_step) is refused with close code 4403 before any consumer sees it. Runs inside
    Channels' AuthMiddlewareStack (scope["user"] is resolved)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            from channels.db import database_sync_to_async

            user = scope.get("user")
            if user is not None and user.is_authenticated:
                if await database_sync_to_async(access.account_policy_step)(user):
                    message = await receive()
                    if message["type"] == "websocket.connect":
                        await send({"type": "websocket.close", "code": POLICY_CLOSE_CODE})
                    return None
        return await self.inner(scope, receive, send)


def websocket_stack(inner):
    """Sessions and the user, then the account policy, then the routes: what every WebSocket goes through."""
    from channels.auth import AuthMiddlewareStack

    return AuthMiddlewareStack(AccountPolicySocketMiddleware(inner))
