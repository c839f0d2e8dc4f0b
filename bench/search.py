"""Benchmark: the site-wide search (`selectors.search_run`) over 100,000 items of every kind.

    .venv/bin/python bench/search.py              # SQLite, then PostgreSQL
    .venv/bin/python bench/search.py sqlite       # one of them (or: postgresql)

Data (fixed seed): BENCH_SEARCH_ITEMS items (default 100,000) in the proportions of a grown
site: projects 15 %, défis 15 %, opportunities 35 %, organisations 15 %, editions 2 %,
agenda items 8 %, minutes 2 %, and 8 % of places: the real 1,584 QPVs of the layer in
QPV_SOURCE (default ../shared/data/qpv/qpv2024_national_4dp.geojson) with their communes
and centroids, and communes (those of the QPVs, then the most populous of their
departments, from the commune list of `territories.communes`). The texts are the demo's:
the string literals of quartiers40/*/demo_data.py and quartiers40/*/demo.py (titles,
summaries, descriptions, names), recombined per item with a seed of its own (title parts,
sentences, real QPV and commune names, points jittered around the QPVs' centroids), with
the lengths of real items (summary 1-2 sentences, body 300-2,000 characters), and the
apps' own labels (themes, kinds, audiences) as tags. Each item is built when the index
asks for it (`KindSource.build`), so nothing is held in memory.

Indexing goes through the site's own path, `services.search_index_rebuild(sources=...)`,
in a throw-away SQLite file and in a PostgreSQL database created and dropped here
(`BENCH_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/postgres, to create
`q40_bench_search_<pid>`; skipped, and said so, when PostgreSQL cannot be reached), then
ANALYZE. Measured: indexing time and rate, peak RSS, database size.

Queries: bench/search_queries.txt (about 60, typed the way people type), each in four
modes: no filter, type=opportunity, one department, around a point (10 km). A second
process, a fresh "web process" that never indexed anything, runs each search once to warm
up, then BENCH_SEARCH_REPEAT times (default 5): p50/p95/max of the wall clock and of this
process's CPU time for `search_run` (first page of 20), SQL queries per search, results.
Its memory: RSS after django.setup(), after the first search and after all of them, and
the tracemalloc peak of a pass over every search. The slowest searches are profiled
(cProfile: stage 1 SQL, loading the candidates' rows, query analysis, rerank, the page).

Targets: p95 under 50 ms in every mode on each database; the web process grows by less
than 50 MB. Exit status 1 when one is missed.
"""

import ast
import cProfile
import json
import math
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from _setup import machine  # noqa: E402

SEED = 20260501
ITEMS = int(os.environ.get("BENCH_SEARCH_ITEMS", "100000"))
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "5"))
KEEP = os.environ.get("BENCH_SEARCH_KEEP", "") not in ("", "0", "false")  # keep the databases
QUERIES_FILE = Path(os.environ.get("BENCH_SEARCH_QUERIES") or REPO / "bench" / "search_queries.txt")
TARGET_P95_MS = 50.0
TARGET_GROWTH_MB = 50.0
PAGE = 20
AROUND_M = 10_000
PROFILED = 3  # slowest searches profiled
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
# Share of each kind; the places' share goes to the QPVs first, communes take the rest.
SHARES = {
    "project": 0.15,
    "challenge": 0.15,
    "opportunity": 0.35,
    "organisation": 0.15,
    "edition": 0.02,
    "agenda_item": 0.08,
    "minutes": 0.02,
    "places": 0.08,
}
# The departments of the demo: the department and "around" modes take one per query in turn.
DEMO_DEPARTMENTS = ("93", "13", "69", "59", "33", "75")
MODES = ("no filter", "type=opportunity", "department", "around 10 km")
# Which demo module feeds which kind (by the app's directory).
APP_KINDS = {
    "projects": ("project",),
    "challenges": ("challenge",),
    "opportunities": ("opportunity",),
    "members": ("organisation",),
    "meetings": ("edition", "agenda_item", "minutes"),
}
TITLE_SPLITS = (" : ", " – ", " pour ", " avec ", " dans ", " en ", " sans ", " à ")


# --- machine and process figures -------------------------------------------------------


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    return _status_kb("VmHWM") / 1024


# --- the demo's texts ----------------------------------------------------------------------


@dataclass
class TextPool:
    titles: list[str]
    sentences: list[str]


def _literal(node: ast.AST) -> str | None:
    """A string literal, or an f-string with its holes as {}."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _title_like(text: str) -> bool:
    words = text.split()
    return (
        2 <= len(words) <= 14
        and 8 <= len(text) <= 110
        and text[0].isupper()
        and not text.endswith((".", ":"))
        and not any(mark in text for mark in ("{", "@", "/", "%", "\n", "fictif", "fictive"))
    )


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ý«(])")


def _sentences_of(text: str) -> list[str]:
    lines = [
        line.strip(" -*")
        for line in text.splitlines()
        if line.strip() and "{" not in line and not line.lstrip().startswith("#")
    ]
    found = []
    for sentence in _SENTENCE_END.split(" ".join(lines)):
        sentence = " ".join(sentence.replace("*", "").split())
        if (
            len(sentence.split()) >= 5
            and sentence.endswith((".", "!", "?", "…"))
            and not any(
                mark in sentence for mark in ("@", "http", "fictif", "fictive", "%(", "<", ">")
            )
        ):
            found.append(sentence)
    return found


def demo_texts_read(path: Path) -> tuple[TextPool, dict[str, list[str]]]:
    """The titles and sentences of one demo module, read from its source (no import), and
    its top-level lists of plain names (PLACE_NAMES, STREETS, SPEAKERS…)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    titles: list[str] = []
    sentences: list[str] = []
    lists: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            names = [_literal(element) for element in node.value.elts]
            if names and all(names) and all(len(name) < 60 for name in names):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        lists[target.id] = names
        if isinstance(node, ast.Tuple):
            texts = [_literal(element) for element in node.elts]
            if any(text and "@" in text for text in texts):
                continue  # accounts: e-mail and password
            title = next((text for text in texts if text and _title_like(text)), None)
            if title:
                titles.append(title)
        elif isinstance(node, ast.keyword) and node.arg in ("title", "name"):
            text = _literal(node.value)
            if text and _title_like(text):
                titles.append(text)
        text = _literal(node)
        if text and id(node) not in docstrings and len(text) >= 40:
            sentences.extend(_sentences_of(text))
    return TextPool(list(dict.fromkeys(titles)), list(dict.fromkeys(sentences))), lists


def demo_pools() -> tuple[dict[str, TextPool], TextPool, dict[str, list[str]]]:
    """Per kind: the titles and sentences of its app's demo modules; and all of them."""
    by_kind: dict[str, TextPool] = {}
    everything = TextPool([], [])
    lists: dict[str, list[str]] = {}
    paths = sorted((REPO / "quartiers40").glob("*/demo_data.py")) + sorted(
        (REPO / "quartiers40").glob("*/demo.py")
    )
    for path in paths:
        pool, names = demo_texts_read(path)
        lists.update(names)
        everything.titles.extend(pool.titles)
        everything.sentences.extend(pool.sentences)
        for kind in APP_KINDS.get(path.parent.name, ()):
            target = by_kind.setdefault(kind, TextPool([], []))
            target.titles.extend(pool.titles)
            target.sentences.extend(pool.sentences)
    for kind in ("project", "challenge", "opportunity", "organisation", "edition"):
        by_kind.setdefault(kind, TextPool(list(everything.titles), list(everything.sentences)))
    return by_kind, everything, lists


# --- the places: real QPVs and communes ------------------------------------------------------


@dataclass(frozen=True)
class Neighbourhood:
    code: str
    name: str
    commune_codes: tuple[str, ...]
    department: str
    lat: float
    lon: float


def geography() -> tuple[list[Neighbourhood], dict[str, dict], str]:
    """The QPVs of the layer (centroid, communes) and the commune list (name, population)."""
    from quartiers40.territories.communes import PACKAGE_DATA_DIR

    source = Path(
        os.environ.get("QPV_SOURCE")
        or REPO / ".." / "shared" / "data" / "qpv" / "qpv2024_national_4dp.geojson"
    )
    communes: dict[str, dict] = {}
    communes_file = PACKAGE_DATA_DIR / "communes.json"
    if communes_file.is_file():
        for entry in json.loads(communes_file.read_text(encoding="utf-8")):
            if entry.get("type") in ("commune-actuelle", "arrondissement-municipal"):
                communes[entry["code"]] = {
                    "name": entry["nom"],
                    "population": entry.get("population") or 0,
                    "department": entry.get("departement") or "",
                    "postcodes": entry.get("codesPostaux") or [],
                }
    if source.is_file():
        from quartiers40.territories.layer import qpv_layer_read

        layer = qpv_layer_read(source)
        qpvs = []
        for feature in layer.features:
            centre = feature.geometry.representative_point()
            qpvs.append(
                Neighbourhood(
                    feature.code,
                    feature.name,
                    tuple(feature.commune_codes),
                    feature.department_code,
                    centre.y,
                    centre.x,
                )
            )
        label = f"{source.name} ({len(qpvs)} QPVs)"
    else:
        rng = random.Random(SEED)
        qpvs = [
            Neighbourhood(
                f"QN{i:06d}",
                f"Quartier {i}",
                (),
                rng.choice(DEMO_DEPARTMENTS),
                rng.uniform(43.3, 50.5),
                rng.uniform(-1.5, 7.5),
            )
            for i in range(1584)
        ]
        label = f"SYNTHETIC QPVs (1584; {source} absent)"
    return qpvs, communes, label


def kind_counts(total: int, qpv_count: int) -> dict[str, int]:
    counts = {kind: round(total * share) for kind, share in SHARES.items()}
    places = counts.pop("places")
    counts["qpv"] = min(qpv_count, places)
    counts["commune"] = places - counts["qpv"]
    counts["opportunity"] += total - sum(counts.values())  # rounding
    return counts


# --- the synthetic items -------------------------------------------------------------------


class Generator:
    """Builds the SearchSource of (kind, object_id) from the demo's texts, always the same."""

    def __init__(self, qpvs, communes, counts) -> None:
        from quartiers40.challenges.enums import ChallengeStatus
        from quartiers40.meetings.enums import AgendaItemKind
        from quartiers40.members.enums import OrganisationKind
        from quartiers40.opportunities.enums import THEME_LABELS, Cost, OpportunityKind, Situation
        from quartiers40.projects.enums import AICategory, Beneficiary, Stage, Theme
        from quartiers40.territories.reference import department_name, region_of

        self.pools, self.everything, lists = demo_pools()
        self.place_names = lists.get("PLACE_NAMES") or ["Maison de quartier", "Centre social"]
        self.streets = lists.get("STREETS") or ["rue de la République"]
        self.speakers = lists.get("SPEAKERS") or ["Équipe de coordination"]
        self.qpvs = qpvs
        self.communes = communes
        self.by_department: dict[str, list[Neighbourhood]] = {}
        for qpv in qpvs:
            self.by_department.setdefault(qpv.department, []).append(qpv)
        self.department_name = department_name
        self.region_name = lambda code: region_of(code)[1]
        self.labels = {
            "theme": [str(label) for label in Theme.labels],
            "ai": [str(label) for label in AICategory.labels],
            "stage": [str(label) for label in Stage.labels],
            "beneficiary": [str(label) for label in Beneficiary.labels],
            "organisation_kind": [str(label) for label in OrganisationKind.labels],
            "challenge_status": [str(label) for label in ChallengeStatus.labels],
            "opportunity_kind": [str(label) for label in OpportunityKind.labels],
            "opportunity_theme": [str(label) for label in THEME_LABELS.values()],
            "situation": [str(label) for label in Situation.labels],
            "cost": [str(label) for label in Cost.labels],
            "agenda_kind": [str(label) for label in AgendaItemKind.labels],
        }
        self.organisations = self.pools["organisation"].titles
        self.commune_list = self._commune_items(counts.get("commune", 0))
        self.built_s = 0.0  # time spent building records (not indexing them)

    # places

    def commune_name(self, code: str) -> str:
        return self.communes.get(code, {}).get("name", code)

    def _commune_items(self, count: int) -> list[str]:
        """The communes of the QPVs, then the most populous of the QPVs' departments."""
        codes = list(dict.fromkeys(code for qpv in self.qpvs for code in qpv.commune_codes))
        departments, taken = set(self.by_department), set(codes)
        others = sorted(
            (
                code
                for code, commune in self.communes.items()
                if commune["department"] in departments and code not in taken
            ),
            key=lambda code: (-self.communes[code]["population"], code),
        )
        return (codes + others)[:count]

    def _where(self, rng: random.Random, *, spread_m: float = 2000):
        qpv = rng.choice(self.qpvs)
        sigma = spread_m * (4 if rng.random() < 0.1 else 1)
        k_lon = 111_320 * math.cos(math.radians(qpv.lat))
        point = (qpv.lat + rng.gauss(0, sigma) / 111_132, qpv.lon + rng.gauss(0, sigma) / k_lon)
        communes = [self.commune_name(code) for code in qpv.commune_codes]
        department = self.department_name(qpv.department)
        region = self.region_name(qpv.department)
        return (
            {
                "places": tuple(
                    dict.fromkeys(p for p in (qpv.name, *communes, department, region) if p)
                ),
                "place_label": ", ".join([qpv.name, *communes[:1]]),
                "qpv_codes": (qpv.code,),
                "commune_codes": qpv.commune_codes,
                "department_codes": (qpv.department,),
                "point": point,
            },
            qpv,
            communes,
        )

    # texts

    def _title(self, rng: random.Random, titles: list[str], qpv, communes) -> str:
        draw = rng.random()
        title = rng.choice(titles)
        if draw < 0.3:  # the head of one title with the end of another
            other = rng.choice(titles)
            for split in TITLE_SPLITS:
                if split in title and split in other:
                    title = title.split(split, 1)[0] + split + other.split(split, 1)[1]
                    break
        elif draw < 0.45:
            place = communes[0] if communes and rng.random() < 0.6 else qpv.name
            title = f"{title} à {place}" if rng.random() < 0.5 else f"{title} – {place}"
        return title[:200]

    def _text(self, rng: random.Random, pool: TextPool, low: int, high: int, qpv, communes) -> str:
        length = int(rng.triangular(low, high, low + (high - low) * 0.3))
        parts: list[str] = []
        size = 0
        placed = False
        while size < length:
            if not placed and size > length / 3:
                street = rng.choice(self.streets)
                place = rng.choice(self.place_names)
                where = communes[0] if communes else qpv.name
                sentence = f"{place}, {rng.randint(1, 120)} {street}, {where} ({qpv.name})."
                placed = True
            else:
                source = pool if rng.random() < 0.75 else self.everything
                sentence = rng.choice(source.sentences)
            parts.append(sentence)
            size += len(sentence) + 1
            if rng.random() < 0.2:
                parts.append("\n\n")
        return " ".join(parts).replace(" \n\n ", "\n\n").strip()

    def _summary(self, rng: random.Random, pool: TextPool) -> str:
        summary = " ".join(rng.sample(pool.sentences, rng.choice((1, 1, 2))))
        if len(summary) > 300:  # cut between words, as the sources do for a result card
            summary = summary[:299].rsplit(" ", 1)[0] + "…"
        return summary

    def _pick(self, rng: random.Random, name: str, low: int, high: int) -> list[str]:
        labels = self.labels[name]
        return rng.sample(labels, min(len(labels), rng.randint(low, high)))

    # records

    def build(self, kind: str, object_id: int):
        started = time.perf_counter()
        try:
            return getattr(self, f"_{kind}")(random.Random(f"{SEED}:{kind}:{object_id}"), object_id)
        finally:
            self.built_s += time.perf_counter() - started

    def _record(self, kind: str, object_id: int, **fields):
        from quartiers40.search.records import SearchSource

        return SearchSource(
            kind=kind, object_id=object_id, url=f"/bench/{kind}/{object_id}", **fields
        )

    def _item(self, rng, object_id, kind, tags, *, state="active", status="", low=300, high=2000):
        where, qpv, communes = self._where(rng)
        pool = self.pools[kind]
        return self._record(
            kind,
            object_id,
            title=self._title(rng, pool.titles, qpv, communes),
            summary=self._summary(rng, pool),
            body=self._text(rng, pool, low, high, qpv, communes),
            tags=tuple(dict.fromkeys(tag for tag in tags if tag)),
            state=state,
            status_label=status,
            **where,
        )

    def _project(self, rng, object_id):
        stage = rng.choice(self.labels["stage"])
        tags = [
            *self._pick(rng, "theme", 1, 3),
            *self._pick(rng, "ai", 1, 1),
            stage,
            *self._pick(rng, "beneficiary", 1, 2),
            rng.choice(self.organisations),
            *self._pick(rng, "organisation_kind", 1, 1),
        ]
        return self._item(
            rng,
            object_id,
            "project",
            tags,
            state="closed" if rng.random() < 0.1 else "active",
            status=stage,
        )

    def _challenge(self, rng, object_id):
        status = rng.choice(self.labels["challenge_status"])
        tags = [*self._pick(rng, "theme", 1, 2), status]
        return self._item(
            rng,
            object_id,
            "challenge",
            tags,
            state="closed" if rng.random() < 0.2 else "active",
            status=status,
        )

    def _opportunity(self, rng, object_id):
        remote = rng.random() < 0.1
        tags = [
            *self._pick(rng, "opportunity_kind", 1, 1),
            *self._pick(rng, "opportunity_theme", 1, 3),
            *self._pick(rng, "situation", 0, 2),
            *self._pick(rng, "cost", 1, 1),
            rng.choice(self.organisations),
            "À distance" if remote else "",
        ]
        record = self._item(
            rng,
            object_id,
            "opportunity",
            tags,
            state="closed" if rng.random() < 0.15 else "active",
            status="Ouvert",
        )
        if remote:  # nowhere in particular: no place, no point
            record = replace(
                record,
                places=(),
                place_label="À distance",
                qpv_codes=(),
                commune_codes=(),
                department_codes=(),
                point=None,
            )
        return record

    def _organisation(self, rng, object_id):
        where, qpv, communes = self._where(rng, spread_m=1000)
        pool = self.pools["organisation"]
        place = communes[0] if communes and rng.random() < 0.5 else qpv.name
        if rng.random() < 0.3:
            name = rng.choice(pool.titles)
        else:
            name = f"{rng.choice(self.place_names)} {place}"
        return self._record(
            "organisation",
            object_id,
            title=name,
            summary=self._summary(rng, pool),
            body=self._text(rng, pool, 300, 1200, qpv, communes),
            tags=tuple(self._pick(rng, "organisation_kind", 1, 1)),
            **where,
        )

    def _edition(self, rng, object_id):
        where, qpv, communes = self._where(rng)
        pool = self.pools["edition"]
        city = communes[0] if communes else qpv.name
        if rng.random() < 0.5:
            title = f"Petit déj de l'IA n°{object_id} – {city}, {rng.randint(1, 12):02d}/2026"
        else:
            title = f"Les ateliers IA de {city} : {rng.choice(pool.titles)}"
        return self._record(
            "edition",
            object_id,
            title=title,
            summary=self._summary(rng, pool),
            body=self._text(rng, pool, 300, 1500, qpv, communes),
            tags=("Rencontre", rng.choice(("Petit déj de l'IA", f"Les ateliers IA de {city}"))),
            state="closed" if rng.random() < 0.7 else "active",
            status_label="Passée",
            extra={"starts_at": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"},
            **where,
        )

    def _agenda_item(self, rng, object_id):
        where, qpv, communes = self._where(rng)
        draw = rng.random()
        if draw < 0.5:
            title = rng.choice(self.pools["project"].titles)
        elif draw < 0.7:
            title = f"Défi du quartier : {rng.choice(self.pools['challenge'].titles)}"
        else:
            title = rng.choice(self.pools["agenda_item"].titles)
        speakers = ", ".join(rng.sample(self.speakers, min(len(self.speakers), 2)))
        pool = self.pools["project"] if draw < 0.5 else self.pools["agenda_item"]
        return self._record(
            "agenda_item",
            object_id,
            title=title,
            summary=self._summary(rng, pool),
            body=f"{speakers}. " + self._text(rng, pool, 300, 1200, qpv, communes),
            tags=(rng.choice(self.labels["agenda_kind"]), "Petit déj de l'IA"),
            **where,
        )

    def _minutes(self, rng, object_id):
        where, qpv, communes = self._where(rng)
        city = communes[0] if communes else qpv.name
        pitches = "\n".join(f"- {title}" for title in rng.sample(self.pools["project"].titles, 3))
        body = pitches + "\n\n" + self._text(rng, self.pools["minutes"], 800, 2000, qpv, communes)
        return self._record(
            "minutes",
            object_id,
            title=f"Compte rendu – Petit déj de l'IA n°{object_id} – {city}",
            summary=self._summary(rng, self.pools["minutes"]),
            body=body,
            tags=("compte rendu", "Petit déj de l'IA"),
            state="closed",
            **where,
        )

    def _qpv(self, rng, object_id):
        qpv = self.qpvs[object_id - 1]
        communes = [self.commune_name(code) for code in qpv.commune_codes]
        department = self.department_name(qpv.department)
        region = self.region_name(qpv.department)
        return self._record(
            "qpv",
            object_id,
            title=qpv.name,
            summary=f"Quartier prioritaire de {', '.join(communes)} ({department})",
            body=" ".join(dict.fromkeys([qpv.code, *communes, department, region])),
            tags=("quartier prioritaire", "QPV"),
            places=tuple(dict.fromkeys(p for p in (*communes, department, region) if p)),
            place_label=", ".join([*communes[:2], department]),
            qpv_codes=(qpv.code,),
            commune_codes=qpv.commune_codes,
            department_codes=(qpv.department,),
            point=(qpv.lat, qpv.lon),
        )

    def _commune(self, rng, object_id):
        code = self.commune_list[object_id - 1]
        commune = self.communes.get(code, {"name": code, "department": "", "postcodes": []})
        qpvs = [
            qpv
            for qpv in self.by_department.get(commune["department"], ())
            if code in qpv.commune_codes
        ]
        department = self.department_name(commune["department"])
        point = None
        if qpvs:
            point = (
                sum(qpv.lat for qpv in qpvs) / len(qpvs),
                sum(qpv.lon for qpv in qpvs) / len(qpvs),
            )
        return self._record(
            "commune",
            object_id,
            title=commune["name"],
            summary=f"Commune ({department})",
            body=" ".join(dict.fromkeys([*(qpv.name for qpv in qpvs), *commune["postcodes"]])),
            tags=("Commune",),
            places=tuple(p for p in (department, self.region_name(commune["department"])) if p),
            place_label=department,
            qpv_codes=tuple(qpv.code for qpv in qpvs),
            commune_codes=(code,),
            department_codes=(commune["department"],),
            point=point,
        )


class SyntheticSource:
    """One kind of synthetic items, as the index reads a kind (`sources.KindSource`)."""

    topics: tuple[str, ...] = ()

    def __init__(self, kind: str, count: int, generator: Generator) -> None:
        self.kind = kind
        self.count = count
        self.generator = generator

    def stamps(self):
        return ((object_id, None) for object_id in range(1, self.count + 1))

    def build(self, ids):
        return [self.generator.build(self.kind, object_id) for object_id in ids]


# --- the child processes -------------------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def database_size() -> dict:
    from django.db import connection

    from quartiers40.search.models import SearchDocument, SearchTerm

    tables = [SearchDocument._meta.db_table, SearchTerm._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sizes = {}
            for table in [*tables, "search_rank"]:
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                sizes[table] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            return {"tables": sizes, "database": cursor.fetchone()[0]}
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(connection.settings_dict["NAME"])
        files = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        sizes = {}
        try:  # per table when SQLite has the dbstat table (FTS5's shadow tables included)
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
            for name, size in cursor.fetchall():
                if name.startswith("search_") or "search_" in name:
                    sizes[name] = size
        except Exception:
            sizes = {}
        return {"tables": sizes, "database": files}


def query_plan_write(path: Path, qpvs: list[Neighbourhood]) -> None:
    """The searches the web process runs: every query in every mode."""
    rng = random.Random(SEED + 1)
    texts = [
        line.strip()
        for line in QUERIES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    by_department: dict[str, list[Neighbourhood]] = {}
    for qpv in qpvs:
        by_department.setdefault(qpv.department, []).append(qpv)
    searches = []
    for index, text in enumerate(texts):
        department = DEMO_DEPARTMENTS[index % len(DEMO_DEPARTMENTS)]
        around = rng.choice(by_department.get(department) or qpvs)
        for mode in MODES:
            search = {"text": text, "mode": mode}
            if mode == "type=opportunity":
                search["kinds"] = ["opportunity"]
            elif mode == "department":
                search["department"] = department
            elif mode == "around 10 km":
                search["around"] = [around.lat, around.lon, AROUND_M]
            searches.append(search)
    path.write_text(json.dumps(searches, ensure_ascii=False), encoding="utf-8")


def child_load(work: Path) -> int:
    started = time.perf_counter()
    _django()
    from django.core.management import call_command
    from django.db import connection

    from quartiers40.search.services import search_index_rebuild

    call_command("migrate", verbosity=0)
    rss_setup = rss_mb()
    qpvs, communes, layer = geography()
    counts = kind_counts(ITEMS, len(qpvs))
    generator = Generator(qpvs, communes, counts)
    sources = [SyntheticSource(kind, count, generator) for kind, count in counts.items()]
    rss_ready = rss_mb()
    shown = {"next": 0}

    def progress(kind: str, done: int, total: int) -> None:
        shown["next"] += 1
        if shown["next"] % 40 == 0 or done == total:
            print(f"  indexing {kind}: {done:,}/{total:,}", file=sys.stderr, flush=True)

    index_started = time.perf_counter()
    report = search_index_rebuild(progress=progress, sources=sources)
    index_s = time.perf_counter() - index_started
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_s = time.perf_counter() - analyze_started
    query_plan_write(work / "searches.json", qpvs)
    from quartiers40.search.models import SearchDocument, SearchTerm

    figures = {
        "layer": layer,
        "counts": dict(report.created),
        "documents": SearchDocument.objects.count(),
        "terms": SearchTerm.objects.count(),
        "texts": {
            kind: [len(pool.titles), len(pool.sentences)] for kind, pool in generator.pools.items()
        },
        "index_s": index_s,
        "build_s": generator.built_s,
        "analyze_s": analyze_s,
        "total_s": time.perf_counter() - started,
        "rss_setup_mb": rss_setup,
        "rss_ready_mb": rss_ready,
        "rss_after_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "size": database_size(),
        "loadavg": os.getloadavg(),
    }
    print(json.dumps(figures))
    return 0


def _search_query(search: dict):
    from quartiers40.search.selectors import Around, SearchQuery

    around = search.get("around")
    return SearchQuery(
        text=search["text"],
        kinds=tuple(search.get("kinds", ())),
        department=search.get("department", ""),
        around=Around(lat=around[0], lon=around[1], radius_m=around[2]) if around else None,
    )


# (label, file ending, function name): what a search spends its time on, from cProfile.
PROFILE_PARTS = (
    ("query analysis (query_plan)", "query.py", "query_plan"),
    ("  term counts (frequencies)", "backends.py", "frequencies"),
    ("  typo neighbours (neighbours)", "backends.py", "neighbours"),
    ("stage 1 SQL (backends.stage1)", "backends.py", "stage1"),
    ("candidates' rows (_candidates)", "selectors.py", "_candidates"),
    ("rerank (engine.rerank)", "rerank.py", "rerank"),
    ("the page's rows (in_bulk)", "query.py", "in_bulk"),
    ("search_run, all", "selectors.py", "search_run"),
)


def profile(search: dict, runs: int = 5) -> dict:
    from django.db import connection

    from quartiers40.search.selectors import search_run

    query = _search_query(search)
    sql = {"s": 0.0, "count": 0}

    def timed(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql["s"] += time.perf_counter() - started
            sql["count"] += 1

    with connection.execute_wrapper(timed):  # the statements' own time, outside cProfile
        for _ in range(runs):
            search_run(query, page_size=PAGE)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        search_run(query, page_size=PAGE)
    profiler.disable()
    stats = pstats.Stats(profiler)
    matching = _matching(query)
    parts = {}
    for label, ending, name in PROFILE_PARTS:
        total = sum(
            value[3]
            for (filename, _line, function), value in stats.stats.items()
            if function == name and filename.endswith(ending)
        )
        parts[label] = total * 1000 / runs
    parts["SQL statements' execute (no profiler)"] = sql["s"] * 1000 / runs
    top = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:8]
    parts_top = [
        [f"{Path(filename).name}:{line} {function}", value[2] * 1000 / runs]
        for (filename, line, function), value in top
    ]
    return {"parts": parts, "top_tottime": parts_top, **matching}


def _matching(query) -> dict:
    """How many documents hold one of the terms stage 1 asks for (within the filters): what
    it has to score before it keeps its best candidates. The same terms as `search_rank`
    (`budgeted_terms` when the engine has it, else every retrieval term)."""
    from django.db import connection

    from quartiers40.search import backends
    from quartiers40.search.engine import query_plan

    try:
        from quartiers40.search.engine.stage1 import budgeted_terms, fts5_match, tsquery
    except ImportError:  # an engine without a budget of postings
        budgeted_terms = lambda plan: list(plan.retrieval_terms)  # noqa: E731
        fts5_match = lambda terms: " OR ".join(f'"{term}"' for term in terms)  # noqa: E731
        tsquery = " | ".join

    plan = query_plan(query.text, backends.DatabaseVocabulary())
    terms = list(budgeted_terms(plan))
    if not terms:
        return {"terms": [], "retrieval": len(plan.retrieval_terms), "matching": 0}
    # As search_run asks stage 1: without the kind filter (applied after the ranking).
    clauses, params = replace(query.filters(), kinds=()).where("d")
    extra = "".join(f" AND {clause}" for clause in clauses)
    table = backends.DOCUMENT_TABLE
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = backends.RANK_TABLE
            cursor.execute(
                f"SELECT count(*) FROM {table} d WHERE d.search_vector @@ "  # noqa: S608
                f"to_tsquery('simple', %s){extra}",
                [tsquery(terms), *params],
            )
        else:
            cursor.execute(
                f"SELECT count(*) FROM search_fts JOIN {table} d "  # noqa: S608
                "ON d.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s{extra}",
                [fts5_match(terms), *params],
            )
        return {
            "terms": terms,
            "retrieval": len(plan.retrieval_terms),
            "matching": cursor.fetchone()[0],
        }


def child_query(work: Path) -> int:
    _django()
    rss_setup = rss_mb()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quartiers40.search.selectors import search_run

    searches = json.loads((work / "searches.json").read_text(encoding="utf-8"))
    first_started = time.perf_counter()
    search_run(_search_query(searches[0]), page_size=PAGE)
    first_ms = (time.perf_counter() - first_started) * 1000
    rss_first = rss_mb()
    for search in searches:  # warm up: each search once
        search_run(_search_query(search), page_size=PAGE)
    rss_warm = rss_mb()
    runs = []
    for search in searches:
        query = _search_query(search)
        walls, cpus, counts = [], [], []
        total = 0
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                results = search_run(query, page_size=PAGE)
                for hit in results.hits:  # what a result card reads
                    _ = (hit.document.title, hit.document.summary, hit.document.place_label)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - started_cpu) * 1000)
            counts.append(len(captured))
            total = results.total
        runs.append(
            {
                "text": search["text"],
                "mode": search["mode"],
                "walls": walls,
                "cpus": cpus,
                "queries": counts,
                "total": total,
            }
        )
    rss_all = rss_mb()
    tracemalloc.start()
    for search in searches:
        search_run(_search_query(search), page_size=PAGE)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # What stage 1 has to score for each query (no filter), outside the timed runs.
    matching = [
        _matching(_search_query(search))["matching"]
        for search in searches
        if search["mode"] == MODES[0]
    ]
    slowest = sorted(runs, key=lambda run: -statistics.median(run["walls"]))[:PROFILED]
    profiles = []
    for run in slowest:
        search = next(s for s in searches if s["text"] == run["text"] and s["mode"] == run["mode"])
        profiles.append({"text": run["text"], "mode": run["mode"], **profile(search)})
    print(
        json.dumps(
            {
                "runs": runs,
                "first_ms": first_ms,
                "rss_setup_mb": rss_setup,
                "rss_first_mb": rss_first,
                "rss_warm_mb": rss_warm,
                "rss_all_mb": rss_all,
                "rss_end_mb": rss_mb(),
                "peak_rss_mb": peak_rss_mb(),
                "traced_peak_mb": traced_peak / 1024 / 1024,
                "profiles": profiles,
                "matching": matching,
                "loadavg": os.getloadavg(),
                "vendor": connection.vendor,
                "server": _server_version(),
            }
        )
    )
    return 0


def _server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


# --- the parent: databases, children, the table --------------------------------------------


def _child(phase: str, work: Path, env: dict) -> dict | None:
    out = subprocess.run(
        [sys.executable, __file__, "--child", phase, str(work)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        print(f"  the {phase} process failed (exit {out.returncode})")
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(database: str) -> tuple[dict, dict] | None:
    import shutil

    env = {**os.environ, "DEBUG": "false", "RATE_LIMITS_ENABLED": "false"}
    env["SEARCH_INDEX_FOLLOWS_WRITES"] = "false"
    env.pop("SEARCH_EMBEDDINGS_URL", None)  # words only: no network in a benchmark
    created = None
    work = Path(tempfile.mkdtemp(prefix="q40-bench-search-"))
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{work / 'search.sqlite3'}"
    else:
        import psycopg

        name = f"q40_bench_search_{os.getpid()}"
        try:
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as error:
            print(f"PostgreSQL skipped: {error}".strip())
            return None
        created = name
        env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        loaded = _child("load", work, env)
        if loaded is None:
            return None
        queried = _child("query", work, env)
        if queried is None:
            return None
        return loaded, queried
    finally:
        if KEEP:  # to look into the index afterwards
            print(f"  kept: {env['DATABASE_URL']} (and {work})")
        else:
            if created:
                import psycopg

                with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{created}"')
            shutil.rmtree(work, ignore_errors=True)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def report(database: str, loaded: dict, queried: dict) -> list[str]:
    """Print one database's figures; the targets it missed."""
    missed = []
    print(f"\n== {database}: {queried['server']}; layer {loaded['layer']}")
    counts = loaded["counts"]
    total = sum(counts.values())
    print("items by kind: " + ", ".join(f"{kind} {count:,}" for kind, count in counts.items()))
    print(
        f"  {total:,} documents, {loaded['terms']:,} distinct terms; demo texts read "
        "(titles/sentences): "
        + ", ".join(f"{kind} {t}/{s}" for kind, (t, s) in loaded["texts"].items())
    )
    index_s, build_s = loaded["index_s"], loaded["build_s"]
    print(
        f"indexing: {index_s:.1f} s, {total / index_s:,.0f} items/s "
        f"({total / max(index_s - build_s, 1e-9):,.0f} items/s without the {build_s:.1f} s "
        f"spent generating the items); ANALYZE {loaded['analyze_s']:.1f} s"
    )
    print(
        f"  indexing process RSS: {loaded['rss_setup_mb']:.0f} MB after setup, "
        f"{loaded['rss_ready_mb']:.0f} MB with the demo texts and the QPV layer read, "
        f"peak {loaded['peak_rss_mb']:.0f} MB"
    )
    size = loaded["size"]
    tables = ", ".join(f"{name} {_mb(value)}" for name, value in sorted(size["tables"].items()))
    print(
        f"database size: {_mb(size['database'])}"
        + (f" (search tables: {tables})" if tables else "")
    )
    runs = queried["runs"]
    texts = len({run["text"] for run in runs})
    print(
        f"searches: {texts} queries x {len(MODES)} modes, each warmed once then run {REPEAT} "
        f"times (search_run, first page of {PAGE}); first search of the process "
        f"{queried['first_ms']:.0f} ms"
    )
    print("(wall clock; cpu = this process only: the database server's own work is not in it)")
    print(
        f"{'mode':<18}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'cpu p50':>9}{'cpu p95':>9}"
        f"{'cpu max':>9}{'SQL/search':>12}{'results med/max':>17}"
    )
    for mode in MODES:
        of_mode = [run for run in runs if run["mode"] == mode]
        walls = [wall for run in of_mode for wall in run["walls"]]
        cpus = [cpu for run in of_mode for cpu in run["cpus"]]
        queries = Counter(count for run in of_mode for count in run["queries"])
        totals = [run["total"] for run in of_mode]
        low, high = min(queries), max(queries)
        sql = f"{low}" if low == high else f"{low}-{high}"
        p95 = _p95(walls)
        print(
            f"{mode:<18}{statistics.median(walls):>8.1f}{p95:>8.1f}{max(walls):>8.1f}"
            f"{statistics.median(cpus):>9.1f}{_p95(cpus):>9.1f}{max(cpus):>9.1f}{sql:>12}"
            f"{f'{statistics.median(totals):.0f} / {max(totals)}':>17}"
        )
        if p95 > TARGET_P95_MS:
            missed.append(f"{database} {mode}: p95 {p95:.1f} ms")
    varying = [run for run in runs if len(set(run["queries"])) > 1]
    if varying:
        print(f"  note: {len(varying)} searches ran a varying number of SQL queries across runs")
    matching = sorted(queried["matching"])
    print(
        f"documents stage 1 scores per query (no filter): median "
        f"{statistics.median(matching):,.0f}, p95 {_p95(matching):,}, max {matching[-1]:,} "
        f"of {total:,}"
    )
    print("slowest searches (median of the runs):")
    for run in sorted(runs, key=lambda run: -statistics.median(run["walls"]))[:8]:
        print(
            f"  {statistics.median(run['walls']):7.1f} ms (max {max(run['walls']):6.1f}, "
            f"cpu {statistics.median(run['cpus']):6.1f})  [{run['mode']}] {run['text']!r} "
            f"- {run['total']} results, {max(run['queries'])} SQL"
        )
    print("where the slowest spend their time (cProfile, ms per search, profiler overhead in):")
    for profiled in queried["profiles"]:
        print(
            f"  [{profiled['mode']}] {profiled['text']!r}: stage 1 scores "
            f"{profiled['matching']:,} documents holding one of {' '.join(profiled['terms'])} "
            f"({len(profiled['terms'])} of its {profiled['retrieval']} retrieval terms)"
        )
        for label, value in profiled["parts"].items():
            print(f"    {label:<34}{value:8.1f}")
        print(
            "    most own time: "
            + "; ".join(f"{name} {ms:.1f}" for name, ms in profiled["top_tottime"][:5])
        )
    growth = queried["rss_all_mb"] - queried["rss_setup_mb"]
    print(
        f"web process memory (RSS): {queried['rss_setup_mb']:.0f} MB after django.setup(), "
        f"{queried['rss_first_mb']:.0f} MB after the first search, "
        f"{queried['rss_all_mb']:.0f} MB after all {len(runs) * (REPEAT + 1) + 1:,} searches "
        f"(growth {growth:+.0f} MB; peak {queried['peak_rss_mb']:.0f} MB); tracemalloc peak "
        f"of a pass over every search {queried['traced_peak_mb']:.1f} MB"
    )
    if growth > TARGET_GROWTH_MB:
        missed.append(f"{database}: web process grew by {growth:.0f} MB")
    print(f"machine load average at the end: {queried['loadavg'][0]:.2f} (1 min)")
    return missed


def main() -> int:
    if "--child" in sys.argv:
        phase, work = sys.argv[sys.argv.index("--child") + 1 :][:2]
        return child_load(Path(work)) if phase == "load" else child_query(Path(work))
    databases = [arg for arg in sys.argv[1:] if arg in ("sqlite", "postgresql")] or [
        "sqlite",
        "postgresql",
    ]
    print(f"machine: {machine()}")
    print(
        f"{ITEMS:,} items; queries from {QUERIES_FILE.name}; "
        f"targets: p95 < {TARGET_P95_MS:.0f} ms per mode, web process growth < "
        f"{TARGET_GROWTH_MB:.0f} MB"
    )
    verdicts = []
    failed = False
    for database in databases:
        result = run(database)
        if result is None:
            if database == "sqlite":
                failed = True
                verdicts.append("sqlite: FAILED (no figures)")
            else:
                verdicts.append("postgresql: not measured")
            continue
        missed = report(database, *result)
        runs = result[1]["runs"]
        worst = max(_p95([w for r in runs if r["mode"] == m for w in r["walls"]]) for m in MODES)
        growth = result[1]["rss_all_mb"] - result[1]["rss_setup_mb"]
        latency = "MISSED" if any("p95" in m for m in missed) else "met"
        memory = "MISSED" if any("grew" in m for m in missed) else "met"
        verdicts.append(
            f"{database}: p95 < {TARGET_P95_MS:.0f} ms {latency} (worst mode {worst:.1f} ms); "
            f"memory growth < {TARGET_GROWTH_MB:.0f} MB {memory} ({growth:+.0f} MB)"
        )
        failed = failed or bool(missed)
    print("\nverdict:")
    for verdict in verdicts:
        print(f"  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
