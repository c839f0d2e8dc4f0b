"""`manage.py search_eval` on the development set: it indexes the corpus through the site's
code path in a database of its own, writes a run the scorer reads, and the run scores above
the character n-gram TF-IDF baseline on that set."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from quartiers40.search.models import SearchDocument

EVAL_DIR = Path(
    os.environ.get("SEARCH_EVAL_DIR") or Path(settings.BASE_DIR).parent / "shared/eval/search"
)
# Character 3–5-gram TF-IDF on the development set (bench/search_tune.py measures it).
CHAR_NGRAM_TFIDF_DEV_NDCG10 = 0.548

pytestmark = pytest.mark.skipif(
    not (EVAL_DIR / "corpus.jsonl").is_file(), reason=f"no evaluation set at {EVAL_DIR}"
)


@pytest.mark.django_db
def test_the_eval_command_scores_above_the_character_ngram_baseline(tmp_path, capfd):
    run = tmp_path / "run.jsonl"
    call_command(
        "search_eval",
        corpus=EVAL_DIR / "corpus.jsonl",
        queries=EVAL_DIR / "queries_dev.jsonl",
        run=run,
    )
    lines = [json.loads(line) for line in run.read_text().splitlines()]
    queries = {json.loads(line)["qid"] for line in (EVAL_DIR / "queries_dev.jsonl").open()}
    per_query = {qid: [line for line in lines if line["qid"] == qid] for qid in queries}
    assert all(len(ranked) >= 20 for ranked in per_query.values())
    assert set(lines[0]) >= {"qid", "docid", "rank"}
    # Its own database: the site's (here the test database) was never touched.
    assert not SearchDocument.objects.exists()

    printed = capfd.readouterr().out
    ndcg = float(printed.split("nDCG@10")[1].split()[0])
    assert ndcg > CHAR_NGRAM_TFIDF_DEV_NDCG10, printed
