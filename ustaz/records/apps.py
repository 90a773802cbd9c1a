from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "ustaz.records"
    verbose_name = _("Orders on students")
