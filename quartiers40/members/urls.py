from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, organisations

app_name = "members"
urlpatterns = [
    path("inscription/", accounts.sign_up, name="sign_up"),
    path("inscription/verifiez-vos-e-mails/", accounts.verification_sent, name="verification_sent"),
    path("compte/verifier/<str:token>/", accounts.verify_email, name="verify_email"),
    path("compte/renvoyer-le-lien/", accounts.verification_resend, name="verification_resend"),
    path("connexion/", accounts.SignInView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oublie/", accounts.ResetRequestView.as_view(), name="password_reset"),
    path("mot-de-passe/envoye/", accounts.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        accounts.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/", accounts.ResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("compte/", accounts.account, name="account"),
    path("compte/profil/", accounts.account_settings, name="account_settings"),
    path("compte/mes-donnees.json", accounts.account_data, name="account_data"),
    path("compte/supprimer/", accounts.account_delete, name="account_delete"),
    path("compte/jetons/", accounts.api_tokens, name="api_tokens"),
    path("compte/jetons/<int:pk>/revoquer/", accounts.api_token_revoke, name="api_token_revoke"),
    path("membres/<int:pk>/", accounts.profile, name="profile"),
    path("organisations/", organisations.directory, name="directory"),
    path(
        "organisations/<slug:slug>/", organisations.organisation_detail, name="organisation_detail"
    ),
    path(
        "organisations/<slug:slug>/modifier/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<slug:slug>/equipe/",
        organisations.organisation_people,
        name="organisation_people",
    ),
    path(
        "organisations/<slug:slug>/equipe/<int:pk>/role/",
        organisations.membership_role,
        name="membership_role",
    ),
    path(
        "organisations/<slug:slug>/equipe/<int:pk>/retirer/",
        organisations.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/annuler/",
        organisations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
    path("adherer/", organisations.join, name="join"),
    path(
        "adherer/demandes/<int:pk>/retirer/",
        organisations.membership_request_withdraw,
        name="membership_request_withdraw",
    ),
    path("coordination/adhesions/", organisations.moderation_queue, name="moderation_queue"),
    path(
        "coordination/adhesions/<int:pk>/",
        organisations.moderation_decide,
        name="moderation_decide",
    ),
]
