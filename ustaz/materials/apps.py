from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "ustaz.materials"
    verbose_name = _("Teaching materials")
