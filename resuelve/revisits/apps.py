from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RevisitsConfig(AppConfig):
    name = "resuelve.revisits"
    verbose_name = gettext_lazy("Revisit programme")
