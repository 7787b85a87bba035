from django.urls import path

from resuelve.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/approve/", views.campaign_approve, name="approve"),
    path("<int:pk>/start/", views.campaign_start, name="start"),
    path("<int:pk>/finish/", views.campaign_finish, name="finish"),
    path("<int:pk>/members/<int:member_pk>/answer/", views.member_respond, name="respond"),
    path("<int:pk>/members/<int:member_pk>/contacted/", views.member_contacted, name="contacted"),
]
