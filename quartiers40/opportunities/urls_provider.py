"""Pages of the people who offer opportunities (views/provider*.py)."""

from django.urls import path

from .views import provider, provider_actions, provider_interests

urlpatterns = [
    path("nouvelle/", provider.opportunity_create, name="create"),
    path("mes-opportunites/", provider.mine, name="mine"),
    path("<slug:slug>/modifier/", provider.opportunity_edit, name="edit"),
    path("<slug:slug>/publier/", provider_actions.opportunity_publish, name="publish"),
    path("<slug:slug>/republier/", provider_actions.opportunity_reopen, name="reopen"),
    path("<slug:slug>/retirer/", provider_actions.opportunity_withdraw, name="withdraw"),
    path("<slug:slug>/approuver/", provider_actions.opportunity_approve, name="approve"),
    path("<slug:slug>/renvoyer/", provider_actions.opportunity_return, name="return"),
    path("<slug:slug>/interets/", provider_interests.interests, name="interests"),
    path("<slug:slug>/interets/export/", provider_interests.interests_csv, name="interests_csv"),
    path(
        "<slug:slug>/interets/<str:reference>/suite/",
        provider_interests.interest_outcome,
        name="interest_outcome",
    ),
]
