"""Pages of the défis owned by the open-data side: the map. Included before `urls.py`
under `defis/` (`carte` is a reserved slug, never a défi's)."""

from django.urls import path

from . import views_open_data

app_name = "challenges_open_data"

urlpatterns = [
    path("carte/", views_open_data.challenge_map, name="map"),
    path("carte/points.json", views_open_data.challenge_map_data, name="map_data"),
]
