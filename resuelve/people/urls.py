from django.urls import path

from resuelve.people import views

app_name = "people"
# The contests' paths come first: a person's page is any other name.
urlpatterns = [
    path("", views.people_list, name="list"),
    path("contests/", views.contests, name="contests"),
    path("contests/<int:pk>/", views.contest, name="contest"),
    path("contests/<int:pk>/close/", views.contest_close, name="contest_close"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/competence/", views.competence, name="competence"),
    path("<str:username>/training/", views.training_add, name="training_add"),
    path(
        "<str:username>/training/<int:record_id>/delete/",
        views.training_delete,
        name="training_delete",
    ),
    path(
        "<str:username>/hiring/<int:requirement_id>/",
        views.hiring_check,
        name="hiring_check",
    ),
]
