"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies_named_behind_a_proxy(app_configs, **kwargs):
    # Behind a proxy with no proxy trusted, every request has the proxy's address: one failed-login limit for
    # the whole University, and the proxy in every log.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXIES:
        return [
            Warning(
                "USTAZ_BEHIND_PROXY is on but USTAZ_TRUSTED_PROXIES is empty: every client will have the proxy's "
                "address (login limits, audit log).",
                hint="Set USTAZ_TRUSTED_PROXIES to the reverse proxies' addresses (docs/deploy.md).",
                id="ustaz.W001",
            )
        ]
    return []
