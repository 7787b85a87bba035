from django.urls import path

from resuelve.watchers import views

app_name = "watchers"
urlpatterns = [
    path("", views.watch_list, name="list"),
    path("<int:pk>/", views.watch_edit, name="edit"),
    path("<int:pk>/delete/", views.watch_delete, name="delete"),
]
