from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RESULT_READY = "quizzes.result_ready"


class QuizzesConfig(AppConfig):
    name = "ustaz.quizzes"
    verbose_name = _("Testing centre")

    def ready(self):
        from ustaz.core import calendar
        from ustaz.notifications import kinds

        from .selectors import calendar_events

        kinds.register(RESULT_READY, _("The result of my test is ready"))
        calendar.register(calendar_events)
