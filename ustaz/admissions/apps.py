from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

STATUS_CHANGED = "admissions.status_changed"


class AdmissionsConfig(AppConfig):
    name = "ustaz.admissions"
    verbose_name = _("Admission")

    def ready(self):
        from ustaz.notifications import kinds

        kinds.register(STATUS_CHANGED, _("My application's status changed"))
