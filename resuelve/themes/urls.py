from django.urls import path

from resuelve.themes import views

app_name = "themes"
urlpatterns = [
    path("", views.themes_page, name="themes"),
    path("<int:pk>/action/", views.promote_action, name="promote_action"),
    path("<int:pk>/idea/", views.promote_idea, name="promote_idea"),
    path("ideas/", views.ideas_page, name="ideas"),
    path("ideas/<int:pk>/status/", views.idea_status, name="idea_status"),
]
