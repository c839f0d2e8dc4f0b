import pytest

from quartiers40.territories.clients.geocoding import (
    AddressQuery,
    GeocodingStatus,
    geocode,
    geocode_many,
)

from . import fake_geocoder
from .conftest import Response


@pytest.fixture
def geocoder(http_server, settings):
    fake_geocoder.install(http_server, settings)
    return http_server


def test_one_address_is_located(geocoder):
    result = geocode(AddressQuery("20 rue de la Goutte d'Or", postcode="75018", city="Paris"))
    assert result.status == GeocodingStatus.OK
    assert (result.lon, result.lat) == (2.3540, 48.8860)
    assert result.label == "20 Rue de la Goutte d'Or 75018 Paris"
    assert result.score == 0.96
    assert (result.result_type, result.housenumber, result.citycode) == (
        "housenumber",
        "20",
        "75118",
    )
    assert result.located
    request = geocoder.requests[-1]
    assert request.query == {"q": ["20 rue de la Goutte d'Or 75018 Paris"], "limit": ["1"]}


def test_a_low_score_is_uncertain(geocoder, settings):
    result = geocode("Quelque part")
    assert result.status == GeocodingStatus.UNCERTAIN
    assert result.located
    settings.GEOCODER_MIN_SCORE = 0.3
    assert geocode("Quelque part").status == GeocodingStatus.OK


def test_an_unknown_address_is_not_found(geocoder):
    result = geocode("1 rue qui n'existe pas 99999 Nulle-Part")
    assert result.status == GeocodingStatus.NOT_FOUND
    assert not result.located


def test_a_too_short_query_is_not_sent(geocoder):
    assert geocode(" a ").status == GeocodingStatus.NOT_FOUND
    assert geocoder.requests == []


def test_disabled_geocoder_is_unavailable_without_request(geocoder, settings):
    settings.GEOCODER_ENABLED = False
    assert geocode("Gare du Nord 75010 Paris").status == GeocodingStatus.UNAVAILABLE
    results = geocode_many([AddressQuery("Gare du Nord 75010 Paris")])
    assert [r.status for r in results] == [GeocodingStatus.UNAVAILABLE]
    assert geocoder.requests == []


def test_a_server_error_is_retried(http_server, settings):
    fake_geocoder.install(http_server, settings)
    settings.GEOCODER_RETRIES = 2
    answers = iter([Response(503, b"busy"), Response(502, b"gateway")])

    def flaky(request):
        return next(answers, None) or fake_geocoder.search(request)

    http_server.route("GET", "/geocodage/search/", flaky)
    assert geocode("Gare du Nord 75010 Paris").status == GeocodingStatus.OK
    assert len(http_server.requests) == 3


def test_a_client_error_is_not_retried(http_server, settings):
    fake_geocoder.install(http_server, settings)
    http_server.route("GET", "/geocodage/search/", lambda r: Response(400, b"{}"))
    result = geocode("Gare du Nord 75010 Paris")
    assert result.status == GeocodingStatus.UNAVAILABLE
    assert result.error == "HTTP 400"
    assert len(http_server.requests) == 1


def test_a_slow_server_times_out_and_is_unavailable(http_server, settings):
    fake_geocoder.install(http_server, settings)
    settings.GEOCODER_TIMEOUT = 0.2
    settings.GEOCODER_RETRIES = 1
    http_server.route(
        "GET", "/geocodage/search/", lambda r: Response(body=b'{"features": []}', delay=5)
    )
    result = geocode("Gare du Nord 75010 Paris")
    assert result.status == GeocodingStatus.UNAVAILABLE
    assert result.error.startswith("timeout")
    assert len(http_server.requests) == 2  # one retry


def test_an_unreachable_server_is_unavailable(settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9"  # discard port: connection refused
    settings.GEOCODER_RETRIES = 0
    result = geocode("Gare du Nord 75010 Paris")
    assert result.status == GeocodingStatus.UNAVAILABLE
    assert result.error.startswith("network error")


def test_an_unreadable_answer_is_unavailable(http_server, settings):
    fake_geocoder.install(http_server, settings)
    http_server.route("GET", "/geocodage/search/", lambda r: Response(body=b"<html>maintenance"))
    assert geocode("Gare du Nord 75010 Paris").status == GeocodingStatus.UNAVAILABLE


# --- The CSV endpoint -----------------------------------------------------------------------


def test_many_addresses_go_through_the_csv_endpoint_in_order(geocoder):
    queries = [
        AddressQuery("Gare du Nord", postcode="75010", city="Paris"),
        AddressQuery("1 rue inconnue", city="Nulle-Part"),
        AddressQuery("20 rue de la Goutte d'Or", "75018", "Paris"),
        AddressQuery(""),
        AddressQuery("Quelque part"),
    ]
    results = geocode_many(queries)
    assert [r.status for r in results] == [
        GeocodingStatus.OK,
        GeocodingStatus.NOT_FOUND,
        GeocodingStatus.OK,
        GeocodingStatus.NOT_FOUND,
        GeocodingStatus.UNCERTAIN,
    ]
    assert (results[2].lon, results[2].lat, results[2].postcode) == (2.354, 48.886, "75018")
    assert results[0].label == "Gare du Nord 75010 Paris"
    [request] = geocoder.requests
    assert request.method == "POST"
    fields = fake_geocoder.multipart_fields(request)
    assert fields["columns"] == [b"adresse"]
    assert b"Gare du Nord 75010 Paris" in fields["data"][0]


def test_many_addresses_are_sent_in_chunks_with_progress(geocoder, settings):
    settings.GEOCODER_BATCH_SIZE = 2
    progress = []
    queries = [AddressQuery("Gare du Nord 75010 Paris")] * 5
    results = geocode_many(queries, progress=lambda done, total: progress.append((done, total)))
    assert [r.status for r in results] == [GeocodingStatus.OK] * 5
    assert len(geocoder.requests) == 3
    assert progress == [(2, 5), (4, 5), (5, 5)]


def test_a_semicolon_answer_is_read_too(http_server, settings):
    fake_geocoder.install(http_server, settings)

    def semicolons(request):
        answer = fake_geocoder.search_csv(request)
        answer.body = answer.body.replace(b",", b";")
        return answer

    http_server.route("POST", "/geocodage/search/csv/", semicolons)
    [result] = geocode_many([AddressQuery("Gare du Nord 75010 Paris")])
    assert result.status == GeocodingStatus.OK


def test_a_slow_csv_endpoint_makes_the_whole_chunk_unavailable(http_server, settings):
    fake_geocoder.install(http_server, settings)
    settings.GEOCODER_BATCH_TIMEOUT = 0.2
    settings.GEOCODER_RETRIES = 0
    http_server.route("POST", "/geocodage/search/csv/", lambda r: Response(body=b"", delay=5))
    results = geocode_many([AddressQuery("Gare du Nord 75010 Paris"), AddressQuery("x y z")])
    assert [r.status for r in results] == [GeocodingStatus.UNAVAILABLE] * 2


def test_a_csv_answer_without_our_rows_is_unavailable(http_server, settings):
    fake_geocoder.install(http_server, settings)
    http_server.route(
        "POST", "/geocodage/search/csv/", lambda r: Response(body=b"adresse,latitude\n")
    )
    [result] = geocode_many([AddressQuery("Gare du Nord 75010 Paris")])
    assert result.status == GeocodingStatus.UNAVAILABLE
