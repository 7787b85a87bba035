from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AnalyticsConfig(AppConfig):
    name = "resuelve.analytics"
    verbose_name = gettext_lazy("Analytics")
