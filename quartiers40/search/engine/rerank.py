"""Stage 2: rescoring the database's candidates with BM25F, character n-grams, concept coverage
and the place named in the query."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence

from . import config
from .query import idf
from .types import Candidate, QueryPlan, Ranked, Vocabulary

_FIELDS = ("title_terms", "tag_terms", "body_terms", "place_terms")


def _word_grams(word: str) -> list[list[str]]:
    """Character n-grams of a padded word, grouped by size (3, 4, 5)."""
    padded = f" {word} "
    return [[padded[i : i + n] for i in range(len(padded) - n + 1)] for n in config.NGRAM_SIZES]


def _grams_in(text: str, grams_by_size: list[list[str]]) -> set[str]:
    """The n-grams of one word present in text; a longer n-gram is only looked for when the
    two shorter ones it contains were found."""
    found: set[str] = set()
    previous: list[bool] | None = None
    for grams in grams_by_size:
        hits = []
        for k, gram in enumerate(grams):
            ok = (previous is None or (previous[k] and previous[k + 1])) and gram in text
            hits.append(ok)
            if ok:
                found.add(gram)
        if not any(hits):
            break
        previous = hits
    return found


def rerank(
    plan: QueryPlan, candidates: Sequence[Candidate], vocabulary: Vocabulary
) -> list[Ranked]:
    if not candidates:
        return []
    count = max(vocabulary.document_count, 1)
    freq = plan.frequencies
    term_idf: dict[str, float] = {}
    for concept in plan.concepts:
        for term, _, _ in concept.own:
            term_idf[term] = idf(freq.get(term, (0, 0))[0], count)
        for _, terms, _ in concept.expansions:
            for term in terms:
                term_idf[term] = idf(freq.get(term, (0, 0))[0], count)
    wanted = set(term_idf)

    # Field statistics of the candidates (lengths) and term counts.
    parsed = []
    lengths = [0.0, 0.0, 0.0, 0.0]
    for cand in candidates:
        indexed = cand.indexed
        fields = []
        for f, name in enumerate(_FIELDS):
            split = getattr(indexed, name).split()
            lengths[f] += len(split)
            counts = Counter(split)
            fields.append((len(split), {t: counts[t] for t in wanted if t in counts}))
        parsed.append(fields)
    average = [max(total / len(candidates), 1.0) for total in lengths]

    ngram_words = [w for w in plan.ngram_words if len(w) >= 2]
    word_grams = [_word_grams(w) for w in ngram_words]
    all_grams = {g for groups in word_grams for group in groups for g in group}
    gram_df: Counter[str] = Counter()
    doc_grams = []
    places = []
    for cand in candidates:
        data = json.loads(cand.indexed.rerank_data or "{}")
        head = " " + data.get("h", "") + " "
        body = " " + data.get("b", "") + " "
        in_head: set[str] = set()
        in_body: set[str] = set()
        for groups in word_grams:
            in_head |= _grams_in(head, groups)
            in_body |= _grams_in(body, groups)
        doc_grams.append((in_head, in_body))
        gram_df.update(in_head | in_body)
        places.append(data.get("p", []))
    n_cand = len(candidates)
    gram_idf = {g: math.log((n_cand + 1) / (gram_df[g] + 0.5)) for g in all_grams}
    gram_mass = sum(gram_idf.values()) or 1.0

    k1 = config.BM25F_K1
    weights, bs = config.BM25F_WEIGHTS, config.BM25F_B
    results = []
    for cand, fields, (in_head, in_body), doc_places in zip(
        candidates, parsed, doc_grams, places, strict=True
    ):
        norms = [1.0 - bs[f] + bs[f] * fields[f][0] / average[f] for f in range(4)]
        term_score: dict[str, float] = {}
        for term in wanted:
            tf = 0.0
            for f in range(4):
                c = fields[f][1].get(term)
                if c:
                    tf += weights[f] * c / norms[f]
            if tf:
                term_score[term] = term_idf[term] * tf / (k1 + tf)
        bm25f = 0.0
        covered = 0.0
        total_weight = 0.0
        matched: list[str] = []
        plan_words = plan.words
        for concept in plan.concepts:
            own_score = 0.0
            slots_hit = set()
            for term, weight, slot in concept.own:
                s = term_score.get(term)
                if s:
                    own_score += weight * s
                    slots_hit.add(slot)
            best_exp = 0.0
            best_label = ""
            best_credit = 0.0
            for label, terms, weight in concept.expansions:
                if all(t in term_score for t in terms):
                    s = weight * sum(term_score[t] for t in terms) / len(terms)
                    if s > best_exp:
                        best_exp, best_label = s, label
                        best_credit = (
                            0.9
                            if weight >= config.WEIGHT_TRANSLATION
                            else config.COVERAGE_EXPANSION_CREDIT
                        )
            bm25f += own_score + best_exp
            credit = len(slots_hit) / concept.slots if concept.slots else 0.0
            total_weight += concept.weight
            covered += concept.weight * max(credit, best_credit)
            word = plan_words[concept.word_index]
            if slots_hit:
                matched.append(word.original)
            elif best_label:
                matched.append(best_label)
        coverage = covered / total_weight if total_weight else 0.0
        ngram = 0.0
        if in_head or in_body:
            ngram = sum(gram_idf[g] for g in in_head) + 0.5 * sum(gram_idf[g] for g in in_body)
            ngram /= 1.5 * gram_mass
        place = 0.0
        if plan.place_keys and doc_places:
            for level, key in enumerate(doc_places):
                if key in plan.place_keys:
                    place = config.PLACE_BOOST[min(level, 2)]
                    break
                if any(p in key for p in plan.place_keys):
                    place = config.PLACE_BOOST[min(level + 1, 2)]
                    break
            if place:
                matched.extend(w.original for w in plan.words if w.is_place)
        results.append([cand, bm25f, ngram, coverage, place, tuple(dict.fromkeys(matched))])

    max_bm25f = max(r[1] for r in results) or 1.0
    max_ngram = max(r[2] for r in results) or 1.0
    max_stage1 = max(c.stage1_score for c in candidates)
    min_stage1 = min(c.stage1_score for c in candidates)
    span = (max_stage1 - min_stage1) or 1.0
    ranked = []
    for cand, bm25f, ngram, coverage, place, matched in results:
        score = (
            config.MIX_BM25F * bm25f / max_bm25f
            + config.MIX_NGRAM * ngram / max_ngram
            + config.MIX_COVERAGE * coverage
            + config.MIX_STAGE1 * (cand.stage1_score - min_stage1) / span
            + place
        )
        ranked.append(Ranked(cand.doc_id, round(score, 6), matched))
    ranked.sort(key=lambda r: (-r.score, r.doc_id))
    return ranked
