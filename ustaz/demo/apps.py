from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ustaz.demo"
    verbose_name = "Demo university"
