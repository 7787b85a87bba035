from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SocialConfig(AppConfig):
    name = "resuelve.social"
    verbose_name = gettext_lazy("Social networks")
