"""A stand-in for the Géoplateforme geocoder, speaking its formats, for `http_server`.

`/search/` answers a GeoJSON FeatureCollection; `/search/csv/` reads the multipart
upload (`data`, `columns`) and answers the CSV with the `result_*` columns added.
"""

import csv
import io
import json
from email.parser import BytesParser
from email.policy import HTTP

from .conftest import Request, Response

# Known addresses (lower case, single spaces) -> properties of the answer.
ADDRESSES = {
    "20 rue de la goutte d'or 75018 paris": {
        "lon": 2.3540,
        "lat": 48.8860,
        "score": 0.96,
        "label": "20 Rue de la Goutte d'Or 75018 Paris",
        "type": "housenumber",
        "housenumber": "20",
        "street": "Rue de la Goutte d'Or",
        "postcode": "75018",
        "citycode": "75118",
        "city": "Paris",
        "context": "75, Paris, Île-de-France",
    },
    "gare du nord 75010 paris": {
        "lon": 2.3553,
        "lat": 48.8809,
        "score": 0.81,
        "label": "Gare du Nord 75010 Paris",
        "type": "street",
        "housenumber": "",
        "street": "Gare du Nord",
        "postcode": "75010",
        "citycode": "75110",
        "city": "Paris",
        "context": "75, Paris, Île-de-France",
    },
    "quelque part": {
        "lon": 2.35,
        "lat": 48.85,
        "score": 0.31,
        "label": "Quelque Part 75004 Paris",
        "type": "street",
        "housenumber": "",
        "street": "Quelque Part",
        "postcode": "75004",
        "citycode": "75104",
        "city": "Paris",
        "context": "75, Paris, Île-de-France",
    },
}

RESULT_COLUMNS = [
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_score_next",
    "result_type",
    "result_id",
    "result_housenumber",
    "result_name",
    "result_street",
    "result_postcode",
    "result_city",
    "result_context",
    "result_citycode",
    "result_oldcitycode",
    "result_oldcity",
    "result_district",
    "result_status",
]


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def search(request: Request) -> Response:
    query = request.query.get("q", [""])[0]
    if len(query.strip()) < 3:
        return Response(400, json.dumps({"code": 400, "message": "q must be 3 chars"}).encode())
    found = ADDRESSES.get(_key(query))
    features = []
    if found:
        properties = {key: value for key, value in found.items() if key not in {"lon", "lat"}}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [found["lon"], found["lat"]]},
                "properties": {**properties, "id": "75118_1234_00020", "name": found["label"]},
            }
        )
    body = {"type": "FeatureCollection", "query": query, "features": features}
    return Response(body=json.dumps(body).encode())


def multipart_fields(request: Request) -> dict[str, list[bytes]]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + request.headers["content-type"].encode() + b"\r\n\r\n" + request.body
    )
    fields: dict[str, list[bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields.setdefault(name, []).append(part.get_payload(decode=True))
    return fields


def search_csv(request: Request) -> Response:
    fields = multipart_fields(request)
    if "data" not in fields or "columns" not in fields:
        return Response(400, b'{"message": "data and columns are required"}')
    columns = [value.decode() for value in fields["columns"]]
    text = fields["data"][0].decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\n")
    writer.writerow([*reader.fieldnames, *RESULT_COLUMNS])
    for row in reader:
        query = " ".join(row[column] for column in columns if row.get(column))
        found = ADDRESSES.get(_key(query))
        if not query.strip():
            added = [""] * (len(RESULT_COLUMNS) - 1) + ["skipped"]
        elif not found:
            added = [""] * (len(RESULT_COLUMNS) - 1) + ["not-found"]
        else:
            added = [
                found["lat"],
                found["lon"],
                found["label"],
                found["score"],
                "",
                found["type"],
                "75118_1234_00020",
                found["housenumber"],
                found["label"],
                found["street"],
                found["postcode"],
                found["city"],
                found["context"],
                found["citycode"],
                "",
                "",
                "",
                "ok",
            ]
        writer.writerow([*row.values(), *added])
    return Response(body=output.getvalue().encode(), content_type="text/csv; charset=utf-8")


def install(http_server, settings) -> None:
    """Serve the geocoder on `http_server` and point the settings to it."""
    http_server.route("GET", "/geocodage/search/", search)
    http_server.route("POST", "/geocodage/search/csv/", search_csv)
    settings.GEOCODER_URL = http_server.url("/geocodage")
    settings.GEOCODER_RETRY_BACKOFF = 0
