from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SUBMITTED = "assignments.submitted"
REVIEWED = "assignments.reviewed"
DUE_SOON = "assignments.due_soon"


class AssignmentsConfig(AppConfig):
    name = "ustaz.assignments"
    verbose_name = _("Assignments")

    def ready(self):
        from ustaz.core import calendar
        from ustaz.notifications import kinds

        from .selectors import calendar_events

        kinds.register(SUBMITTED, _("A student handed in work for my course"), default_email="digest")
        kinds.register(REVIEWED, _("My work is reviewed"))
        kinds.register(DUE_SOON, _("An assignment of mine is due soon"))
        calendar.register(calendar_events)
