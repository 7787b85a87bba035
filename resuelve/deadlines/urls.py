from django.urls import path

from resuelve.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("compliance/", views.compliance, name="compliance"),
    path("c/<str:code>/extend/", views.extend, name="extend"),
]
