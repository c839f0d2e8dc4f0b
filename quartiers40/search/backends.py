"""The database's side of a search: the first stage of a query, and the term counts.

Stage 1 asks the database's own full-text index for the documents holding any of the
query's terms, best first (FTS5's bm25 on SQLite, ts_rank on PostgreSQL), within the
filters; the engine ranks those candidates again (`engine.rerank`). Both databases read
the same analysed terms, so they find the same documents; only stage 1's order differs.
"""

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q

from .engine import config
from .engine import stage1 as engine_stage1
from .models import SearchDocument, SearchTerm

DOCUMENT_TABLE = SearchDocument._meta.db_table
RANK_TABLE = "search_rank"  # PostgreSQL only (migration 0004)
COUNT_CACHE_KEY = "search:document-count"
COUNT_CACHE_SECONDS = 60
NEIGHBOUR_LIMIT = 300


@dataclass(frozen=True)
class DocumentFilters:
    """What a query is narrowed to, applied inside stage 1."""

    kinds: tuple[str, ...] = ()
    state: str = ""
    qpv: str = ""
    commune: str = ""
    department: str = ""
    # A box around a point (south, west, north, east); the exact distance is checked after.
    box: tuple[float, float, float, float] | None = None

    @property
    def on_kind_and_state_only(self) -> bool:
        return not (self.qpv or self.commune or self.department or self.box)

    def where(self, alias: str) -> tuple[list[str], list]:
        clauses: list[str] = []
        params: list = []
        if self.kinds:
            clauses.append(f"{alias}.kind IN ({', '.join(['%s'] * len(self.kinds))})")
            params.extend(self.kinds)
        if self.state:
            clauses.append(f"{alias}.state = %s")
            params.append(self.state)
        for column, code in (
            ("qpv_codes", self.qpv),
            ("commune_codes", self.commune),
            ("department_codes", self.department),
        ):
            if code:
                # JSON lists of plain codes: the quoted code is matched exactly ("93" ≠ "930").
                clauses.append(f"CAST({alias}.{column} AS TEXT) LIKE %s")
                params.append(f'%"{code}"%')
        if self.box:
            south, west, north, east = self.box
            clauses.append(f"{alias}.latitude BETWEEN %s AND %s")
            clauses.append(f"{alias}.longitude BETWEEN %s AND %s")
            params.extend([south, north, west, east])
        return clauses, params


def stage1(
    terms: Sequence[str],
    *,
    filters: DocumentFilters,
    limit: int | None = None,
    head_only: bool = False,
) -> list[tuple[int, float]]:
    """(document id, score) of the documents holding any of `terms`, best first.

    `head_only`: in the titles and tags only, for a query whose rarest words are in so many
    documents that scoring them all would be slow (engine/stage1.py); the best of them have
    the words in their title anyway."""
    limit = limit or config.STAGE1_LIMIT
    # Only [a-z0-9]+ terms reach the database's query syntax (engine/stage1.py).
    if not engine_stage1.fts5_match(terms):
        return []
    clauses, params = filters.where("d")
    extra = "".join(f" AND {clause}" for clause in clauses)
    w_title, w_tag, w_body, w_place = config.STAGE1_WEIGHTS
    # PostgreSQL: a transaction of its own, for the SET LOCAL below.
    in_transaction = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with in_transaction, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            top = max(config.STAGE1_WEIGHTS)
            # ts_rank's weights are {D, C, B, A}: body, place, tag, title (migration 0002).
            weights = "{{{}}}".format(
                ",".join(f"{weight / top:.4f}" for weight in (w_body, w_place, w_tag, w_title))
            )
            vector = "d.head_vector" if head_only else "d.search_vector"
            # The narrow table of migration 0004 (what the filters read, and the vectors),
            # ranked on a small vector kept in its row (titles, tags, places and the start of
            # the body): ranking on the whole vector, or on one out of a wide row, reads each
            # match out of TOAST (17,000 matches: 110-400 ms instead of 24).
            # The planner's default cost of a random read (4, for spinning disks) makes it
            # scan the whole table, reading every document's vector, rather than use the GIN
            # index when a tenth of the rows match: 480 ms instead of 130 at 100,000 items.
            cursor.execute("SET LOCAL random_page_cost = 1.1")
            cursor.execute(
                # Only constants and the clauses of DocumentFilters.where go in the text;
                # every value is a parameter.
                f"SELECT d.id, ts_rank(%s::float4[], d.rank_vector, q.query) AS score "  # noqa: S608
                f"FROM {RANK_TABLE} d, to_tsquery('simple', %s) AS q(query) "
                f"WHERE {vector} @@ q.query{extra} ORDER BY score DESC, d.id LIMIT %s",
                [weights, engine_stage1.tsquery(terms), *params, limit],
            )
        else:
            rank = f"bm25(search_fts, {w_title}, {w_tag}, {w_body}, {w_place})"
            # Joining the documents reads each match's wide row: twice the cost of the FTS
            # table alone. Without filters there is no join; with only a type or a state,
            # the matches are looked up in the (kind, state) index instead.
            if not clauses:
                source, where = "search_fts", ""
            elif filters.on_kind_and_state_only:
                source = "search_fts"
                # The unary + keeps the rowid out of FTS5's plan: offered `rowid IN (…)`, FTS5
                # runs the whole MATCH once per listed id (14 s for 35,000 opportunities and a
                # seven-word query); as a filter on the MATCH's rows, the list is one B-tree.
                where = (
                    f" AND +search_fts.rowid IN (SELECT d.id FROM {DOCUMENT_TABLE} d "  # noqa: S608
                    f"WHERE {' AND '.join(clauses)})"
                )
            else:
                source = f"search_fts JOIN {DOCUMENT_TABLE} d ON d.id = search_fts.rowid"
                where = extra
            cursor.execute(
                f"SELECT search_fts.rowid, -{rank} AS score FROM {source} "  # noqa: S608
                f"WHERE search_fts MATCH %s{where} ORDER BY {rank}, search_fts.rowid LIMIT %s",
                [
                    "{title_terms tag_terms} : (" + engine_stage1.fts5_match(terms) + ")"
                    if head_only
                    else engine_stage1.fts5_match(terms),
                    *params,
                    limit,
                ],
            )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def browse(*, filters: DocumentFilters, limit: int) -> list[int]:
    """Documents within the filters when there is no query: the latest changed first."""
    clauses, params = filters.where("d")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM {DOCUMENT_TABLE} d{where} "  # noqa: S608 (values are parameters)
            "ORDER BY d.indexed_at DESC, d.id LIMIT %s",
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _prefix_filter(field: str, prefix: str) -> Q:
    """Terms starting with `prefix`, answered from the column's index: a LIKE on
    PostgreSQL (Django adds a pattern index), a range on SQLite (where LIKE scans)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


class DatabaseVocabulary:
    """The engine's view of the term counts (`engine.Vocabulary`), read from SearchTerm."""

    def __init__(self) -> None:
        # Read from the cache: counting the rows on every query would cost a table scan.
        count = cache.get(COUNT_CACHE_KEY)
        if count is None:
            count = SearchDocument.objects.count()
            cache.set(COUNT_CACHE_KEY, count, COUNT_CACHE_SECONDS)
        self.document_count: int = count

    def frequencies(self, terms: Iterable[str]) -> dict[str, tuple[int, int]]:
        wanted = sorted(set(terms))
        if not wanted:
            return {}
        rows = SearchTerm.objects.filter(term__in=wanted).values_list("term", "df", "place_df")
        return {term: (df, place_df) for term, df, place_df in rows}

    def neighbours(self, term: str) -> dict[str, tuple[int, int]]:
        """Terms that may be `term` mistyped: same first two letters, or same last three,
        and a length within two (two index ranges; the engine measures the distance)."""
        found: dict[str, tuple[int, int]] = {}
        lengths = (max(1, len(term) - 2), len(term) + 2)
        for field, prefix in (("term", term[:2]), ("reversed_term", term[::-1][:3])):
            if len(prefix) < 2 or len(term) < len(prefix):
                continue
            rows = (
                SearchTerm.objects.filter(_prefix_filter(field, prefix), length__range=lengths)
                .order_by(field)
                .values_list("term", "df", "place_df")[:NEIGHBOUR_LIMIT]
            )
            found.update({t: (df, place_df) for t, df, place_df in rows})
        return found


def document_count_forget() -> None:
    cache.delete(COUNT_CACHE_KEY)
