from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ustaz.plans"
    verbose_name = _("Individual study plans")
