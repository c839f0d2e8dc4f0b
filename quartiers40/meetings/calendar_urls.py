"""Calendar (ICS) addresses, included under /rencontres/ before the meetings pages."""

from django.urls import path

from . import calendar_views

app_name = "meetings_calendar"

urlpatterns = [
    path("agenda/<str:token>.ics", calendar_views.personal_ics, name="personal"),
    path("serie/<slug:slug>.ics", calendar_views.series_ics, name="series"),
    path("<slug:slug>.ics", calendar_views.edition_ics, name="edition"),
]
