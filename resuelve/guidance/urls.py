from django.urls import path

from resuelve.guidance import views

app_name = "guidance"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("case/<str:code>/tick/<int:step_id>/", views.tick, name="tick"),
    path("case/<str:code>/not-routine/", views.not_routine, name="not_routine"),
]
