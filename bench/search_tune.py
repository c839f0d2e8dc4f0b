"""Tune and measure the French search engine on the development set (no Django, no database).

    python bench/search_tune.py --corpus /work/shared/eval/search/corpus.jsonl \
        --queries /work/shared/eval/search/queries_dev.jsonl --run /tmp/run.jsonl

Builds the harness the site emulates (an in-memory SQLite FTS5 table for stage 1 and an in-memory
search_term vocabulary with the site's neighbours behaviour), writes the final run, then scores
with the set's run_eval.py: a character n-gram TF-IDF baseline, stage 1 alone, stage 2 and the
robustness variants (accents stripped, one random typo per query). Also prints timings.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quartiers40.search.engine import SourceDocument, query_plan, rerank
from quartiers40.search.engine import config as engine_config
from quartiers40.search.engine.analysis import fold
from quartiers40.search.engine.harness import MemoryIndex

RUN_DEPTH = 100


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def source_document(row: dict) -> SourceDocument:
    places = tuple(p.strip() for p in (row.get("location") or "").split(", ") if p.strip())
    return SourceDocument(
        title=row.get("title") or "",
        body=row.get("description") or "",
        tags=tuple(row.get("category") or ()) + tuple(row.get("audience") or ()),
        places=places,
    )


class Harness:
    def __init__(self, corpus: list[dict]) -> None:
        self.index = MemoryIndex()
        self.doc_ids: list[str] = []
        started = time.perf_counter()
        for number, row in enumerate(corpus, 1):
            self.index.add(number, source_document(row))
            self.doc_ids.append(row["id"])
        self.index_seconds = time.perf_counter() - started

    def docid(self, number: int) -> str:
        return self.doc_ids[number - 1]

    def stage1(self, text: str) -> list[str]:
        plan = query_plan(text, self.index.vocabulary)
        return [self.docid(c.doc_id) for c in self.index.stage1(plan.retrieval_terms)]

    def search(self, text: str) -> tuple[list[str], float]:
        started = time.perf_counter()
        plan = query_plan(text, self.index.vocabulary)
        candidates = self.index.stage1(plan.retrieval_terms)
        ranked = rerank(plan, candidates, self.index.vocabulary)
        elapsed = time.perf_counter() - started
        return [self.docid(r.doc_id) for r in ranked], elapsed


class PostgresStage1:
    """Stage 1 as the site runs it on PostgreSQL (tsvector A/B/C/D + ts_rank), for comparison."""

    def __init__(self, url: str, harness: Harness) -> None:
        import psycopg

        from quartiers40.search.engine.stage1 import TS_RANK_WEIGHTS

        self.harness = harness
        self.weights = "{" + ",".join(str(w) for w in TS_RANK_WEIGHTS) + "}"
        self.connection = psycopg.connect(url, autocommit=True)
        self.connection.execute("DROP TABLE IF EXISTS search_tune_doc")
        self.connection.execute(
            "CREATE TABLE search_tune_doc (id integer PRIMARY KEY, vector tsvector NOT NULL)"
        )
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_tune_doc VALUES (%s, setweight(to_tsvector('simple', %s), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'C')"
                " || setweight(to_tsvector('simple', %s), 'D'))",
                [
                    (n, d.title_terms, d.tag_terms, d.body_terms, d.place_terms)
                    for n, d in harness.index.documents.items()
                ],
            )
        self.connection.execute("CREATE INDEX ON search_tune_doc USING gin (vector)")

    def stage1(self, terms) -> list:
        from quartiers40.search.engine import Candidate
        from quartiers40.search.engine.stage1 import tsquery

        query = tsquery(terms)
        if not query:
            return []
        rows = self.connection.execute(
            "SELECT id, ts_rank(%s::float4[], vector, q) FROM search_tune_doc,"
            " to_tsquery('simple', %s) q WHERE vector @@ q ORDER BY 2 DESC, id LIMIT %s",
            (self.weights, query, engine_config.STAGE1_LIMIT),
        ).fetchall()
        docs = self.harness.index.documents
        return [Candidate(n, float(score), docs[n]) for n, score in rows]

    def search(self, text: str) -> list[str]:
        vocabulary = self.harness.index.vocabulary
        plan = query_plan(text, vocabulary)
        ranked = rerank(plan, self.stage1(plan.retrieval_terms), vocabulary)
        return [self.harness.docid(r.doc_id) for r in ranked]

    def stage1_only(self, text: str) -> list[str]:
        plan = query_plan(text, self.harness.index.vocabulary)
        return [self.harness.docid(c.doc_id) for c in self.stage1(plan.retrieval_terms)]


class CharNgramBaseline:
    """Character 3-5-gram TF-IDF (word-bounded, sublinear tf, cosine) on title + description."""

    def __init__(self, corpus: list[dict]) -> None:
        self.ids = [row["id"] for row in corpus]
        grams = [self._grams(row["title"] + " " + row["description"]) for row in corpus]
        df: Counter[str] = Counter()
        for g in grams:
            df.update(g.keys())
        n = len(corpus)
        self.idf = {g: math.log((1 + n) / (1 + c)) + 1 for g, c in df.items()}
        self.vectors = [self._vector(g) for g in grams]

    @staticmethod
    def _grams(text: str) -> Counter[str]:
        out: Counter[str] = Counter()
        for word in "".join(ch if ch.isalnum() else " " for ch in fold(text)).split():
            padded = f" {word} "
            for n in (3, 4, 5):
                for i in range(len(padded) - n + 1):
                    out[padded[i : i + n]] += 1
        return out

    def _vector(self, grams: Counter[str]) -> dict[str, float]:
        vec = {g: (1 + math.log(c)) * self.idf.get(g, 0.0) for g, c in grams.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def search(self, text: str) -> list[str]:
        query = self._vector(self._grams(text))
        scores = [(sum(w * doc.get(g, 0.0) for g, w in query.items()), i) for i, doc in
                  enumerate(self.vectors)]  # fmt: skip
        scores.sort(key=lambda s: (-s[0], s[1]))
        return [self.ids[i] for _, i in scores[:RUN_DEPTH]]


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def add_typo(text: str, rnd: random.Random) -> str:
    words = text.split()
    choices = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not choices:
        return text
    i = rnd.choice(choices)
    word = words[i]
    pos = rnd.randrange(1, len(word) - 1)
    kind = rnd.choice(("delete", "swap", "replace", "insert"))
    letters = "abcdefghijklmnopqrstuvwxyz"
    if kind == "delete":
        word = word[:pos] + word[pos + 1 :]
    elif kind == "swap":
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif kind == "replace":
        word = word[:pos] + rnd.choice(letters) + word[pos + 1 :]
    else:
        word = word[:pos] + rnd.choice(letters) + word[pos:]
    words[i] = word
    return " ".join(words)


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("run_eval", eval_dir / "run_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer, eval_dir: Path, queries: list[dict], run: dict[str, list[str]]):
    qrels = scorer.load_qrels(str(eval_dir / "qrels_dev.tsv"))
    mean, per = scorer.evaluate(run, qrels, [q["qid"] for q in queries])
    return mean, per


def write_run(path: Path, run: dict[str, list[str]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for qid, docs in run.items():
            for rank, docid in enumerate(docs[:RUN_DEPTH], 1):
                fh.write(json.dumps({"qid": qid, "docid": docid, "rank": rank}) + "\n")


def final_run(harness: Harness, queries: list[dict], transform=None):
    run, times = {}, []
    for q in queries:
        text = transform(q["query"]) if transform else q["query"]
        docs, elapsed = harness.search(text)
        run[q["qid"]] = docs
        times.append(elapsed)
    return run, times


def evaluate_dev(eval_dir: Path) -> dict[str, float]:
    """nDCG@10 etc. of the final ranking on the dev set (used by the quality test)."""
    corpus = load_jsonl(eval_dir / "corpus.jsonl")
    queries = load_jsonl(eval_dir / "queries_dev.jsonl")
    harness = Harness(corpus)
    run, _ = final_run(harness, queries)
    mean, _ = score(load_scorer(eval_dir), eval_dir, queries, run)
    return mean


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Defaults: the development set beside the repository (make bench runs it so).
    eval_dir = Path(__file__).resolve().parents[2] / "shared" / "eval" / "search"
    parser.add_argument("--corpus", type=Path, default=eval_dir / "corpus.jsonl")
    parser.add_argument("--queries", type=Path, default=eval_dir / "queries_dev.jsonl")
    parser.add_argument(
        "--run",
        type=Path,
        default=Path(tempfile.gettempdir()) / "q40-search-tune-run.jsonl",
        help="final run written here (JSONL)",
    )
    parser.add_argument("--per-query", action="store_true")
    parser.add_argument("--quick", action="store_true", help="final run only, no baseline")
    parser.add_argument("--seed", type=int, default=7, help="seed of the typo variant")
    parser.add_argument(
        "--postgres",
        help="also run stage 1 on PostgreSQL (tsvector + ts_rank) at this URL, e.g."
        " postgres://postgres@127.0.0.1:5432/q40_engine (creates table search_tune_doc)",
    )
    args = parser.parse_args()
    eval_dir = args.corpus.resolve().parent
    corpus = load_jsonl(args.corpus)
    queries = load_jsonl(args.queries)
    scorer = load_scorer(eval_dir)

    harness = Harness(corpus)
    rows = []
    if not args.quick:
        started = time.perf_counter()
        baseline = CharNgramBaseline(corpus)
        run = {q["qid"]: baseline.search(q["query"]) for q in queries}
        rows.append(("char 3-5-gram TF-IDF baseline", score(scorer, eval_dir, queries, run)[0]))
        print(f"(baseline built and run in {time.perf_counter() - started:.1f} s)")
        run = {q["qid"]: harness.stage1(q["query"]) for q in queries}
        rows.append(("stage 1 alone (FTS5 bm25)", score(scorer, eval_dir, queries, run)[0]))
    if not args.quick:
        for name, changes in (
            ("stage 2 without the stage-1 score", {"MIX_STAGE1": 0.0}),
            ("final, lexicon expansions not scored", {"WEIGHT_EXPANSION": 0.0}),
            ("final, no character n-grams", {"MIX_NGRAM": 0.0}),
        ):
            saved = {key: getattr(engine_config, key) for key in changes}
            for key, value in changes.items():
                setattr(engine_config, key, value)
            try:
                variant, _ = final_run(harness, queries)
            finally:
                for key, value in saved.items():
                    setattr(engine_config, key, value)
            rows.append((name, score(scorer, eval_dir, queries, variant)[0]))
    run, times = final_run(harness, queries)
    write_run(args.run, run)
    mean, per = score(scorer, eval_dir, queries, run)
    rows.append(("final (stage 1 + rerank)", mean))
    if not args.quick:
        variant, _ = final_run(harness, queries, strip_accents)
        rows.append(("final, accents stripped", score(scorer, eval_dir, queries, variant)[0]))
        rnd = random.Random(args.seed)
        typos = {q["qid"]: add_typo(q["query"], rnd) for q in queries}
        variant = {}
        for q in queries:
            variant[q["qid"]] = harness.search(typos[q["qid"]])[0]
        rows.append(("final, one typo per query", score(scorer, eval_dir, queries, variant)[0]))
    if args.postgres:
        pg = PostgresStage1(args.postgres, harness)
        run = {q["qid"]: pg.stage1_only(q["query"]) for q in queries}
        rows.append(
            ("PostgreSQL stage 1 alone (ts_rank)", score(scorer, eval_dir, queries, run)[0])
        )
        run = {q["qid"]: pg.search(q["query"]) for q in queries}
        rows.append(("PostgreSQL stage 1 + rerank", score(scorer, eval_dir, queries, run)[0]))
    print(f"{'run':38} {'nDCG@10':>8} {'R@20':>6} {'MRR':>6} {'jdg@10':>7}")
    for name, m in rows:
        print(
            f"{name:38} {m['nDCG@10']:8.3f} {m['Recall@20']:6.3f} {m['MRR']:6.3f}"
            f" {m['judged@10']:7.2f}"
        )
    if args.per_query:
        for q in queries:
            m = per[q["qid"]]
            print(f"{q['qid']:5} {m['nDCG@10']:6.3f} {m['Recall@20']:6.3f} {m['MRR']:6.3f}"
                  f"  {q['query']}")  # fmt: skip
    # Timing: the first pass above, and the best of 5 passes per query (less noise on a busy
    # machine).
    best = [min(harness.search(q["query"])[1] for _ in range(5)) for q in queries]
    print(f"index {len(corpus)} docs: {harness.index_seconds:.2f} s")
    for name, values in (("first pass", times), ("best of 5", best)):
        ms = sorted(t * 1000 for t in values)
        p95 = ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]
        print(
            f"query (plan + stage 1 + rerank, K={engine_config.STAGE1_LIMIT}), {name}:"
            f" median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
