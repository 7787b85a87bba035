from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConductConfig(AppConfig):
    name = "resuelve.conduct"
    verbose_name = gettext_lazy("Conduct check")
