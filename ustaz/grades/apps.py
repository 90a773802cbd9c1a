from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

APPEAL_FILED = "grades.appeal_filed"
APPEAL_DECIDED = "grades.appeal_decided"
RETAKE_OPENED = "grades.retake_opened"


class GradesConfig(AppConfig):
    name = "ustaz.grades"
    verbose_name = _("Gradebook")

    def ready(self):
        from ustaz.academics import student_file
        from ustaz.core import calendar
        from ustaz.notifications import kinds

        from .file_section import TRANSCRIPT
        from .selectors import calendar_events

        kinds.register(APPEAL_FILED, _("An appeal waits for the commission"))
        kinds.register(APPEAL_DECIDED, _("The commission decided my appeal"))
        kinds.register(RETAKE_OPENED, _("An exam retake is open to me"))
        calendar.register(calendar_events)
        student_file.register(TRANSCRIPT)
