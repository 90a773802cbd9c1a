from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ustaz.notifications"
    verbose_name = _("Notices")

    def ready(self):
        from . import kinds
        from .basis_documents import KIND

        kinds.register(KIND, _("A student's DLT basis document expires soon"))
