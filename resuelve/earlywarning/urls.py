from django.urls import path

from resuelve.earlywarning import views

app_name = "earlywarning"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("scan/", views.scan_now, name="scan"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/dismiss/", views.alert_dismiss, name="dismiss"),
    path("<int:pk>/action/", views.alert_action, name="action"),
]
