from django.urls import path

from resuelve.followup import public_views

app_name = "followup_public"
urlpatterns = [
    path("<str:token>/", public_views.survey, name="survey"),
    path("<str:token>/thanks/", public_views.thanks, name="thanks"),
]
