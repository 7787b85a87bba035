from django.urls import path

from resuelve.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("pdf/", views.download, name="pdf"),
    path("subscriptions/", views.subscribe, name="subscribe"),
    path("subscriptions/<int:pk>/toggle/", views.toggle, name="toggle"),
    path("subscriptions/<int:pk>/delete/", views.delete, name="delete"),
]
