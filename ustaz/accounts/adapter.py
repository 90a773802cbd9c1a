from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ustaz.core.addresses import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are issued by the academic office or the ICT centre (§2.3); applicants' self-service
        # registration is opened by the admissions area.
        return False

    def get_client_ip(self, request):
        # allauth's rate limits (failed logins per address) count the client, not the reverse proxy.
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def get_email_verification_redirect_url(self, email_address):
        # An applicant confirming their e-mail goes on with the application (logged in) or logs in first.
        if self.request.user.is_authenticated:
            return reverse("admissions:home")
        return reverse("account_login")

    def get_password_change_redirect_url(self, request):
        from django.urls import reverse

        return reverse("home")

    # allauth's own notices, in Ustaz's words (and so in Kazakh too); None: not shown at all.
    MESSAGE_TEXTS = {
        "account/messages/logged_in.txt": None,
        "account/messages/logged_out.txt": _("You have logged out."),
        "account/messages/password_changed.txt": _("Your password is changed."),
        "account/messages/password_set.txt": _("Your password is set."),
        "mfa/messages/totp_activated.txt": _("Two-factor authentication is on."),
        "mfa/messages/totp_deactivated.txt": _("Two-factor authentication is off."),
        "mfa/messages/recovery_codes_generated.txt": _("New recovery codes are made."),
    }

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        if message_template in self.MESSAGE_TEXTS:
            text = self.MESSAGE_TEXTS[message_template]
            if text is None:
                return
            message, message_template = str(text), None
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def pre_login(self, request, user, **kwargs):
        expires = getattr(user, "issued_password_expires", None)
        if user.must_change_password and expires is not None and expires < timezone.now():
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(
                request,
                _("Your one-time password has expired: ask the academic office or the ICT centre for a new one."),
            )
            return HttpResponseRedirect(reverse("account_login"))
        return super().pre_login(request, user, **kwargs)
