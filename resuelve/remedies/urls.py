from django.urls import path

from resuelve.remedies import reward_views, views

app_name = "remedies"
urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("rewards/", reward_views.rewards, name="rewards"),
    path("rewards/deposit/", reward_views.deposit, name="deposit"),
    path("rewards/funds/", reward_views.fund_create, name="fund_create"),
    path("c/<str:code>/reward/", reward_views.reward, name="reward"),
    path("c/<str:code>/recognise/", reward_views.recognise, name="recognise"),
    path("c/<str:code>/plans/propose/", views.propose, name="propose"),
    path("c/<str:code>/plans/submit/", views.submit, name="submit"),
    path("c/<str:code>/plans/decide/", views.decide, name="decide"),
    path("c/<str:code>/plans/offer/", views.offer, name="offer"),
    path("c/<str:code>/plans/accept/", views.accept, name="accept"),
    path("c/<str:code>/plans/fulfil/", views.fulfil, name="fulfil"),
    path("c/<str:code>/plans/<int:number>/withdraw/", views.withdraw, name="withdraw"),
]
