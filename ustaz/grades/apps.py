from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradesConfig(AppConfig):
    name = "ustaz.grades"
    verbose_name = _("Gradebook")
