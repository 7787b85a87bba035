from django.urls import path

from resuelve.conduct import views

app_name = "conduct"

urlpatterns = [
    path("", views.overrides, name="overrides"),
]
