from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EarlywarningConfig(AppConfig):
    name = "resuelve.earlywarning"
    verbose_name = gettext_lazy("Early warning")
