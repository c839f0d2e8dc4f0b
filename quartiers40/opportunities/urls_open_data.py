"""Open-data files of the opportunities (views/open_data.py). Included before `urls.py`
under `opportunites/` (`export` is a reserved slug, never an opportunity's)."""

from django.urls import path

from .views import open_data

app_name = "opportunities_open_data"

urlpatterns = [
    path("export.csv", open_data.export_csv, name="export_csv"),
    path("export.json", open_data.export_json, name="export_json"),
    path("export.geojson", open_data.export_geojson, name="export_geojson"),
    path(
        "export/data-inclusion/structures.json",
        open_data.data_inclusion_structures,
        name="data_inclusion_structures",
    ),
    path(
        "export/data-inclusion/services.json",
        open_data.data_inclusion_services,
        name="data_inclusion_services",
    ),
]
