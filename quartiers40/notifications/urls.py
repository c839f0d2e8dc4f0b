from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/suivre/<str:key>/<str:pk>/", views.follow_toggle, name="follow"),
    path(
        "notifications/desabonnement/<str:kind>/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("compte/abonnements/", views.follows, name="follows"),
    path("compte/notifications/", views.preferences, name="preferences"),
    path("compte/nouveautes/", views.news, name="news"),
]
