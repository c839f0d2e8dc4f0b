from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.edition_list, name="list"),
    path("mes-inscriptions/", views.my_registrations, name="my_registrations"),
    path("nouvelle-serie/", views.series_create, name="series_create"),
    path("coordination/", views.series_queue, name="series_queue"),
    path("coordination/<slug:slug>/valider/", views.series_approve, name="series_approve"),
    path("coordination/<slug:slug>/refuser/", views.series_refuse, name="series_refuse"),
    path("serie/<slug:slug>/", views.series_detail, name="series_detail"),
    path("serie/<slug:slug>/nouvelle-edition/", views.edition_create, name="edition_create"),
    path("inscription/<str:token>/", views.registration_manage, name="registration_manage"),
    path(
        "inscription/<str:token>/confirmer/",
        views.registration_confirm_email,
        name="registration_confirm_email",
    ),
    path(
        "inscription/<str:token>/accepter/",
        views.registration_accept_offer,
        name="registration_accept_offer",
    ),
    path("inscription/<str:token>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
    path("<slug:slug>/", views.edition_detail, name="edition_detail"),
    path("<slug:slug>/inscription/", views.register, name="register"),
    path("<slug:slug>/inscrire-une-personne/", views.register_on_behalf, name="register_on_behalf"),
    path("<slug:slug>/proposer/", views.pitch_apply, name="pitch_apply"),
    path("<slug:slug>/organisation/", views.organiser_home, name="organiser_home"),
    path("<slug:slug>/organisation/modifier/", views.edition_edit, name="edition_edit"),
    path("<slug:slug>/organisation/publier/", views.edition_publish, name="edition_publish"),
    path("<slug:slug>/organisation/annuler/", views.edition_cancel, name="edition_cancel"),
    path("<slug:slug>/organisation/inscrits/", views.registrants, name="registrants"),
    path("<slug:slug>/organisation/inscrits.csv", views.registrants_csv, name="registrants_csv"),
    path("<slug:slug>/organisation/accueil/", views.checkin, name="checkin"),
    path("<slug:slug>/organisation/ordre-du-jour/", views.agenda_builder, name="agenda_builder"),
    path(
        "<slug:slug>/organisation/ordre-du-jour/enregistrer/",
        views.agenda_item_save,
        name="agenda_item_save",
    ),
    path(
        "<slug:slug>/organisation/ordre-du-jour/<int:pk>/monter/",
        views.agenda_item_up,
        name="agenda_item_up",
    ),
    path(
        "<slug:slug>/organisation/ordre-du-jour/<int:pk>/descendre/",
        views.agenda_item_down,
        name="agenda_item_down",
    ),
    path(
        "<slug:slug>/organisation/ordre-du-jour/<int:pk>/retirer/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "<slug:slug>/organisation/propositions/<int:pk>/retenir/",
        views.pitch_accept,
        name="pitch_accept",
    ),
    path(
        "<slug:slug>/organisation/propositions/<int:pk>/ne-pas-retenir/",
        views.pitch_decline,
        name="pitch_decline",
    ),
    path("<slug:slug>/organisation/compte-rendu/", views.minutes_edit, name="minutes_edit"),
    path(
        "<slug:slug>/organisation/compte-rendu/publier/",
        views.minutes_publish,
        name="minutes_publish",
    ),
    path(
        "<slug:slug>/organisation/compte-rendu/proposition-ia/",
        views.minutes_assist,
        name="minutes_assist",
    ),
    path(
        "<slug:slug>/organisation/compte-rendu/proposition-ia/enregistrer/",
        views.minutes_assist_apply,
        name="minutes_assist_apply",
    ),
    path(
        "<slug:slug>/organisation/compte-rendu/enregistrer/",
        views.minutes_save,
        name="minutes_save",
    ),
    path(
        "<slug:slug>/organisation/compte-rendu/ressources/",
        views.resource_add,
        name="resource_add",
    ),
    path(
        "<slug:slug>/organisation/compte-rendu/ressources/<int:pk>/retirer/",
        views.resource_delete,
        name="resource_delete",
    ),
    path("<slug:slug>/organisation/actions/", views.actions_manage, name="actions_manage"),
]
