"""The open-data catalogue, under `donnees-ouvertes/` (views/open_data.py)."""

from django.urls import path

from .views import open_data

app_name = "open_data"


def _file(route: str, name: str, dataset: str, distribution: str):
    return path(
        route,
        open_data.dataset_file,
        {"dataset": dataset, "distribution": distribution},
        name=name,
    )


urlpatterns = [
    path("", open_data.catalogue, name="catalogue"),
    path("tout.zip", open_data.archive_download, name="archive"),
    path("catalogue.jsonld", open_data.catalogue_jsonld, name="catalogue_jsonld"),
    path("schemas/<str:name>", open_data.schema, name="schema"),
    # The datasets that had no export elsewhere; the others keep their addresses.
    _file("organisations.csv", "organisations_csv", "organisations", "csv"),
    _file("organisations.json", "organisations_json", "organisations", "json"),
    _file("organisations.geojson", "organisations_geojson", "organisations", "geojson"),
    _file("rencontres.csv", "editions_csv", "rencontres", "csv"),
    _file("rencontres.json", "editions_json", "rencontres", "json"),
    _file("actions-de-suivi.csv", "action_items_csv", "actions-de-suivi", "csv"),
    _file("actions-de-suivi.json", "action_items_json", "actions-de-suivi", "json"),
    _file(
        "observatoire-qpv-trimestre.csv",
        "observatory_figures_csv",
        "observatoire-qpv-trimestre",
        "csv",
    ),
    _file(
        "observatoire-qpv-trimestre.json",
        "observatory_figures_json",
        "observatoire-qpv-trimestre",
        "json",
    ),
]
