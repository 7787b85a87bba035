from django.urls import path

from resuelve.social import views

app_name = "social"
urlpatterns = [
    path("", views.watch, name="watch"),
    path("cases/<str:code>/draft/", views.draft, name="draft"),
    path("cases/<str:code>/replies/<int:pk>/decide/", views.decide, name="decide"),
    path("cases/<str:code>/replies/<int:pk>/posted/", views.posted, name="posted"),
    path("cases/<str:code>/private/", views.private, name="private"),
]
