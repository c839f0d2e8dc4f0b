import json

import pytest

from quartiers40.territories.clients.datagouv import (
    DatagouvError,
    DatasetResource,
    choose_layer_resource,
    dataset_resources,
    qpv_layer_url,
)

from .conftest import Response


def _resource(title: str, url: str, fmt: str, date: str) -> DatasetResource:
    return DatasetResource(title=title, url=url, format=fmt, last_modified=date)


def test_the_current_geojson_or_zip_of_the_generation_is_chosen():
    resources = [
        _resource("QP 2015 GeoJSON", "https://x/qp2015.geojson", "geojson", "2023-01-01"),
        _resource("Liste QP 2024", "https://x/listeqp2024.csv", "csv", "2026-01-16"),
        _resource("QP 2024 Lambert-93", "https://x/qp2024-l93.shp.zip", "shp", "2026-01-16"),
        _resource(
            "QP2024 GeoJSON",
            "https://x/qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson",
            "geojson",
            "2025-02-06T16:18:39",
        ),
        _resource(
            "Contours QP2024", "https://x/qpv-2024-geojson.zip", "zip", "2026-01-15T20:43:23"
        ),
    ]
    chosen = choose_layer_resource(resources, generation=2024)
    assert chosen.url == "https://x/qpv-2024-geojson.zip"


def test_on_the_same_day_wgs84_is_preferred():
    resources = [
        _resource(
            "QP2024 GeoJSON Lambert", "https://x/qp2024-l93.geojson", "geojson", "2026-01-15T10"
        ),
        _resource(
            "QP2024 GeoJSON WGS84", "https://x/qp2024-wgs84.geojson", "geojson", "2026-01-15T09"
        ),
    ]
    assert choose_layer_resource(resources, generation=2024).url.endswith("wgs84.geojson")


def test_the_format_may_come_from_the_url():
    resources = [_resource("QP", "https://x/qp2024.geojson", "", "")]
    assert choose_layer_resource(resources, generation=2024) is resources[0]
    assert (
        choose_layer_resource([_resource("QP", "https://x/qp.csv", "", "")], generation=2024)
        is None
    )


def test_resources_are_read_from_the_api(http_server):
    payload = {"resources": [{"title": "QP", "url": "https://x/qp2024.zip", "format": "ZIP"}]}
    http_server.route("GET", "/api/", lambda r: Response(body=json.dumps(payload).encode()))
    [resource] = dataset_resources(api_url=http_server.url("/api/"), timeout=5)
    assert (resource.format, resource.url) == ("zip", "https://x/qp2024.zip")
    assert qpv_layer_url(api_url=http_server.url("/api/"), generation=2024, timeout=5) == (
        "https://x/qp2024.zip"
    )


def test_a_dataset_without_layer_is_an_error(http_server):
    payload = {"resources": [{"title": "Liste", "url": "https://x/liste.csv", "format": "csv"}]}
    http_server.route("GET", "/api/", lambda r: Response(body=json.dumps(payload).encode()))
    with pytest.raises(DatagouvError, match="Aucune ressource GeoJSON ou ZIP"):
        qpv_layer_url(api_url=http_server.url("/api/"), generation=2024, timeout=5)


def test_an_unreadable_answer_is_an_error(http_server):
    http_server.route("GET", "/api/", lambda r: Response(body=b"<html>"))
    with pytest.raises(DatagouvError, match="illisible"):
        dataset_resources(api_url=http_server.url("/api/"), timeout=5)
