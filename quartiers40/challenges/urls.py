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
    path("<slug:slug>/commenter/", views.comment_add, name="comment"),
    path("<slug:slug>/commentaires/<int:pk>/modifier/", views.comment_edit, name="comment_edit"),
    path(
        "<slug:slug>/commentaires/<int:pk>/moderer/",
        views.comment_moderate,
        name="comment_moderate",
    ),
    path("<slug:slug>/signaler/", views.challenge_report, name="report"),
    path("<slug:slug>/proposer/", views.offer_create, name="offer"),
    path("<slug:slug>/propositions/<int:pk>/", views.offer_decide, name="offer_decide"),
    path("<slug:slug>/resultat/", views.challenge_outcome, name="outcome"),
    path("<slug:slug>/fermer/", views.challenge_close, name="close"),
    path("<slug:slug>/rouvrir/", views.challenge_reopen, name="reopen"),
    path("<slug:slug>/moderer/", views.challenge_moderate, name="moderate"),
    path("<slug:slug>/fusionner/", views.challenge_merge, name="merge"),
]
