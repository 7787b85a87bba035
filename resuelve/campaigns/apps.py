from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CampaignsConfig(AppConfig):
    name = "resuelve.campaigns"
    verbose_name = gettext_lazy("Proactive remedy campaigns")
