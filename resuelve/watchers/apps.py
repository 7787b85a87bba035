from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WatchersConfig(AppConfig):
    name = "resuelve.watchers"
    verbose_name = gettext_lazy("Watchers and mentions")
