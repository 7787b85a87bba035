from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class GuidanceConfig(AppConfig):
    name = "resuelve.guidance"
    verbose_name = gettext_lazy("Playbooks and reply templates")
