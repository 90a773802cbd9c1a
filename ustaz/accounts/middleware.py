from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation


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
            if user.must_change_password:
                change_url = reverse("account_change_password")
                if request.path != change_url:
                    return redirect(change_url)
            elif settings.MFA_REQUIRED_FOR_STAFF and user.is_staff_role:
                if not request.path.startswith("/accounts/2fa/"):
                    from allauth.mfa.models import Authenticator

                    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                        return redirect("mfa_activate_totp")
        return self.get_response(request)
