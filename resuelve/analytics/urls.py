from django.urls import include, path

from resuelve.analytics import views, views_scorecards

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("cases/", views.cases, name="cases"),
    path("cases/export.<str:fmt>", views.cases_export, name="cases_export"),
    path("scorecards/", views_scorecards.scorecards_page, name="scorecards"),
    path("scorecards/people/<str:key>/", views_scorecards.person, name="scorecard_person"),
    path(
        "scorecards/departments/<str:key>/",
        views_scorecards.department,
        name="scorecard_department",
    ),
    path("regulator/", include("resuelve.analytics.urls_regulator")),
]
