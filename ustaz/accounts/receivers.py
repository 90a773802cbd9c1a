"""Audit of what happens inside django-allauth and django.contrib.auth (their hooks are signals)."""

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from ustaz.core.models import AuditAction
from ustaz.core.services import audit_record

from . import services


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, target=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("username") or credentials.get("email") or "")[:150]
    audit_record(action=AuditAction.LOGIN_FAILED, target_repr=login, request=request, details={"login": login})


@receiver(password_changed)
def on_password_changed(sender, request, user, **kwargs):
    services.password_changed(user=user, request=request)


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs):
    services.password_changed(user=user, request=request, reset=True)


@receiver(authenticator_added)
def on_mfa_added(sender, request, user, authenticator, **kwargs):
    audit_record(
        action=AuditAction.MFA_ENABLED, actor=user, target=user, request=request, details={"type": authenticator.type}
    )


@receiver(authenticator_removed)
def on_mfa_removed(sender, request, user, authenticator, **kwargs):
    audit_record(
        action=AuditAction.MFA_DISABLED, actor=user, target=user, request=request, details={"type": authenticator.type}
    )
