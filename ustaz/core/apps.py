from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ustaz.core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 - registers the deployment checks
        from .sqlite import install

        connection_created.connect(install, dispatch_uid="ustaz.core.sqlite.like")
