from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FollowupConfig(AppConfig):
    name = "resuelve.followup"
    verbose_name = gettext_lazy("Satisfaction surveys")
