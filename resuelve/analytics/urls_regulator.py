"""Regulator reports, included from resuelve.analytics.urls at "regulator/"."""

from django.urls import path

from resuelve.analytics import views_regulator

urlpatterns = [
    path("", views_regulator.regulator_page, name="regulator"),
    path("export.<str:fmt>", views_regulator.regulator_export, name="regulator_export"),
]
