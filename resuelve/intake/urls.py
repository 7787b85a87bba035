from django.urls import path

from resuelve.intake import views

app_name = "intake"
urlpatterns = [
    path("complain/", views.file_complaint, name="file"),
    path("suggest/", views.suggestion_box, name="suggest"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/<str:key>/", views.case, name="case"),
    path("track/<str:code>/<str:key>/reply/", views.reply, name="reply"),
    path("track/<str:code>/<str:key>/accept/", views.accept, name="accept"),
    path("track/<str:code>/<str:key>/dispute/", views.dispute, name="dispute"),
    path("track/<str:code>/<str:key>/files/<int:file_id>/", views.case_file, name="file"),
    path("pages/<slug:slug>/", views.page, name="page"),
]
