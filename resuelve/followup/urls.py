from django.urls import path

from resuelve.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("results/", views.results, name="results"),
]
