"""Pages everybody reads (views/public.py): fixed words first, then the slugs."""

from django.urls import path

from .views import public

urlpatterns = [
    path("", public.search, name="search"),
    path("carte/", public.map_page, name="map"),
    path("carte/points.json", public.map_data, name="map_data"),
    path("selection/", public.selection, name="selection"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/interet/", public.interest, name="interest"),
]
