from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("nouveau/", views.challenge_create, name="create"),
    path("similaires/", views.challenge_similar, name="similar"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path(
        "moderation/signalements/<int:pk>/",
        views.report_resolve,
        name="report_resolve",
    ),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/modifier/", views.challenge_edit, name="edit"),
    path(
        "<slug:slug>/pieces-jointes/<int:pk>/retirer/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<slug:slug>/soutenir/", views.challenge_support, name="support"),
    path("<slug:slug>/ne-plus-soutenir/", views.challenge_unsupport, name="unsupport"),
    path("<slug:slug>/commenter/", views.comment_add, name="comment"),
    path("<slug:slug>/commentaires/<int:pk>/modifier/", views.comment_edit, name="comment_edit"),
    path(
        "<slug:slug>/commentaires/<int:pk>/moderer/",
        views.comment_hide,
        name="comment_moderate",
    ),
    path(
        "<slug:slug>/commentaires/<int:pk>/rendre-visible/",
        views.comment_unhide,
        name="comment_unhide",
    ),
    path("<slug:slug>/signaler/", views.challenge_report, name="report"),
    path("<slug:slug>/proposer/", views.offer_create, name="offer"),
    path("<slug:slug>/propositions/<int:pk>/accepter/", views.offer_accept, name="offer_accept"),
    path("<slug:slug>/propositions/<int:pk>/decliner/", views.offer_decline, name="offer_decline"),
    path("<slug:slug>/propositions/<int:pk>/retirer/", views.offer_withdraw, name="offer_withdraw"),
    path("<slug:slug>/resultat/", views.challenge_outcome, name="outcome"),
    path("<slug:slug>/fermer/", views.challenge_close, name="close"),
    path("<slug:slug>/rouvrir/", views.challenge_reopen, name="reopen"),
    path("<slug:slug>/moderer/", views.challenge_hide, name="moderate"),
    path("<slug:slug>/approuver/", views.challenge_approve, name="approve"),
    path("<slug:slug>/rendre-visible/", views.challenge_unhide, name="unhide"),
    path("<slug:slug>/fusionner/", views.challenge_merge, name="merge"),
]
