"""/api/v1/qpv/…: the QPVs, their GeoJSON, the point lookup and CSV checks."""

import csv
import gzip
import io
import json

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiers40.territories.enums import QPVCheckJobStatus
from quartiers40.territories.lookup import qpv_index_invalidate
from quartiers40.territories.models import QPVCheckJob
from tests.members.factories import UserFactory
from tests.territories.factories import GoutteDOrFactory, QPVFactory, box
from tests.territories.test_jobs import COORDINATES_CSV, IMMEDIATE, run_worker

pytestmark = pytest.mark.django_db

API = "http://testserver/api/v1"


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    """The lookup index lives in the process: none may survive from another test's data."""
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


@pytest.fixture
def layer(db):
    return {
        "goutte_dor": GoutteDOrFactory(),
        "franc_moisin": QPVFactory(
            code="QN09301M",
            name="Franc-Moisin - Bel Air",
            department_code="93",
            department_name="Seine-Saint-Denis",
            commune_code="93066",
            commune_name="Saint-Denis",
            commune_codes=["93066", "93001"],
            commune_names=["Saint-Denis"],
            geometry=box(2.36, 48.92, 0.01),
        ),
        "withdrawn": QPVFactory(
            code="QN09399M",
            name="Ancien quartier",
            department_code="93",
            is_active=False,
            geometry=box(2.40, 48.95, 0.01),
        ),
    }


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


# --- The list --------------------------------------------------------------------------------


def test_list(client, layer):
    response = client.get("/api/v1/qpv/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # the withdrawn one is not in force
    assert [item["code"] for item in body["items"]] == ["QN07511M", "QN09301M"]
    assert body["items"][0] == {
        "code": "QN07511M",
        "name": "Goutte D'Or",
        "generation": 2024,
        "department": {"code": "75", "name": "Paris"},
        "region": {"code": "11", "name": "Île-de-France"},
        "communes": [{"code": "75056", "name": "Paris"}],
        "url": "http://testserver/territoires/qpv/QN07511M/",
        "api_url": f"{API}/qpv/QN07511M/",
    }
    # A commune whose name the layer does not give.
    assert body["items"][1]["communes"] == [
        {"code": "93066", "name": "Saint-Denis"},
        {"code": "93001", "name": None},
    ]


def test_list_filters(client, layer):
    def codes(query: str) -> list[str]:
        return [item["code"] for item in client.get(f"/api/v1/qpv/?{query}").json()["items"]]

    assert codes("department=93") == ["QN09301M"]
    assert codes("q=goutte") == ["QN07511M"]
    assert codes("q=saint-denis") == ["QN09301M"]
    assert codes("department=75&q=franc") == []


def test_list_pagination(client, layer):
    body = client.get("/api/v1/qpv/?page_size=1").json()

    assert (body["count"], body["pages"], len(body["items"])) == (2, 2, 1)
    assert body["next"] == f"{API}/qpv/?page_size=1&page=2"


def test_list_validation_error(client):
    response = client.get("/api/v1/qpv/?department=1234&page=0")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"department", "page"}


def test_list_query_count_does_not_grow(client):
    def queries(total: int) -> int:
        for _number in range(total):
            QPVFactory(geometry=box(2.0 + _number * 0.02, 48.0, 0.01))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/qpv/?page_size=100").status_code == 200
        return len(captured)

    assert queries(2) == queries(20)


# --- One QPV ---------------------------------------------------------------------------------


def test_detail(client, layer):
    response = client.get("/api/v1/qpv/qn07511m/")

    assert response.status_code == 200
    body = response.json()
    qpv = layer["goutte_dor"]
    assert body["code"] == "QN07511M"
    assert body["is_active"] is True
    assert body["epci_siren"] == "200054781"
    assert body["region"] == {"code": "11", "name": "Île-de-France"}
    assert body["area_m2"] == pytest.approx(qpv.area_m2)
    assert body["area_hectares"] == pytest.approx(qpv.area_m2 / 10_000, abs=0.01)
    assert body["centroid"] == {
        "lon": pytest.approx(2.355, abs=1e-6),
        "lat": pytest.approx(48.885, abs=1e-6),
    }
    assert body["bbox"] == pytest.approx([2.35, 48.88, 2.36, 48.89])
    assert body["geojson_url"] == f"{API}/qpv/QN07511M/geojson"
    assert "geometry_wkb" not in body and "display_geojson" not in body


def test_detail_not_found(client, layer):
    response = client.get("/api/v1/qpv/QN00000X/")

    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found"
    assert error["message"] == "Aucun quartier prioritaire n'a le code « QN00000X »."


# --- GeoJSON ---------------------------------------------------------------------------------


def assert_valid_polygonal_geometry(geometry: dict) -> shapely.Geometry:
    assert geometry["type"] in {"Polygon", "MultiPolygon"}
    shape = shapely.from_geojson(json.dumps(geometry))
    assert shape.is_valid and not shape.is_empty
    return shape


def test_geojson_feature(client, layer):
    response = client.get("/api/v1/qpv/QN07511M/geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = json.loads(response.content)
    assert feature["type"] == "Feature"
    assert feature["id"] == "QN07511M"
    assert feature["properties"]["name"] == "Goutte D'Or"
    shape = assert_valid_polygonal_geometry(feature["geometry"])
    assert shape.bounds == pytest.approx((2.35, 48.88, 2.36, 48.89))


def test_geojson_full_geometry(client, layer):
    response = client.get("/api/v1/qpv/QN07511M/geojson?full=1")

    feature = json.loads(response.content)
    shape = assert_valid_polygonal_geometry(feature["geometry"])
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert shape.equals(layer["goutte_dor"].geometry)


def test_geojson_not_found(client, layer):
    response = client.get("/api/v1/qpv/QN00000X/geojson")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_feature_collection(client, layer):
    response = client.get("/api/v1/qpv.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert [feature["id"] for feature in collection["features"]] == ["QN07511M", "QN09301M"]
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) >= {"code", "name", "department_code"}
        assert_valid_polygonal_geometry(feature["geometry"])


def test_feature_collection_is_gzipped_and_revalidated(client, layer):
    response = client.get("/api/v1/qpv.geojson", HTTP_ACCEPT_ENCODING="gzip, br")

    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["type"] == "FeatureCollection"
    assert "Accept-Encoding" in response["Vary"]
    etag = response["ETag"]

    assert client.get("/api/v1/qpv.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304
    QPVFactory(geometry=box(3.0, 45.0, 0.01))  # the layer changes: so does the tag
    changed = client.get("/api/v1/qpv.geojson", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert len(json.loads(changed.content)["features"]) == 3


# --- The lookup ------------------------------------------------------------------------------


def test_lookup_inside(client, layer):
    response = client.get("/api/v1/qpv/lookup?lat=48.886&lon=2.354")

    assert response.status_code == 200
    body = response.json()
    assert body["inside"] is True
    assert body["qpv"] == {
        "code": "QN07511M",
        "name": "Goutte D'Or",
        "url": "http://testserver/territoires/qpv/QN07511M/",
        "api_url": f"{API}/qpv/QN07511M/",
    }
    assert body["nearest"] == body["qpv"]
    assert body["distance_m"] == 0
    assert (body["lat"], body["lon"]) == (48.886, 2.354)


def test_lookup_outside(client, layer):
    body = client.get("/api/v1/qpv/lookup?lat=48.885&lon=2.3400").json()

    assert body["inside"] is False
    assert body["qpv"] is None
    assert body["nearest"]["code"] == "QN07511M"
    assert 700 < body["distance_m"] < 760  # 0.01° of longitude at 48.9° N ≈ 733 m


def test_lookup_accepts_a_decimal_comma(client, layer):
    assert client.get("/api/v1/qpv/lookup?lat=48,886&lon=2,354").json()["inside"] is True


def test_lookup_without_layer(client):
    body = client.get("/api/v1/qpv/lookup?lat=48.886&lon=2.354").json()

    assert (body["inside"], body["qpv"], body["nearest"], body["distance_m"]) == (
        False,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("lat=abc&lon=2.35", {"lat": ["Un nombre décimal est attendu, par exemple 48.8860."]}),
        ("lat=95&lon=2.35", {"lat": ["La latitude est comprise entre -90 et 90."]}),
        ("lat=48.8&lon=-200", {"lon": ["La longitude est comprise entre -180 et 180."]}),
        ("lat=nan&lon=2.35", {"lat": ["La latitude est comprise entre -90 et 90."]}),
        ("lat=48.8", {"lon": ["Ce champ est obligatoire."]}),
    ],
)
def test_lookup_validation_errors(client, layer, query, fields):
    response = client.get(f"/api/v1/qpv/lookup?{query}")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["details"] == {"fields": fields}


# --- CSV checks ------------------------------------------------------------------------------


def upload(client, django_capture_on_commit_callbacks, content=COORDINATES_CSV, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            "/api/v1/qpv/checks",
            {"file": SimpleUploadedFile("lieux.csv", content, content_type="text/csv")},
            **extra,
        )


def test_anonymous_check_is_accepted(client, django_capture_on_commit_callbacks):
    response = upload(client, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    job = QPVCheckJob.objects.get()
    assert job.created_by is None
    body = response.json()
    status_url = f"{API}/qpv/checks/{job.public_id}"
    assert response["Location"] == status_url
    assert body == {
        "id": job.public_id,
        "status": {"code": "queued", "label": "en attente"},
        "filename": "lieux.csv",
        "progress": {"done": 0, "total": None, "percent": None},
        "counts": None,
        "error": None,
        "created_at": body["created_at"],
        "started_at": None,
        "finished_at": None,
        "status_url": status_url,
        "result_url": None,
        "page_url": f"http://testserver/territoires/fichier/{job.public_id}/",
    }


def test_check_with_a_token_belongs_to_its_owner(
    client, bearer, django_capture_on_commit_callbacks
):
    user = UserFactory()

    response = upload(client, django_capture_on_commit_callbacks, headers=bearer(user))

    assert response.status_code == 202
    assert QPVCheckJob.objects.get().created_by == user


def test_check_with_a_wrong_token_is_refused(client, django_capture_on_commit_callbacks):
    response = upload(
        client, django_capture_on_commit_callbacks, headers={"Authorization": "Bearer q40_faux"}
    )

    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_token"
    assert not QPVCheckJob.objects.exists()


def test_check_without_file(client):
    response = client.post("/api/v1/qpv/checks", {})

    assert response.status_code == 422
    assert error_of(response)["details"]["fields"] == {"file": ["Ce champ est obligatoire."]}


def test_check_of_a_wrong_file(client, django_capture_on_commit_callbacks):
    response = upload(client, django_capture_on_commit_callbacks, content=b"PK\x03\x04xlsx")

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Ce fichier n'est pas un fichier CSV")
    assert error["details"]["fields"]["file"] == [error["message"]]


def test_check_of_a_file_too_big(client, settings, django_capture_on_commit_callbacks):
    settings.QPV_CHECK_MAX_UPLOAD_BYTES = 10

    response = upload(client, django_capture_on_commit_callbacks)

    assert response.status_code == 422
    assert "la limite est de 1 Ko" in error_of(response)["message"]


def test_checks_are_rate_limited(client, settings, django_capture_on_commit_callbacks):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "qpv_check_ip": (1, 3600)}

    assert upload(client, django_capture_on_commit_callbacks).status_code == 202
    response = upload(client, django_capture_on_commit_callbacks)

    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "rate_limited"
    assert error["details"]["retry_after"] == int(response["Retry-After"]) > 0
    assert QPVCheckJob.objects.count() == 1


def test_check_progress_and_result(client, layer, django_capture_on_commit_callbacks):
    job_id = upload(client, django_capture_on_commit_callbacks).json()["id"]

    result = client.get(f"/api/v1/qpv/checks/{job_id}/result")
    assert result.status_code == 409
    assert error_of(result) == {
        "code": "not_ready",
        "message": "La vérification n'est pas terminée : son état est « en attente ».",
        "details": {"status": "queued"},
    }

    run_worker()

    body = client.get(f"/api/v1/qpv/checks/{job_id}").json()
    assert body["status"] == {"code": "done", "label": "terminé"}
    assert body["progress"] == {"done": 3, "total": 3, "percent": 100}
    assert body["counts"] == {"inside": 1, "outside": 1, "errors": 1}
    assert body["result_url"] == f"{API}/qpv/checks/{job_id}/result"
    response = client.get(f"/api/v1/qpv/checks/{job_id}/result")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lieux-qpv.csv"'
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert [row["qpv_code"] for row in rows] == ["QN07511M", "", ""]


def test_failed_check_says_why(client, layer, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE

    job_id = upload(client, django_capture_on_commit_callbacks, content=b"nom\nA\n").json()["id"]

    body = client.get(f"/api/v1/qpv/checks/{job_id}").json()
    assert body["status"]["code"] == QPVCheckJobStatus.FAILED
    assert "colonne" in body["error"]
    assert body["result_url"] is None


def test_unknown_check(client):
    for url in ["/api/v1/qpv/checks/inconnu", "/api/v1/qpv/checks/inconnu/result"]:
        response = client.get(url)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_openapi_lists_the_territories_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    for path in [
        "/api/v1/qpv/",
        "/api/v1/qpv/{code}/",
        "/api/v1/qpv/{code}/geojson",
        "/api/v1/qpv.geojson",
        "/api/v1/qpv/lookup",
        "/api/v1/qpv/checks/{public_id}",
        "/api/v1/qpv/checks/{public_id}/result",
    ]:
        assert set(paths[path]) == {"get"}, path
    assert set(paths["/api/v1/qpv/checks"]) == {"post"}
    assert paths["/api/v1/qpv/checks"]["post"]["security"]
    assert "security" not in paths["/api/v1/qpv/lookup"]["get"]
