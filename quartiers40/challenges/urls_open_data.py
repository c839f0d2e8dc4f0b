"""Pages of the défis owned by the open-data side: the map. Included before `urls.py`
under `defis/` (`carte` is a reserved slug, never a défi's)."""

from django.urls import path

from . import views

app_name = "challenges_open_data"

urlpatterns = [
    path("carte/", views.challenge_map, name="map"),
    path("carte/points.json", views.challenge_map_data, name="map_data"),
]
