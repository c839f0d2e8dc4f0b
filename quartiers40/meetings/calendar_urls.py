"""Calendar (ICS) addresses, included under /rencontres/ before the meetings pages."""

from django.urls import path

from . import views

app_name = "meetings_calendar"

urlpatterns = [
    path("agenda/<str:token>.ics", views.personal_ics, name="personal"),
    path("serie/<slug:slug>.ics", views.series_ics, name="series"),
    path("<slug:slug>.ics", views.edition_ics, name="edition"),
]
