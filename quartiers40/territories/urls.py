from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("qpv/<str:code>/", views.detail, name="detail"),
    path("verifier/", views.check, name="check"),
    path("suggestions.json", views.suggestions, name="suggestions"),
    path("carte/points.json", views.map_points, name="map_points"),
    path("carte/perimetres.json", views.map_perimeters, name="map_perimeters"),
]
