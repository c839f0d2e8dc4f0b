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


def _grams_in(text: str, word: str, grams_by_size: list[list[str]]) -> list[str]:
    """The n-grams of one word present in text; a longer n-gram is only looked for when the
    two shorter ones it contains were found."""
    if f" {word} " in text:
        return [g for grams in grams_by_size for g in grams]
    found: list[str] = []
    previous: list[bool] | None = None
    for grams in grams_by_size:
        if previous is None:
            hits = [g in text for g in grams]
        else:
            hits = [previous[k] and previous[k + 1] and g in text for k, g in enumerate(grams)]
        if not any(hits):
            break
        found.extend(g for g, hit in zip(grams, hits, strict=True) if hit)
        previous = hits
    return found


def _term_idf(plan: QueryPlan, count: int) -> dict[str, float]:
    freq = plan.frequencies
    out: dict[str, float] = {}
    for concept in plan.concepts:
        for term, _, _ in concept.own:
            out[term] = idf(freq.get(term, (0, 0))[0], count)
        for _, terms, _ in concept.expansions:
            for term in terms:
                out[term] = idf(freq.get(term, (0, 0))[0], count)
    return out


def _lexical(plan: QueryPlan, candidates: Sequence[Candidate], term_idf: dict[str, float]):
    """BM25F (field weights, candidates' average lengths), concept coverage and matched words."""
    wanted = set(term_idf)
    parsed = []
    lengths = [0, 0, 0, 0]
    for cand in candidates:
        fields = []
        for f, name in enumerate(_FIELDS):
            split = getattr(cand.indexed, name).split()
            lengths[f] += len(split)
            present = wanted.intersection(split)
            if present:
                counts = Counter(split)
                fields.append((len(split), {t: counts[t] for t in present}))
            else:
                fields.append((len(split), {}))
        parsed.append(fields)
    average = [max(total / len(candidates), 1.0) for total in lengths]
    k1 = config.BM25F_K1
    weights, bs = config.BM25F_WEIGHTS, config.BM25F_B
    out = []
    for fields in parsed:
        tf: dict[str, float] = {}
        for f in range(4):
            length, counts = fields[f]
            if counts:
                factor = weights[f] / (1.0 - bs[f] + bs[f] * length / average[f])
                for term, c in counts.items():
                    tf[term] = tf.get(term, 0.0) + c * factor
        term_score = {t: term_idf[t] * v / (k1 + v) for t, v in tf.items()}
        bm25f = covered = total_weight = 0.0
        matched: list[str] = []
        for concept in plan.concepts:
            own_score = 0.0
            slots_hit = set()
            for term, weight, slot in concept.own:
                value = term_score.get(term)
                if value:
                    own_score += weight * value
                    slots_hit.add(slot)
            best_exp = best_credit = 0.0
            best_label = ""
            for label, terms, weight in concept.expansions:
                if all(t in term_score for t in terms):
                    value = weight * sum(term_score[t] for t in terms) / len(terms)
                    if value > best_exp:
                        best_exp, best_label = value, label
                        best_credit = (
                            0.9
                            if weight >= config.WEIGHT_TRANSLATION
                            else config.COVERAGE_EXPANSION_CREDIT
                        )
            bm25f += own_score + best_exp
            credit = len(slots_hit) / concept.slots if concept.slots else 0.0
            total_weight += concept.weight
            covered += concept.weight * max(credit, best_credit)
            if slots_hit:
                matched.append(plan.words[concept.word_index].original)
            elif best_label:
                matched.append(best_label)
        coverage = covered / total_weight if total_weight else 0.0
        out.append((bm25f, coverage, matched))
    return out


def _ngrams(plan: QueryPlan, candidates: Sequence[Candidate]) -> tuple[list[float], list[list]]:
    """Character n-gram similarity between the query words and each candidate's stored gist
    (title and tags count twice the start of the body); idf from the candidates themselves."""
    words = [w for w in plan.ngram_words if len(w) >= 2]
    grams_of = [(w, _word_grams(w)) for w in words]
    all_grams = {g for _, groups in grams_of for group in groups for g in group}
    gram_df: Counter[str] = Counter()
    found = []
    places = []
    for cand in candidates:
        data = json.loads(cand.indexed.rerank_data or "{}")
        head = " " + data.get("h", "") + " "
        body = " " + data.get("b", "") + " "
        in_head: set[str] = set()
        in_body: set[str] = set()
        for word, groups in grams_of:
            in_head.update(_grams_in(head, word, groups))
            in_body.update(_grams_in(body, word, groups))
        found.append((in_head, in_body))
        gram_df.update(in_head | in_body)
        places.append(data.get("p", []))
    n = len(candidates)
    gram_idf = {g: math.log((n + 1) / (gram_df[g] + 0.5)) for g in all_grams}
    mass = 1.5 * (sum(gram_idf.values()) or 1.0)
    scores = []
    for in_head, in_body in found:
        value = sum(gram_idf[g] for g in in_head) + 0.5 * sum(gram_idf[g] for g in in_body)
        scores.append(value / mass)
    return scores, places


def _place_boost(plan: QueryPlan, doc_places: list[str]) -> float:
    for level, key in enumerate(doc_places):
        if key in plan.place_keys:
            return config.PLACE_BOOST[min(level, 2)]
        if any(p in key for p in plan.place_keys):
            return config.PLACE_BOOST[min(level + 1, 2)]
    return 0.0


def rerank(
    plan: QueryPlan, candidates: Sequence[Candidate], vocabulary: Vocabulary
) -> list[Ranked]:
    if not candidates:
        return []
    count = max(vocabulary.document_count, 1)
    lexical = _lexical(plan, candidates, _term_idf(plan, count))
    max_bm25f = max(x[0] for x in lexical) or 1.0
    top = max(c.stage1_score for c in candidates)
    bottom = min(c.stage1_score for c in candidates)
    span = (top - bottom) or 1.0
    first = []
    for cand, (bm25f, coverage, _) in zip(candidates, lexical, strict=True):
        first.append(
            config.MIX_BM25F * bm25f / max_bm25f
            + config.MIX_COVERAGE * coverage
            + config.MIX_STAGE1 * (cand.stage1_score - bottom) / span
        )
    # Character n-grams and places only for the best of the first pass (they cost the most).
    order = sorted(range(len(candidates)), key=lambda k: -first[k])
    pool = order[: config.NGRAM_POOL]
    ngram, places = _ngrams(plan, [candidates[k] for k in pool])
    max_ngram = max(ngram, default=0.0) or 1.0
    final = {k: first[k] - 1.0 for k in order[config.NGRAM_POOL :]}
    matched = {k: lexical[k][2] for k in range(len(candidates))}
    for k, value, doc_places in zip(pool, ngram, places, strict=True):
        boost = _place_boost(plan, doc_places) if plan.place_keys else 0.0
        if boost:
            matched[k] = matched[k] + [w.original for w in plan.words if w.is_place]
        final[k] = first[k] + config.MIX_NGRAM * value / max_ngram + boost
    ranked = [
        Ranked(candidates[k].doc_id, round(final[k], 6), tuple(dict.fromkeys(matched[k])))
        for k in range(len(candidates))
    ]
    ranked.sort(key=lambda r: (-r.score, r.doc_id))
    return ranked
