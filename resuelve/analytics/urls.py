from django.urls import path

from resuelve.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("cases/", views.cases, name="cases"),
    path("cases/export.<str:fmt>", views.cases_export, name="cases_export"),
]
