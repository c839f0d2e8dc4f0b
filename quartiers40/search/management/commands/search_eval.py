import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

CHILD_FLAG = "Q40_SEARCH_EVAL_CHILD"


class Command(BaseCommand):
    help = _(
        "Évalue la recherche du site sur un corpus jugé : indexe le corpus par le même code "
        "que le site, dans une base temporaire, et écrit le fichier de résultats (run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, type=Path)
        parser.add_argument("--queries", required=True, type=Path)
        parser.add_argument("--run", required=True, type=Path, help=_("Fichier JSONL écrit."))
        parser.add_argument(
            "--engine",
            choices=["sqlite", "postgresql"],
            default="sqlite",
            help=_("La base temporaire : SQLite (par défaut) ou PostgreSQL (DATABASE_URL)."),
        )

    def handle(self, *args, corpus: Path, queries: Path, run: Path, engine: str, **options):
        for path in (corpus, queries):
            if not path.is_file():
                raise CommandError(_("Fichier introuvable : %(path)s") % {"path": path})
        if os.environ.get(CHILD_FLAG) == "1":
            return self._evaluate(corpus, queries, run)
        with tempfile.TemporaryDirectory(prefix="q40-search-eval-") as scratch:
            database_url, drop = self._scratch_database(engine, Path(scratch))
            env = {**os.environ, CHILD_FLAG: "1", "DATABASE_URL": database_url}
            manage = Path(settings.BASE_DIR) / "manage.py"
            argv = [sys.executable, str(manage), "search_eval", "--corpus", str(corpus.resolve())]
            argv += ["--queries", str(queries.resolve()), "--run", str(run.resolve())]
            try:
                completed = subprocess.run(argv, env=env, check=False)  # noqa: S603
            finally:
                drop()
        if completed.returncode:
            raise CommandError(_("L'évaluation a échoué."))
        self._score(queries, run)

    def _scratch_database(self, engine: str, scratch: Path):
        """A database of its own: a file in a temporary folder, or a PostgreSQL database
        created beside the site's and dropped after."""
        if engine == "sqlite":
            return f"sqlite:///{scratch / 'eval.sqlite3'}", lambda: None
        import dj_database_url
        import psycopg

        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            raise CommandError(_("--engine postgresql demande DATABASE_URL vers PostgreSQL."))
        parsed = dj_database_url.parse(base)
        name = f"q40_search_eval_{os.getpid()}"
        admin = {
            "host": parsed["HOST"] or None,
            "port": parsed["PORT"] or None,
            "user": parsed["USER"] or None,
            "password": parsed["PASSWORD"] or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**admin) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(**admin) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return base.rsplit("/", 1)[0] + "/" + name, drop

    def _evaluate(self, corpus_path: Path, queries_path: Path, run_path: Path) -> None:
        from quartiers40.search.evaluation import corpus_read, corpus_sources, queries_run
        from quartiers40.search.progress import ProgressBar
        from quartiers40.search.services import search_index_rebuild

        call_command("migrate", verbosity=0, interactive=False)
        corpus = corpus_read(corpus_path)
        queries = corpus_read(queries_path)
        sources, docids = corpus_sources(corpus)
        started = time.perf_counter()
        search_index_rebuild(sources=sources, progress=ProgressBar(sys.stderr))
        indexing = time.perf_counter() - started
        timings = []
        run = []
        for query in queries:
            started = time.perf_counter()
            run.extend(queries_run([query], docids))
            timings.append((time.perf_counter() - started) * 1000)
        run_path.parent.mkdir(parents=True, exist_ok=True)
        with run_path.open("w", encoding="utf-8") as out:
            for line in run:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.stdout.write(
            _(
                "%(docs)s documents indexés en %(seconds).1f s (%(vendor)s) ; "
                "%(queries)s requêtes, médiane %(median).1f ms, max %(max).1f ms ; "
                "résultats : %(run)s"
            )
            % {
                "docs": len(corpus),
                "seconds": indexing,
                "vendor": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "queries": len(queries),
                "median": statistics.median(timings) if timings else 0,
                "max": max(timings) if timings else 0,
                "run": run_path,
            }
        )

    def _score(self, queries: Path, run: Path) -> None:
        """The scorer beside the queries (../shared/eval/search/run_eval.py), when there."""
        scorer = queries.parent / "run_eval.py"
        if not scorer.is_file():
            return
        argv = [sys.executable, str(scorer), "--run", str(run), "--queries", str(queries)]
        subprocess.run(argv, check=False)  # noqa: S603
