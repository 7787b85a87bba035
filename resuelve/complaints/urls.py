from django.urls import path

from resuelve.complaints import views, views_export

app_name = "complaints"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue/export.<str:fmt>", views_export.queue_export, name="queue_export"),
    path("c/<str:code>/", views.case_detail, name="case"),
    path("c/<str:code>/step/<str:action>/", views.case_step, name="step"),
    path("c/<str:code>/merge/", views.case_merge, name="merge"),
    path("c/<str:code>/files/<int:file_id>/", views.case_file, name="file"),
]
