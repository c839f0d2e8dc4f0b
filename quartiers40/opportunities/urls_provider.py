"""Pages of the people who offer opportunities (views/provider.py)."""

from django.urls import path

from .views import provider

urlpatterns = [
    path("nouvelle/", provider.opportunity_create, name="create"),
    path("mes-opportunites/", provider.mine, name="mine"),
    path("<slug:slug>/modifier/", provider.opportunity_edit, name="edit"),
    path("<slug:slug>/publier/", provider.opportunity_publish, name="publish"),
    path("<slug:slug>/republier/", provider.opportunity_reopen, name="reopen"),
    path("<slug:slug>/retirer/", provider.opportunity_withdraw, name="withdraw"),
    path("<slug:slug>/approuver/", provider.opportunity_approve, name="approve"),
    path("<slug:slug>/renvoyer/", provider.opportunity_return, name="return"),
    path("<slug:slug>/interets/", provider.interests, name="interests"),
    path("<slug:slug>/interets/export/", provider.interests_csv, name="interests_csv"),
    path(
        "<slug:slug>/interets/<str:reference>/suite/",
        provider.interest_outcome,
        name="interest_outcome",
    ),
]
