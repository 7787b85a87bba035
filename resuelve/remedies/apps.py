from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RemediesConfig(AppConfig):
    name = "resuelve.remedies"
    verbose_name = gettext_lazy("Solutions and compensation")
