"""Stage 2: the final order of the database's candidates, from their stored terms and the
corpus statistics only (so SQLite bm25 and PostgreSQL ts_rank candidates end up alike).

score = BM25F over title/tags/body/place with the real df, each query concept counted once
        (its own words, then its best lexicon expansion at a lower weight)
      + coverage: the share of the query's concepts the document answers (idf-weighted)
      + a small share of the stage-1 score
      then, for the best NGRAM_POOL candidates:
      + proximity of consecutive query words in the title, tags and start of the body
      + the place boost (the place named in the query) or a penalty (located elsewhere)
      + character n-grams of the words that did not match (off by default, MIX_NGRAM)
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence

from . import config
from .query import idf
from .types import Candidate, QueryPlan, Ranked, Vocabulary


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


def _rerank_data(text: str) -> dict:
    """The stored stage-2 data; a row indexed by an older engine version may lack it."""
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


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
    # The place column only matters when a query term is also a place word.
    use_place = any(plan.frequencies.get(t, (0, 0))[1] for t in wanted)
    parsed = []
    lengths = [0, 0, 0, 0]
    for cand in candidates:
        indexed = cand.indexed
        fields = []
        texts = (indexed.title_terms, indexed.tag_terms, indexed.body_terms)
        if use_place:
            texts += (indexed.place_terms,)
        for f, text in enumerate(texts):
            split = text.split()
            lengths[f] += len(split)
            present = wanted.intersection(split)
            fields.append((len(split), {t: split.count(t) for t in present} if present else {}))
        if not use_place:
            fields.append((0, {}))
        parsed.append(fields)
    average = [max(total / len(candidates), 1.0) for total in lengths]
    k1 = config.BM25F_K1
    weights, bs = config.BM25F_WEIGHTS, config.BM25F_B
    specs = _concept_specs(plan, term_idf)
    total_weight = sum(spec[0] for spec in specs)
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
        bm25f = covered = 0.0
        matched: list[str] = []
        credits: list[float] = []
        for weight_c, every, own, slots, expansions, word in specs:
            if every.isdisjoint(term_score):
                credits.append(0.0)
                continue
            own_score = 0.0
            slots_hit = set()
            for term, weight, slot in own:
                value = term_score.get(term)
                if value:
                    own_score += weight * value
                    slots_hit.add(slot)
            best_exp = best_credit = all_exp = 0.0
            best_label = ""
            for label, terms, weight, credit in expansions:
                if all(t in term_score for t in terms):
                    value = weight * sum(term_score[t] for t in terms) / len(terms)
                    all_exp += value
                    if value > best_exp:
                        best_exp, best_label, best_credit = value, label, credit
            if slots > 1:  # a phrase counts in full only when all its words are there
                own_score *= len(slots_hit) / slots
            bm25f += own_score + best_exp + config.EXPANSION_REST * (all_exp - best_exp)
            credit = max(len(slots_hit) / slots if slots else 0.0, best_credit)
            covered += weight_c * credit
            credits.append(credit)
            if slots_hit:
                if len(slots_hit) == slots:
                    matched.append(word.original)
                else:
                    matched.extend(word.terms[slot] for slot in sorted(slots_hit))
            elif best_label:
                matched.append(best_label)
        coverage = covered / total_weight if total_weight else 0.0
        out.append((bm25f, coverage, matched, credits))
    return out


def _concept_specs(plan: QueryPlan, term_idf: dict[str, float]) -> list[tuple]:
    """Per concept, what the per-document loop needs, computed once per query: its weight, all
    its terms, its own terms, its number of words, its expansions with their coverage credit
    (lower for a broad official word, "numérique" for "coder"), and its query word."""
    specs = []
    for concept in plan.concepts:
        expansions = []
        for label, terms, weight in concept.expansions:
            base = 0.9 if weight >= config.WEIGHT_TRANSLATION else config.COVERAGE_EXPANSION_CREDIT
            specific = max(term_idf[t] for t in terms)
            credit = base * min(1.0, specific / (concept.weight or specific or 1.0))
            expansions.append((label, terms, weight, credit))
        every = {t for t, _, _ in concept.own} | {t for e in concept.expansions for t in e[1]}
        specs.append(
            (
                concept.weight,
                every,
                concept.own,
                concept.slots,
                expansions,
                plan.words[concept.word_index],
            )
        )
    return specs


def _ngrams(
    plan: QueryPlan, candidates: Sequence[Candidate], credits: Sequence[list[float]]
) -> tuple[list[list[float]], list, list[float]]:
    """Per candidate and concept, how much of the concept's words is found in the candidate's
    stored gist by character n-grams (0..1; n-gram idf from the candidates themselves; the title
    and tags count twice the start of the body)."""
    concepts = [[(w, _word_grams(w)) for w in words] for words in plan.ngram_words]
    gram_df: Counter[str] = Counter()
    found = []
    places = []
    proximity = []
    pair_keys = [(f" {a} {b} ", w) for a, b, w in plan.pairs]
    pair_mass = sum(w for _, w in pair_keys) or 1.0
    for cand, doc_credits in zip(candidates, credits, strict=True):
        data = _rerank_data(cand.indexed.rerank_data)
        head = " " + data.get("h", "") + " "
        body = " " + data.get("b", "") + " "
        if pair_keys:
            stems = " " + data.get("hs", "") + " | " + data.get("bs", "") + " "
            proximity.append(sum(w for key, w in pair_keys if key in stems) / pair_mass)
        else:
            proximity.append(0.0)
        per_concept = []
        for words, credit in zip(concepts, doc_credits, strict=True):
            per_word = []
            # Nothing fuzzy to add when the words themselves matched (or n-grams are off).
            if credit >= 1.0 or not config.MIX_NGRAM:
                per_concept.append(per_word)
                continue
            for word, groups in words:
                in_head = _grams_in(head, word, groups)
                in_body = _grams_in(body, word, groups)
                gram_df.update(set(in_head).union(in_body))
                per_word.append((in_head, in_body))
            per_concept.append(per_word)
        found.append(per_concept)
        places.append(data.get("p", []))
    n = len(candidates)

    every = {g for words in concepts for _, groups in words for group in groups for g in group}
    weight = {g: math.log((n + 1) / (gram_df[g] + 0.5)) for g in every}
    mass = [
        [sum(weight[g] for group in groups for g in group) or 1.0 for _, groups in words]
        for words in concepts
    ]
    scores = []
    for per_concept in found:
        row = []
        for c, per_word in enumerate(per_concept):
            best = 0.0
            for k, (in_head, in_body) in enumerate(per_word):
                if not in_head and not in_body:
                    continue
                head_part = sum(map(weight.__getitem__, in_head))
                body_part = sum(map(weight.__getitem__, in_body))
                best = max(best, (head_part + 0.5 * body_part) / (1.5 * mass[c][k]))
            row.append(best)
        scores.append(row)
    return scores, places, proximity


def _place_boost(plan: QueryPlan, doc_places: list[str]) -> float:
    """Bonus for a document in the place the query names (more for its most specific place),
    a penalty for one located elsewhere; documents without a place are left alone."""
    if not doc_places:
        return 0.0
    for level, key in enumerate(doc_places):
        if key in plan.place_keys:
            return config.PLACE_BOOST[min(level, 2)]
        if any(p in key for p in plan.place_keys):
            return config.PLACE_BOOST[min(level + 1, 2)]
    return -config.PLACE_MISMATCH


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
    for cand, (bm25f, coverage, _, _) in zip(candidates, lexical, strict=True):
        first.append(
            config.MIX_BM25F * bm25f / max_bm25f
            + config.MIX_COVERAGE * coverage
            + config.MIX_STAGE1 * (cand.stage1_score - bottom) / span
        )
    # Character n-grams and places only for the best of the first pass (they cost the most).
    order = sorted(range(len(candidates)), key=lambda k: -first[k])
    pool = order[: config.NGRAM_POOL]
    ngram, places, proximity = _ngrams(
        plan, [candidates[k] for k in pool], [lexical[k][3] for k in pool]
    )
    weights = [c.weight for c in plan.concepts]
    total = sum(weights) or 1.0
    final = {k: first[k] - 1.0 for k in order[config.NGRAM_POOL :]}
    matched = {k: lexical[k][2] for k in range(len(candidates))}
    for k, per_concept, doc_places, near in zip(pool, ngram, places, proximity, strict=True):
        # Only what the words themselves did not match: "coder" / "codage", "numerique" / "num".
        credits = lexical[k][3]
        fuzzy = (
            sum(
                w * max(0.0, r - credit)
                for w, r, credit in zip(weights, per_concept, credits, strict=True)
            )
            / total
        )
        boost = _place_boost(plan, doc_places) if plan.place_keys else 0.0
        if boost > 0:
            matched[k] = matched[k] + [w.original for w in plan.words if w.is_place]
        final[k] = first[k] + config.MIX_NGRAM * fuzzy + config.MIX_PROXIMITY * near + boost
    ranked = [
        Ranked(candidates[k].doc_id, round(final[k], 6), tuple(dict.fromkeys(matched[k])))
        for k in range(len(candidates))
    ]
    ranked.sort(key=lambda r: (-r.score, r.doc_id))
    return ranked
