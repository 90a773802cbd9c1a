from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademicsConfig(AppConfig):
    name = "ustaz.academics"
    verbose_name = _("Academic structure")

    def ready(self):
        from ustaz.core import person_file

        from . import student_file
        from .file_sections import RECORD, person_entries

        student_file.register(RECORD)
        person_file.register(person_entries)
