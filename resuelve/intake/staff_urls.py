from django.urls import path

from resuelve.intake import staff

app_name = "staff_intake"
urlpatterns = [
    path("", staff.new, name="new"),
    path("lookup/", staff.lookup, name="lookup"),
]
