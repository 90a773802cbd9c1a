from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "ustaz.contracts"
    verbose_name = _("Contracts and payments")

    def ready(self):
        from ustaz.academics import student_file

        from .file_section import context

        student_file.register(
            student_file.Section(
                key="contracts",
                title=_("Contracts and payments"),
                template="contracts/file_section.html",
                context=context,
                order=40,
            )
        )
