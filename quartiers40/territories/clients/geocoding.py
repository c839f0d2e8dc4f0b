"""The Géoplateforme geocoder (IGN, national address base): address -> lon/lat.

Two endpoints under `GEOCODER_URL` (default https://data.geopf.fr/geocodage):

- `GET /search/?q=...&limit=1` for one address: a GeoJSON FeatureCollection whose
  features carry `geometry.coordinates = [lon, lat]` and the properties `label`,
  `score`, `housenumber`, `street`, `postcode`, `citycode`, `city`, `context`, `type`;
- `POST /search/csv/` for many: multipart `data` (a CSV file) and `columns` (the
  columns forming the address); it answers the same CSV with `latitude`, `longitude`,
  `result_label`, `result_score`, `result_type`, ..., `result_status` added
  (`ok`, `not-found`, `skipped`, or `error`).

Callers never get an exception: a timeout, a network error or a server error after
`GEOCODER_RETRIES` retries gives results with the status `unavailable`, and so does
`GEOCODER_ENABLED = False`.
"""

import csv
import io
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import httpx

from ..conf import conf
from .download import USER_AGENT

logger = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_QUERY_LENGTH = 200  # the API refuses longer queries
MIN_QUERY_LENGTH = 3  # ... and shorter ones
_ROW_ID = "q40_row"


class GeocodingStatus(StrEnum):
    OK = "ok"
    UNCERTAIN = "uncertain"  # found, with a score under GEOCODER_MIN_SCORE
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"  # disabled, timeout, network or server error


@dataclass(frozen=True, slots=True)
class AddressQuery:
    address: str
    postcode: str = ""
    city: str = ""

    @property
    def text(self) -> str:
        parts = (self.address, self.postcode, self.city)
        return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


@dataclass(frozen=True, slots=True)
class GeocodingResult:
    status: GeocodingStatus
    query: str
    lon: float | None = None
    lat: float | None = None
    label: str = ""
    score: float | None = None
    result_type: str = ""  # housenumber, street, locality, municipality
    housenumber: str = ""
    street: str = ""
    postcode: str = ""
    citycode: str = ""
    city: str = ""
    context: str = ""
    error: str = ""  # why it is unavailable, for logs

    @property
    def located(self) -> bool:
        return self.lon is not None and self.lat is not None


def geocode(query: AddressQuery | str) -> GeocodingResult:
    """Geocode one address with `/search/`."""
    if isinstance(query, str):
        query = AddressQuery(address=query)
    text = query.text[:MAX_QUERY_LENGTH]
    if len(text) < MIN_QUERY_LENGTH:
        return GeocodingResult(status=GeocodingStatus.NOT_FOUND, query=text)
    if not conf.GEOCODER_ENABLED:
        return _unavailable(text, "disabled")
    response, error = _send(
        lambda client: client.get(f"{conf.GEOCODER_URL}/search/", params={"q": text, "limit": 1}),
        timeout=conf.GEOCODER_TIMEOUT,
    )
    if response is None:
        return _unavailable(text, error)
    try:
        features = response.json()["features"]
    except (ValueError, KeyError, TypeError):
        return _unavailable(text, "unreadable answer")
    if not features:
        return GeocodingResult(status=GeocodingStatus.NOT_FOUND, query=text)
    try:
        feature = features[0]
        lon, lat = (float(value) for value in feature["geometry"]["coordinates"][:2])
        properties = feature.get("properties") or {}
        score = float(properties.get("score", 0.0))
    except (KeyError, TypeError, ValueError, IndexError):
        return _unavailable(text, "unreadable feature")
    return GeocodingResult(
        status=_status_for_score(score),
        query=text,
        lon=lon,
        lat=lat,
        label=str(properties.get("label", "")),
        score=score,
        result_type=str(properties.get("type", "")),
        housenumber=str(properties.get("housenumber", "")),
        street=str(properties.get("street", "")),
        postcode=str(properties.get("postcode", "")),
        citycode=str(properties.get("citycode", "")),
        city=str(properties.get("city", "")),
        context=str(properties.get("context", "")),
    )


def geocode_many(
    queries: Sequence[AddressQuery],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[GeocodingResult]:
    """Geocode many addresses with `/search/csv/`, `GEOCODER_BATCH_SIZE` rows per request.

    The results are in the order of `queries`. `progress(done, total)` is called after
    each chunk.
    """
    texts = [query.text[:MAX_QUERY_LENGTH] for query in queries]
    results: list[GeocodingResult | None] = [None] * len(texts)
    to_send = []
    for i, text in enumerate(texts):
        if len(text) < MIN_QUERY_LENGTH:
            results[i] = GeocodingResult(status=GeocodingStatus.NOT_FOUND, query=text)
        else:
            to_send.append(i)
    size = conf.GEOCODER_BATCH_SIZE
    done = len(texts) - len(to_send)
    for start in range(0, len(to_send), size):
        chunk = to_send[start : start + size]
        for i, result in zip(chunk, _geocode_chunk([texts[i] for i in chunk]), strict=True):
            results[i] = result
        done += len(chunk)
        if progress:
            progress(done, len(texts))
    return [result for result in results if result is not None]


def _geocode_chunk(texts: list[str]) -> list[GeocodingResult]:
    if not conf.GEOCODER_ENABLED:
        return [_unavailable(text, "disabled") for text in texts]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_ROW_ID, "adresse"])
    writer.writerows([i, text] for i, text in enumerate(texts))
    payload = buffer.getvalue().encode("utf-8")
    response, error = _send(
        lambda client: client.post(
            f"{conf.GEOCODER_URL}/search/csv/",
            data={"columns": ["adresse"]},
            files={"data": ("adresses.csv", payload, "text/csv")},
        ),
        timeout=conf.GEOCODER_BATCH_TIMEOUT,
    )
    if response is None:
        return [_unavailable(text, error) for text in texts]
    try:
        rows = _read_answer(response.content)
    except (csv.Error, UnicodeDecodeError, ValueError) as exc:
        logger.warning("Geocoder CSV answer unreadable: %s", exc)
        return [_unavailable(text, "unreadable answer") for text in texts]
    results = []
    for i, text in enumerate(texts):
        row = rows.get(str(i))
        results.append(_unavailable(text, "row missing") if row is None else _from_row(text, row))
    return results


def _read_answer(content: bytes) -> dict[str, dict[str, str]]:
    text = content.decode("utf-8-sig")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or _ROW_ID not in reader.fieldnames:
        raise ValueError("the row id column is missing")
    return {row[_ROW_ID]: row for row in reader}


def _from_row(text: str, row: dict[str, str]) -> GeocodingResult:
    status = (row.get("result_status") or "").strip()
    latitude, longitude = row.get("latitude") or "", row.get("longitude") or ""
    if status in {"not-found", "skipped"} or (not status and not latitude):
        return GeocodingResult(status=GeocodingStatus.NOT_FOUND, query=text)
    if status not in {"ok", ""}:
        return _unavailable(text, f"result_status={status}")
    try:
        lon, lat = float(longitude), float(latitude)
        score = float(row.get("result_score") or 0.0)
    except ValueError:
        return _unavailable(text, "unreadable coordinates")
    return GeocodingResult(
        status=_status_for_score(score),
        query=text,
        lon=lon,
        lat=lat,
        label=row.get("result_label") or "",
        score=score,
        result_type=row.get("result_type") or "",
        housenumber=row.get("result_housenumber") or "",
        street=row.get("result_street") or "",
        postcode=row.get("result_postcode") or "",
        citycode=row.get("result_citycode") or "",
        city=row.get("result_city") or "",
        context=row.get("result_context") or "",
    )


def _status_for_score(score: float) -> GeocodingStatus:
    return GeocodingStatus.OK if score >= conf.GEOCODER_MIN_SCORE else GeocodingStatus.UNCERTAIN


def _unavailable(text: str, error: str) -> GeocodingResult:
    return GeocodingResult(status=GeocodingStatus.UNAVAILABLE, query=text, error=error)


def _send(
    request: Callable[[httpx.Client], httpx.Response], *, timeout: float
) -> tuple[httpx.Response | None, str]:
    """(response, "") on success, or (None, why) once the retries are spent."""
    attempts = 1 + conf.GEOCODER_RETRIES
    error = ""
    with httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
        for attempt in range(attempts):
            if attempt:
                time.sleep(conf.GEOCODER_RETRY_BACKOFF * 2 ** (attempt - 1))
            try:
                response = request(client)
            except httpx.TimeoutException:
                error = f"timeout after {timeout} s"
                continue
            except httpx.HTTPError as exc:
                error = f"network error: {exc}"
                continue
            if response.status_code in RETRY_STATUSES:
                error = f"HTTP {response.status_code}"
                continue
            if response.is_error:
                error = f"HTTP {response.status_code}"
                break  # a client error will not improve by retrying
            return response, ""
    logger.warning("Geocoder unavailable: %s", error)
    return None, error
