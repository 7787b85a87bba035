from django.urls import path

from resuelve.revisits import views

app_name = "revisits"
urlpatterns = [
    path("", views.revisit_list, name="list"),
    path("today/", views.today, name="today"),
    path("<int:pk>/", views.work, name="work"),
    path("coverage/", views.coverage, name="coverage"),
    path("summary/", views.summary, name="summary"),
    path("archive/", views.archive, name="archive"),
]
