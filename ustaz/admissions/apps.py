from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STATUS_CHANGED = "admissions.status_changed"


class AdmissionsConfig(AppConfig):
    name = "ustaz.admissions"
    verbose_name = pgettext_lazy("entering the university", "Admission")

    def ready(self):
        from ustaz.notifications import kinds

        kinds.register(STATUS_CHANGED, _("My application's status changed"))

        from ustaz.academics import student_file
        from ustaz.core import calendar, person_file

        from .file_section import DOCUMENTS
        from .selectors import calendar_events, file_entries

        person_file.register(file_entries)
        calendar.register(calendar_events)
        student_file.register(DOCUMENTS)
