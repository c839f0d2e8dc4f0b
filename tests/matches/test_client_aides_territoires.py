"""The Aides-territoires adapter against a real local HTTP server speaking the API 1.8 format
(MTES-MCT/aides-territoires-symfony: /api/connexion/, /api/aids/, /api/perimeters/)."""

import json
import math
import time
from datetime import date
from itertools import count
from urllib.parse import urlencode

import pytest

from quartiers40.matches.clients.aides_territoires import (
    Aid,
    AidesTerritoiresUnavailable,
    Perimeter,
    PerimeterNotFound,
    aides_enabled,
    aids_search,
    perimeter_for_insee,
)
from tests.territories.conftest import Response, http_server  # noqa: F401

KEY = "cle-api-de-test"
API = "/at/api"

PERIMETERS = [
    # `insee` is the server's column the `insees` filter reads; it is not in the answer.
    {"n": 70101, "slug": "montreuil", "name": "Montreuil", "text": "Montreuil (93100)",
     "scale": "commune", "zipcodes": ["93100"], "code": "93048", "insee": "93048"},
    {"n": 70102, "slug": "montreuil", "name": "Montreuil", "text": "Montreuil (62170)",
     "scale": "commune", "zipcodes": ["62170"], "code": "62588", "insee": "62588"},
    {"n": 93, "slug": "seine-saint-denis", "name": "Seine-Saint-Denis",
     "text": "Seine-Saint-Denis (Département)", "scale": "Département", "zipcodes": [],
     "code": "93", "insee": None},
    {"n": 70200, "slug": "rennes", "name": "Rennes", "text": "Rennes (35000)",
     "scale": "commune", "zipcodes": ["35000", "35200", "35700"], "code": "35238",
     "insee": "35238"},
]  # fmt: skip


def aid(n: int, name: str, *, covers: str, audiences: list[str], **fields) -> dict:
    """An aid as `AidController::getResultsSpe` writes it, plus what the fake filters on:
    `_covers` (the INSEE prefix of the communes in its perimeter) and `_audiences` (slugs)."""
    slug = f"{n:04x}-" + name.lower().replace(" ", "-").replace(":", "")[:40]
    return {
        "id": n,
        "slug": slug,
        "url": f"/aides/{slug}/",
        "name": name,
        "name_initial": name,
        "short_title": None,
        "financers": fields.pop("financers", ["Ministère de la Transition écologique"]),
        "financers_full": [],
        "instructors": [],
        "instructors_full": [],
        "programs": [],
        "description": fields.pop("description", f"<p>{name}</p>"),
        "eligibility": "",
        "perimeter": fields.pop("perimeter", "France"),
        "perimeter_scale": "Pays",
        "mobilization_steps": ["Réflexion / conception"],
        "origin_url": "https://www.ecologie.gouv.fr/fonds-vert",
        "categories": fields.pop("categories", ["Nature / environnement / Biodiversité"]),
        "is_call_for_project": fields.pop("is_call_for_project", False),
        "application_url": None,
        "targeted_audiences": ["Communes", "Associations"],
        "aid_types": fields.pop("aid_types", ["Subvention"]),
        "aid_types_full": [],
        "is_charged": False,
        "destinations": [],
        "start_date": "2024-01-15",
        "predeposit_date": None,
        "submission_deadline": fields.pop("submission_deadline", None),
        "subvention_rate_lower_bound": None,
        "subvention_rate_upper_bound": 80,
        "subvention_comment": None,
        "loan_amount": None,
        "recoverable_advance_amount": None,
        "contact": "<p>contact@example.org</p>",
        "recurrence": "Permanente",
        "project_examples": None,
        "import_data_url": None,
        "import_data_mention": None,
        "import_share_licence": None,
        "date_created": "2024-01-10T09:30:00+01:00",
        "date_updated": "2025-03-02T14:00:00+01:00",
        "project_references": [],
        "european_aid": None,
        "is_live": True,
        "_covers": covers,
        "_audiences": audiences,
        **fields,
    }


AIDS = [
    aid(
        1,
        "Fonds vert : renaturation des villes et des villages",
        covers="",
        audiences=["commune", "epci"],
        submission_deadline="2025-12-31",
        is_call_for_project=True,
        description="<p>Désimperméabiliser, créer des jardins et des îlots de fraîcheur.</p>",
    ),
    aid(
        2,
        "Soutien aux projets associatifs de quartier",
        covers="93048",
        audiences=["association"],
        financers=["Ville de Montreuil"],
        perimeter="Montreuil",
        categories=["Solidarités / Cohésion sociale", "Citoyenneté / Vie associative"],
        description="<p>Jardin partagé, fête de quartier, atelier vélo.</p>",
    ),
    aid(
        3,
        "Accompagnement des jardins partagés",
        covers="93",
        audiences=["commune", "association"],
        financers=["Département de la Seine-Saint-Denis", "Agence de l'eau Seine-Normandie"],
        perimeter="Seine-Saint-Denis",
        aid_types=["Ingénierie technique", "Subvention"],
        submission_deadline="2026-06-30",
    ),
    aid(
        4,
        "Jardins familiaux en Ille-et-Vilaine",
        covers="35",
        audiences=["commune", "association"],
        perimeter="Ille-et-Vilaine",
    ),
]


class FakeAidesTerritoires:
    """The three endpoints, with tokens it can revoke (an expired JWT)."""

    def __init__(self, server, aids=AIDS):
        self.server = server
        self.aids = aids
        self.tokens: set[str] = set()
        self.numbers = count(1)
        server.route("POST", f"{API}/connexion/", self.connexion)
        server.route("GET", f"{API}/aids/", self.authenticated(self.search_aids))
        server.route("GET", f"{API}/perimeters/", self.authenticated(self.search_perimeters))

    def requests(self, path: str):
        return [request for request in self.server.requests if request.path == API + path]

    def connexion(self, request):
        if request.headers.get("x-auth-token") != KEY:
            return Response(401, b'{"message": "User not found"}')
        token = f"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{next(self.numbers)}.signature"
        self.tokens.add(token)
        return Response(body=json.dumps({"token": token}).encode())

    def authenticated(self, handler):
        def check(request):
            authorization = request.headers.get("authorization", "")
            if not authorization.startswith("Bearer "):
                return Response(401, b'{"code": 401, "message": "JWT Token not found"}')
            if authorization.removeprefix("Bearer ") not in self.tokens:
                return Response(401, b'{"code": 401, "message": "Expired JWT Token"}')
            return handler(request)

        return check

    def envelope(self, request, items: list[dict]) -> Response:
        page = int(request.query.get("page", ["1"])[0])
        size = min(100, int(request.query.get("itemsPerPage", ["50"])[0]))
        pages = max(1, math.ceil(len(items) / size))
        base = self.server.url(request.path)

        def link(number):
            query = dict(request.query)
            query["page"] = [str(number)]
            return f"{base}?{urlencode(query, doseq=True)}"

        body = {
            "count": len(items),
            "previous": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < pages else None,
            "results": items[(page - 1) * size : page * size],
        }
        return Response(body=json.dumps(body).encode())

    def search_perimeters(self, request):
        insees = request.query.get("insees", [])
        scale = request.query.get("scale", [""])[0]
        found = [
            {
                "id": f"{p['n']}-{p['slug']}",
                "text": p["text"],
                "name": p["name"],
                "scale": p["scale"],
                "zipcodes": p["zipcodes"],
                "code": p["code"],
            }
            for p in PERIMETERS
            if (not insees or p["insee"] in insees) and (not scale or p["scale"] == scale)
        ]
        return self.envelope(request, found)

    def search_aids(self, request):
        keyword = request.query.get("keyword", [""])[0].lower()
        audiences = set(request.query.get("organization_type_slugs", []))
        perimeter = request.query.get("perimeter_id", [""])[0]
        code = None
        if perimeter:
            number = int(perimeter.split("-")[0])  # what PHP's (int) "70101-montreuil" gives
            code = next(p["code"] for p in PERIMETERS if p["n"] == number)
        found = [
            {key: value for key, value in item.items() if not key.startswith("_")}
            for item in self.aids
            if (not keyword or keyword in (item["name"] + item["description"]).lower())
            and (not audiences or audiences & set(item["_audiences"]))
            and (code is None or code.startswith(item["_covers"]))
        ]
        return self.envelope(request, found)


@pytest.fixture
def api(http_server, settings):  # noqa: F811
    settings.AIDES_TERRITOIRES_URL = http_server.url(API)
    settings.AIDES_TERRITOIRES_KEY = KEY
    settings.AIDES_TERRITOIRES_TIMEOUT = 2
    return FakeAidesTerritoires(http_server)


def test_off_without_a_key(settings):
    settings.AIDES_TERRITOIRES_KEY = ""
    assert not aides_enabled()
    with pytest.raises(AidesTerritoiresUnavailable) as raised:
        aids_search(text="jardin")
    assert raised.value.reason == "disabled"


def test_connects_then_searches_on_the_commune(api, http_server):  # noqa: F811
    aids = aids_search(text="Jardin", audiences=["association"], perimeter_insee="93048")
    assert [a.id for a in aids] == [2, 3]  # not the Breton one
    montreuil, departement = aids
    assert isinstance(montreuil, Aid)
    assert montreuil.name == "Soutien aux projets associatifs de quartier"
    assert montreuil.url == http_server.url(f"/at/aides/{montreuil.slug}/")
    assert montreuil.financers == ("Ville de Montreuil",)
    assert montreuil.deadline is None and not montreuil.is_call_for_project
    assert montreuil.categories == (
        "Solidarités / Cohésion sociale",
        "Citoyenneté / Vie associative",
    )
    assert montreuil.perimeter == "Montreuil"
    assert departement.deadline == date(2026, 6, 30)
    assert departement.aid_types == ("Ingénierie technique", "Subvention")

    connexion, perimeters, search = http_server.requests
    assert (connexion.method, connexion.path) == ("POST", f"{API}/connexion/")
    assert connexion.headers["x-auth-token"] == KEY
    assert perimeters.query == {"insees": ["93048"], "scale": ["commune"]}
    assert perimeters.headers["authorization"].startswith("Bearer eyJ")
    assert search.query == {
        "keyword": ["Jardin"],
        "organization_type_slugs": ["association"],
        "perimeter_id": ["70101-montreuil"],
        "itemsPerPage": ["10"],
        "page": ["1"],
    }


def test_the_token_serves_several_searches(api):
    aids_search(text="jardin")
    aids_search(text="fonds vert", audiences=["commune", "epci"])
    assert len(api.requests("/connexion/")) == 1
    assert len(api.requests("/aids/")) == 2


def test_an_expired_token_is_renewed_once(api):
    aids_search(text="jardin")
    api.tokens.clear()  # the JWT expired on the server's side
    aids = aids_search(text="vélo")
    assert [a.id for a in aids] == [2]
    assert len(api.requests("/connexion/")) == 2
    first, refused, retried = api.requests("/aids/")
    assert first.headers["authorization"] == refused.headers["authorization"]
    assert retried.headers["authorization"] != refused.headers["authorization"]


def test_a_token_refused_twice_is_unavailable_after_one_renewal(api, http_server):  # noqa: F811
    http_server.route(
        "GET", f"{API}/aids/", lambda r: Response(401, b'{"code": 401, "message": "Invalid"}')
    )
    with pytest.raises(AidesTerritoiresUnavailable) as raised:
        aids_search(text="jardin")
    assert raised.value.status == 401
    assert [(r.method, r.path) for r in http_server.requests] == [
        ("POST", f"{API}/connexion/"),
        ("GET", f"{API}/aids/"),
        ("POST", f"{API}/connexion/"),
        ("GET", f"{API}/aids/"),
    ]


def test_a_refused_key_is_unavailable(api, settings):
    settings.AIDES_TERRITOIRES_KEY = "une-autre-cle"
    with pytest.raises(AidesTerritoiresUnavailable) as raised:
        aids_search(text="jardin")
    assert raised.value.status == 401 and "refused" in raised.value.reason
    assert len(api.server.requests) == 1


def test_a_connexion_answer_without_token_is_unavailable(api, http_server):  # noqa: F811
    http_server.route("POST", f"{API}/connexion/", lambda r: Response(body=b'{"jeton": "x"}'))
    with pytest.raises(AidesTerritoiresUnavailable):
        aids_search(text="jardin")


def test_the_perimeter_of_a_commune_is_looked_up_once(api):
    perimeter = perimeter_for_insee("93048")
    assert perimeter == Perimeter(
        id="70101-montreuil", name="Montreuil", scale="commune", code="93048", zipcodes=("93100",)
    )
    assert perimeter_for_insee(" 93048 ") == perimeter
    aids_search(text="jardin", perimeter_insee="93048")
    aids_search(text="vélo", perimeter_insee="93048")
    assert len(api.requests("/perimeters/")) == 1


def test_an_unknown_commune_is_not_searched_everywhere(api):
    assert perimeter_for_insee("2A004") is None
    with pytest.raises(PerimeterNotFound) as raised:
        aids_search(text="jardin", perimeter_insee="2A004")
    assert isinstance(raised.value, AidesTerritoiresUnavailable)
    assert len(api.requests("/perimeters/")) == 1  # the absence is cached too
    assert api.requests("/aids/") == []
    with pytest.raises(ValueError):
        aids_search(text="jardin", perimeter_insee="Montreuil")


def test_an_answer_is_cached_per_parameters(api):
    first = aids_search(text="jardin", audiences=["association", "commune"])
    again = aids_search(text="  JARDIN ", audiences=["commune", "association"])
    assert again == first
    assert len(api.requests("/aids/")) == 1
    aids_search(text="jardin", audiences=["association"])
    aids_search(text="jardin", audiences=["association", "commune"], limit=1)
    assert len(api.requests("/aids/")) == 3


def test_only_the_first_page_is_read(api):
    aids = aids_search(text="", limit=2)
    assert [a.id for a in aids] == [1, 2]
    (search,) = api.requests("/aids/")
    assert search.query["itemsPerPage"] == ["2"] and search.query["page"] == ["1"]
    assert "keyword" not in search.query
    assert aids_search(text="jardin", limit=500) and api.requests("/aids/")[-1].query[
        "itemsPerPage"
    ] == ["100"]


def test_a_slow_answer_is_unavailable_quickly(api, http_server, settings):  # noqa: F811
    settings.AIDES_TERRITOIRES_TIMEOUT = 0.3
    http_server.route("GET", f"{API}/aids/", lambda r: Response(body=b'{"results": []}', delay=5))
    started = time.monotonic()
    with pytest.raises(AidesTerritoiresUnavailable) as raised:
        aids_search(text="jardin")
    assert time.monotonic() - started < 1.5
    assert raised.value.reason.startswith("timeout")


def test_a_server_error_is_unavailable_and_not_cached(api, http_server):  # noqa: F811
    good = http_server.routes[("GET", f"{API}/aids/")]
    http_server.route("GET", f"{API}/aids/", lambda r: Response(502, b"<html>Bad Gateway</html>"))
    with pytest.raises(AidesTerritoiresUnavailable) as raised:
        aids_search(text="jardin")
    assert raised.value.status == 502
    assert len(api.requests("/aids/")) == 1  # not retried: the page falls back at once
    http_server.route("GET", f"{API}/aids/", good)
    assert aids_search(text="jardin")


def test_an_unreachable_server_is_unavailable(settings):
    settings.AIDES_TERRITOIRES_URL = "http://127.0.0.1:9/api"  # discard port: refused
    settings.AIDES_TERRITOIRES_KEY = KEY
    with pytest.raises(AidesTerritoiresUnavailable) as raised:
        aids_search(text="jardin")
    assert raised.value.reason.startswith("network error")


@pytest.mark.parametrize(
    "body",
    [b"<html>maintenance</html>", b"[]", b'{"count": 1}', b'{"results": {"id": 1}}'],
    ids=["not-json", "a-list", "no-results", "results-not-a-list"],
)
def test_a_malformed_answer_is_unavailable(api, http_server, body):  # noqa: F811
    http_server.route("GET", f"{API}/aids/", lambda r: Response(body=body))
    with pytest.raises(AidesTerritoiresUnavailable):
        aids_search(text="jardin")


def test_unreadable_aids_are_skipped_but_not_all_of_them(api, http_server):  # noqa: F811
    broken = [{"id": "x", "name": "Sans identifiant"}, {"id": 9}, "une chaîne"]
    good = {key: value for key, value in AIDS[1].items() if not key.startswith("_")}
    body = {"count": 4, "next": None, "previous": None, "results": [*broken, good]}
    http_server.route("GET", f"{API}/aids/", lambda r: Response(body=json.dumps(body).encode()))
    assert [a.id for a in aids_search(text="jardin")] == [2]
    body["results"] = broken
    with pytest.raises(AidesTerritoiresUnavailable):
        aids_search(text="vélo")
