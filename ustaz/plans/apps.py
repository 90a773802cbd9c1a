from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

PLAN_SUBMITTED = "plans.submitted"
PLAN_DECIDED = "plans.decided"


class PlansConfig(AppConfig):
    name = "ustaz.plans"
    verbose_name = _("Individual study plans")

    def ready(self):
        from ustaz.academics.student_file import Section, register
        from ustaz.notifications import kinds

        from .access import file_section_context

        kinds.register(PLAN_SUBMITTED, _("A student of a group I advise submitted a study plan"))
        kinds.register(PLAN_DECIDED, _("My study plan was approved, returned or reopened"))
        register(
            Section(
                key="plan",
                title=_("Individual study plans"),
                template="plans/file_section.html",
                context=file_section_context,
                order=30,
            )
        )
