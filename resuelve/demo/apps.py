from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "resuelve.demo"
    verbose_name = "Demo data"
