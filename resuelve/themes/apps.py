from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ThemesConfig(AppConfig):
    name = "resuelve.themes"
    verbose_name = gettext_lazy("Themes and ideas")
