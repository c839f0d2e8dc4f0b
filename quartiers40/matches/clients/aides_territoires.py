"""Aides-territoires: the public aids (grants, engineering, loans) open to local projects.

The API (https://aides-territoires.beta.gouv.fr/api/, version 1.8) as the service's own
code shows it — MTES-MCT/aides-territoires-symfony: src/Security/TokenAuthenticator.php,
config/packages/security.yaml and lexik_jwt_authentication.yaml (authentication),
src/Controller/Api/Aid/AidController.php (aids), src/Controller/Api/Perimeter/
PerimeterController.php (perimeters), src/Controller/Api/ApiController.php (pagination),
src/Service/Aid/AidSearchFormService.php and config/packages/api_platform.yaml (filter
names and their history):

- `POST /api/connexion/` with the header `X-AUTH-TOKEN: <API key>` answers
  `{"token": "<JWT>"}`, valid 24 h (`token_ttl: 86400`); a refused key answers 401
  `{"message": ...}`. Every other call carries `Authorization: Bearer <JWT>`; an expired
  or invalid token answers 401 (LexikJWT: `{"code": 401, "message": "Expired JWT Token"}`).
- `GET /api/aids/?keyword=...&organization_type_slugs=...&perimeter_id=...&page=N
  &itemsPerPage=M` (1.8 names; the older `text`, `targeted_audiences` and `perimeter` are
  still accepted; a list filter is the parameter repeated; `itemsPerPage` defaults to 50,
  at most 100) answers `{"count", "previous", "next", "results": [...]}`. An aid carries
  `id`, `slug`, `url` (a path, `/aides/<slug>/`), `name`, `name_initial`, `short_title`,
  `financers` (names) and `financers_full`, `instructors`, `programs`, `description`,
  `eligibility`, `perimeter` (its name) and `perimeter_scale`, `mobilization_steps`,
  `origin_url`, `categories` ("Thème / Catégorie"), `is_call_for_project`,
  `application_url`, `targeted_audiences`, `aid_types` and `aid_types_full`,
  `destinations`, `start_date`, `predeposit_date`, `submission_deadline` ("YYYY-MM-DD" or
  null), `subvention_rate_lower_bound` / `_upper_bound`, `loan_amount`, `contact`,
  `recurrence`, `date_created`, `date_updated` (ISO 8601), `is_live`, ...
- `GET /api/perimeters/?insees=<INSEE>&scale=commune` (also `q=` for a name, `zipcodes=`)
  answers the same envelope; a perimeter is `{"id": "<n>-<slug>", "text", "name",
  "scale", "zipcodes", "code"}` and `perimeter_id` takes that `id`. The search of aids on a
  commune's perimeter includes the aids of the wider perimeters (EPCI, department, region,
  country) that contain it.
- `GET /api/aids/audiences/` lists the audience slugs: `commune`, `epci`, `department`,
  `region`, `special`, `public-org`, `public-cies`, `association`, `private-sector`,
  `private-person`, `farmer`, `researcher`.

Off unless `AIDES_TERRITOIRES_KEY` is set. The token is kept in Django's cache (23 h), a
commune's perimeter for a week, an answer for an hour. Every failure (disabled, refused
key, timeout, network, HTTP error, unreadable answer) raises `AidesTerritoiresUnavailable`
so the caller shows its own suggestions without this source.
"""

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

USER_AGENT = "Quartiers40/1.0 (+https://quartiers40.fr)"
MAX_PER_PAGE = 100  # the API's ceiling for itemsPerPage
TOKEN_SECONDS = 23 * 3600  # the token lives 24 h: renew it before it expires
PERIMETER_SECONDS = 7 * 24 * 3600  # a commune's perimeter id does not move
PERIMETER_MISSING_SECONDS = 24 * 3600
RESULTS_SECONDS = 3600
CACHE_PREFIX = "aides_territoires:v1"  # bump when Aid or Perimeter change shape
_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")


class AidesTerritoiresUnavailable(Exception):
    """No answer from Aides-territoires this time; `reason` says why (for logs)."""

    def __init__(self, reason: str, *, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


class PerimeterNotFound(AidesTerritoiresUnavailable):
    """The API knows no commune with this INSEE code: searching without it would answer
    with the aids of every territory."""


def _setting(name: str, default):
    return getattr(settings, name, default)


class AidesTerritoiresConf:
    """Read at call time, so `override_settings` and the environment both work."""

    @property
    def URL(self) -> str:
        url = _setting("AIDES_TERRITOIRES_URL", "") or "https://aides-territoires.beta.gouv.fr/api"
        return str(url).strip().rstrip("/")

    @property
    def KEY(self) -> str:
        return str(_setting("AIDES_TERRITOIRES_KEY", "") or "")

    @property
    def TIMEOUT(self) -> float:
        return float(_setting("AIDES_TERRITOIRES_TIMEOUT", 4.0))

    @property
    def SITE_URL(self) -> str:
        """Where the aid pages are: the API's URL without its `/api`."""
        return self.URL.removesuffix("/api")


conf = AidesTerritoiresConf()


@dataclass(frozen=True, slots=True)
class Perimeter:
    id: str  # "<n>-<slug>", what `perimeter_id` takes
    name: str
    scale: str
    code: str  # the INSEE code for a commune
    zipcodes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Aid:
    id: int
    name: str
    url: str  # the aid's page on aides-territoires
    financers: tuple[str, ...]
    deadline: date | None  # the submission deadline; None for an aid open all year
    aid_types: tuple[str, ...]
    categories: tuple[str, ...]
    perimeter: str  # the name of the territory the aid covers
    is_call_for_project: bool
    slug: str = ""


def aides_enabled() -> bool:
    return bool(conf.KEY)


def aids_search(
    *,
    text: str,
    audiences: Sequence[str] = (),
    perimeter_insee: str = "",
    limit: int = 10,
) -> list[Aid]:
    """The first `limit` aids (at most 100) matching `text` for these audience slugs, on the
    perimeter of the commune `perimeter_insee` (and those containing it). Only the first
    page is read. Cached for an hour per set of parameters."""
    if not aides_enabled():
        raise AidesTerritoiresUnavailable("disabled")
    if isinstance(audiences, str):
        audiences = (audiences,)
    text = " ".join(text.split())
    audience_slugs = sorted({slug.strip() for slug in audiences if slug and slug.strip()})
    insee = _insee(perimeter_insee) if perimeter_insee.strip() else ""
    limit = max(1, min(MAX_PER_PAGE, int(limit)))
    key = _cache_key("aids", conf.URL, text.lower(), audience_slugs, insee, limit)
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    params: list[tuple[str, str]] = []
    if text:
        params.append(("keyword", text))
    params += [("organization_type_slugs", slug) for slug in audience_slugs]
    with _client() as client:
        if insee:
            perimeter = _perimeter(client, insee)
            if perimeter is None:
                raise _failure(f"no perimeter for the INSEE code {insee}", kind=PerimeterNotFound)
            params.append(("perimeter_id", perimeter.id))
        params += [("itemsPerPage", str(limit)), ("page", "1")]
        answer = _get(client, "/aids/", params)
    aids = _read_aids(answer)[:limit]
    cache.set(key, aids, RESULTS_SECONDS)
    return aids


def perimeter_for_insee(insee: str) -> Perimeter | None:
    """The commune's perimeter on Aides-territoires, or None if it knows none (cached)."""
    if not aides_enabled():
        raise AidesTerritoiresUnavailable("disabled")
    with _client() as client:
        return _perimeter(client, _insee(insee))


# --- Perimeters and aids --------------------------------------------------------------------


def _insee(value: str) -> str:
    code = value.strip().upper()
    if not _INSEE.fullmatch(code):
        raise ValueError(f"not an INSEE commune code: {value!r}")
    return code


def _perimeter(client: httpx.Client, insee: str) -> Perimeter | None:
    key = _cache_key("perimeter", conf.URL, insee)
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # False: known to be missing
    answer = _get(client, "/perimeters/", [("insees", insee), ("scale", "commune")])
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise _failure("unexpected perimeters answer")
    found = None
    for item in answer["results"]:
        # Only the commune itself: a server ignoring the filter answers with others.
        if isinstance(item, dict) and str(item.get("code") or "") == insee and item.get("id"):
            found = Perimeter(
                id=str(item["id"]),
                name=str(item.get("name") or ""),
                scale=str(item.get("scale") or ""),
                code=insee,
                zipcodes=_strings(item.get("zipcodes")),
            )
            break
    if found is None:
        cache.set(key, False, PERIMETER_MISSING_SECONDS)
    else:
        cache.set(key, found, PERIMETER_SECONDS)
    return found


def _read_aids(answer: Any) -> list[Aid]:
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise _failure("unexpected aids answer (no results list)")
    aids = []
    for item in answer["results"]:
        try:
            aids.append(_aid(item))
        except (KeyError, TypeError, ValueError) as exc:
            logger.info("Aides-territoires: an aid skipped (%s)", exc)
    if answer["results"] and not aids:
        raise _failure("no readable aid in the answer")
    return aids


def _aid(item: Any) -> Aid:
    if not isinstance(item, dict):
        raise TypeError("an aid is not an object")
    name = str(item.get("name") or "").strip()
    if not name:
        raise ValueError("an aid without a name")
    slug = str(item.get("slug") or "")
    path = str(item.get("url") or (f"/aides/{slug}/" if slug else ""))
    if not path:
        raise ValueError("an aid without a page")
    return Aid(
        id=int(item["id"]),
        name=name,
        url=path if path.startswith(("https://", "http://")) else conf.SITE_URL + path,
        financers=_strings(item.get("financers")),
        deadline=_date(item.get("submission_deadline")),
        aid_types=_strings(item.get("aid_types")),
        categories=_strings(item.get("categories")),
        perimeter=str(item.get("perimeter") or ""),
        is_call_for_project=item.get("is_call_for_project") is True,
        slug=slug,
    )


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(entry).strip() for entry in value if entry and str(entry).strip())


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


# --- HTTP, the token ------------------------------------------------------------------------


def _client() -> httpx.Client:
    timeout = httpx.Timeout(conf.TIMEOUT, connect=min(2.0, conf.TIMEOUT))
    return httpx.Client(
        timeout=timeout, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )


def _cache_key(kind: str, *parts: Any) -> str:
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]
    return f"{CACHE_PREFIX}:{kind}:{digest}"


def _token_key() -> str:
    return _cache_key("token", conf.URL, conf.KEY)


def _token(client: httpx.Client, *, renew: bool = False) -> str:
    """The bearer token: the cached one, or a new one from `/connexion/`."""
    key = _token_key()
    if not renew:
        token = cache.get(key)
        if token:
            return token
    response = _send(client, "POST", "/connexion/", headers={"X-AUTH-TOKEN": conf.KEY})
    if response.status_code in {401, 403}:
        raise _failure("the API key is refused", status=response.status_code)
    if response.is_error:
        raise _failure(f"HTTP {response.status_code} on /connexion/", status=response.status_code)
    answer = _json(response)
    token = answer.get("token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise _failure("no token in the /connexion/ answer")
    cache.set(key, token, TOKEN_SECONDS)
    return token


def _get(client: httpx.Client, path: str, params: list[tuple[str, str]]) -> Any:
    """The decoded answer; on a 401 the token is renewed once."""
    token = _token(client)
    for attempt in range(2):
        response = _send(
            client, "GET", path, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        if response.status_code == 401 and attempt == 0:
            token = _token(client, renew=True)
            continue
        if response.is_error:
            raise _failure(f"HTTP {response.status_code} on {path}", status=response.status_code)
        return _json(response)
    raise AssertionError("unreachable")  # pragma: no cover


def _send(client: httpx.Client, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        return client.request(method, conf.URL + path, **kwargs)
    except httpx.TimeoutException as exc:
        raise _failure(f"timeout after {conf.TIMEOUT} s on {path}") from exc
    except httpx.HTTPError as exc:
        raise _failure(f"network error on {path}: {exc}") from exc


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise _failure("unreadable answer (not JSON)") from exc


def _failure(
    reason: str,
    *,
    status: int | None = None,
    kind: type[AidesTerritoiresUnavailable] = AidesTerritoiresUnavailable,
) -> AidesTerritoiresUnavailable:
    logger.warning("Aides-territoires unavailable: %s", reason)
    return kind(reason, status=status)
