from django.urls import path

from resuelve.social import views

app_name = "social_hook"
urlpatterns = [path("<slug:code>/", views.hook, name="hook")]
