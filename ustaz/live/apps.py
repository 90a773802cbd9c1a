from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CLASS_CHANGED = "live.class_changed"
RECORDING_READY = "live.recording_ready"


class LiveConfig(AppConfig):
    name = "ustaz.live"
    verbose_name = _("Classes")

    def ready(self):
        from ustaz.core import calendar
        from ustaz.notifications import kinds

        from .selectors import calendar_events

        kinds.register(CLASS_CHANGED, _("A class of mine is moved or cancelled"))
        kinds.register(RECORDING_READY, _("A recording of a class is ready"), default_email="digest")
        calendar.register(calendar_events)
