from django.urls import path

from resuelve.resolution import review_views, views

app_name = "resolution"
urlpatterns = [
    path("cooperation/", views.cooperation_list, name="cooperation"),
    path("cooperation/<int:pk>/answer/", views.cooperation_answer, name="cooperation_answer"),
    path("accountability/", views.accountability_list, name="accountability"),
    path("improvements/", views.improvement_list, name="improvements"),
    path("improvements/<int:pk>/", views.improvement_detail, name="improvement"),
    path("reviews/", review_views.review_list, name="reviews"),
    path("reviews/new/", review_views.review_new, name="review_new"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review"),
    path("c/<str:code>/investigation/", views.case_investigation, name="investigation"),
    path("c/<str:code>/investigation/due/", views.case_investigation_due, name="investigation_due"),
    path("c/<str:code>/cooperation/", views.case_cooperation, name="case_cooperation"),
    path("c/<str:code>/accountability/", views.case_accountability, name="case_accountability"),
    path("c/<str:code>/improvement/", views.case_improvement_link, name="case_improvement"),
]
