from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ORDER_APPLIED = "records.order_applied"


class RecordsConfig(AppConfig):
    name = "ustaz.records"
    verbose_name = _("Orders on students")

    def ready(self):
        from ustaz.academics import student_file
        from ustaz.notifications import kinds

        from .selectors import file_section_context

        kinds.register(ORDER_APPLIED, _("An order about me has taken effect"))
        student_file.register(
            student_file.Section(
                key="status",
                title=_("Status and orders"),
                template="records/file_section.html",
                context=file_section_context,
                order=20,
            )
        )
