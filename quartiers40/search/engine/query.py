"""Query understanding: words, places, typos, English, lexicon expansions -> QueryPlan."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise

from . import config
from .analysis import ELISIONS, WEAK_FACTOR, WEAK_WORDS, fold, is_stop, stem, tokens
from .lexicon import Lexicon, LexiconEntry, load_lexicon
from .places import GENERIC_PLACE_WORDS, PLACE_CONNECTORS, place_words
from .types import Expansion, QueryPlan, QueryWord, Vocabulary

_CHUNKS = re.compile(r"[\s'’‘`´ʼ′/,;:!?.()\"«»\[\]{}+*&|]+")
PLACE_PREPOSITIONS = frozenset(
    {"a", "au", "aux", "sur", "dans", "vers", "pres", "en", "de", "cote"}
)
# English function words that never occur in French queries (so they tell the language).
_ENGLISH_MARKERS = frozenset(
    {"the", "of", "for", "and", "to", "with", "my", "how", "where", "what", "is", "are", "need",
     "want", "find", "looking", "your", "this", "that", "from", "near", "about", "who", "which",
     "when", "at", "in", "get"}
)  # fmt: skip
MAX_WINDOW = 5


@dataclass(frozen=True)
class Concept:
    """One idea of the query, scored by the reranker."""

    word_index: int
    weight: float  # importance (idf)
    own: tuple[tuple[str, float, int], ...]  # (term, weight, token slot) of the user's word(s)
    slots: int  # how many distinct user tokens the concept has
    expansions: tuple[tuple[str, tuple[str, ...], float], ...]  # (label, terms, weight)


def idf(df: int, count: int) -> float:
    return math.log(1.0 + (count - df + 0.5) / (df + 0.5))


def _damerau(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, with an early exit above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed_distance(word: str) -> int:
    if len(word) < config.TYPO_MIN_LENGTH:
        return 0
    return 2 if len(word) >= config.TYPO_DISTANCE_2_FROM else 1


def _closest(
    word: str, candidates: dict[str, tuple[int, int]], limit: int
) -> tuple[float, str, tuple[int, int]] | None:
    """Best candidate within limit: smallest distance (a same first letter counts half a step
    less), then a real word rather than a stem, then the most frequent."""
    stems_of = {s for t in candidates if (s := stem(t)) != t}
    best: tuple[float, int, int, str] | None = None
    for term, stats in candidates.items():
        if term == word or len(term) < 3 or term.isdigit():
            continue
        distance = _damerau(word, term, limit)
        if distance > limit:
            continue
        key = (
            distance - (0.5 if term[0] == word[0] else 0.0),
            1 if term in stems_of else 0,
            -(stats[0] + stats[1]),
            term,
        )
        if best is None or key < best:
            best = key
    if best is None:
        return None
    return best[0], best[3], candidates[best[3]]


def _variants(word: str) -> list[str]:
    """The word with two letters swapped where the site's prefix (2 letters) and suffix
    (3 letters) look-ups cannot see past a transposition."""
    out = []
    for i in (0, 1, len(word) - 3, len(word) - 2):
        if 0 <= i < len(word) - 1 and word[i] != word[i + 1]:
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    return list(dict.fromkeys(out))


def correct(word: str, vocabulary: Vocabulary) -> tuple[str, tuple[int, int]] | None:
    """Closest frequent vocabulary term to an unknown word (distance 1-2 by length), looked up
    through the word itself, then its stem, then a few transpositions."""
    limit = _allowed_distance(word)
    if not limit:
        return None
    found = _closest(word, vocabulary.neighbours(word), limit)
    if found is None:
        stemmed = stem(word)
        if stemmed != word and _allowed_distance(stemmed):
            found = _closest(stemmed, vocabulary.neighbours(stemmed), limit)
    if found is None:
        pool: dict[str, tuple[int, int]] = {}
        for variant in _variants(word):
            pool.update(vocabulary.neighbours(variant))
        found = _closest(word, pool, limit)
    if found is None:
        return None
    return found[1], found[2]


def correct_english(word: str, lexicon: Lexicon) -> str | None:
    limit = _allowed_distance(word)
    if not limit:
        return None
    found = _closest(word, dict.fromkeys(lexicon.english, (1, 0)), limit)
    return found[1] if found is not None and found[0] <= 1 else None


def _query_tokens(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(as typed, folded token, span of its chunk in text); elided articles dropped."""
    out = []
    position = 0
    for chunk in _CHUNKS.split(text):
        if not chunk:
            continue
        start = text.find(chunk, position)
        position = start + len(chunk)
        pieces = [p for p in re.split(r"[-‐‑–]", chunk) if p]
        folded = tokens(chunk, keep_elisions=True, join_hyphens=False)
        if len(folded) == len(pieces):
            pairs = list(zip(pieces, folded, strict=True))
        else:  # joined forms or odd characters: show the chunk
            pairs = [(chunk, token) for token in folded]
        for shown, token in pairs:
            if token in ELISIONS:
                continue
            out.append((shown, token, (start, position)))
    return out


def _place_key(folded: list[str]) -> tuple[str, int]:
    words = place_words(" ".join(folded))
    return "".join(words), len(words)


def _stats(freq: dict[str, tuple[int, int]], term: str) -> tuple[int, int]:
    return freq.get(term, (0, 0))


def _expansions_of(entry: LexiconEntry) -> tuple[Expansion, ...]:
    return tuple(
        Expansion(label=label, terms=terms, source=entry.key)
        for label, terms in entry.official_phrases()
    )


def _translations(french: tuple[str, ...], lexicon: Lexicon) -> tuple[Expansion, ...]:
    """French words of an English word (source "en"), then the lexicon entries of those words."""
    out = []
    for label in french:
        terms = tuple(dict.fromkeys(stem(t) for t in tokens(label) if not is_stop(t)))
        if terms:
            out.append(Expansion(label=label, terms=terms, source="en"))
    for label in french:
        key = tokens(label)
        entry = lexicon.lookup_word(key[0]) if len(key) == 1 else lexicon.phrases.get(tuple(key))
        if entry is not None:
            out.extend(_expansions_of(entry))
    return _unique(out)


def _unique(expansions: list[Expansion]) -> tuple[Expansion, ...]:
    seen: set[tuple[str, ...]] = set()
    out = []
    for exp in expansions:
        if exp.terms not in seen:
            seen.add(exp.terms)
            out.append(exp)
    return tuple(out)


def _looks_english(folded: list[str], lexicon: Lexicon, freq: dict) -> bool:
    if any(t in _ENGLISH_MARKERS for t in folded):
        return True
    unknown_english = [t for t in folded if t in lexicon.english and _stats(freq, t)[0] == 0]
    return len(unknown_english) >= 2


def query_plan(text: str, vocabulary: Vocabulary) -> QueryPlan:
    lexicon = load_lexicon()
    pairs = _query_tokens(text)
    folded = [token for _, token, _ in pairs]
    count = max(vocabulary.document_count, 1)

    # 1. Statistics of every token, its stem and every place-like window, in one call.
    wanted = set(folded) | {stem(t) for t in folded}
    windows = {}
    for i in range(len(folded)):
        for j in range(i + 2, min(len(folded), i + MAX_WINDOW) + 1):
            if folded[i] in PLACE_CONNECTORS or folded[j - 1] in PLACE_CONNECTORS:
                continue
            key, size = _place_key(folded[i:j])
            if size >= 2:
                windows[(i, j)] = key
    wanted |= set(windows.values())
    freq = dict(vocabulary.frequencies(wanted))
    english = _looks_english(folded, lexicon, freq)

    # 2. Typos: a content word unknown to the corpus, the lexicon and the English list.
    corrections: dict[int, str] = {}
    for i, token in enumerate(folded):
        if is_stop(token) or token.isdigit() or (english and token in lexicon.english_stop):
            continue
        if token in freq or stem(token) in freq:
            continue
        if lexicon.lookup_word(token) is not None or token in lexicon.english:
            continue
        if i + 1 < len(folded) and lexicon.longest_phrase(folded, i):
            continue
        found_en = correct_english(token, lexicon) if english else None
        if found_en is not None:
            corrections[i] = found_en
            continue
        found = correct(token, vocabulary)
        if found is not None:
            corrections[i] = found[0]
            freq[found[0]] = found[1]
    if corrections:
        fixed = [corrections.get(i, t) for i, t in enumerate(folded)]
        extra = {stem(t) for t in corrections.values()}
        for (i, j), _ in list(windows.items()):
            key, size = _place_key(fixed[i:j])
            windows[(i, j)] = key
            extra.add(key)
        freq.update(vocabulary.frequencies(extra - set(freq)))
    else:
        fixed = folded

    # 3. Places: the longest known multiword place, then single words that are mostly places.
    taken: set[int] = set()
    places: list[tuple[int, int, str]] = []
    for (i, j), key in sorted(windows.items(), key=lambda item: item[0][0] - item[0][1]):
        if _stats(freq, key)[1] > 0 and not taken & set(range(i, j)):
            places.append((i, j, key))
            taken.update(range(i, j))
    for i, token in enumerate(fixed):
        if i in taken or len(token) < 3 or token in GENERIC_PLACE_WORDS or is_stop(token):
            continue
        df, place_df = _stats(freq, token)
        if not place_df:
            continue
        after_preposition = i > 0 and folded[i - 1] in PLACE_PREPOSITIONS
        if df <= 2 * place_df or after_preposition or df < 0.02 * count:
            places.append((i, i + 1, token))
            taken.add(i)

    # 4. Words: lexicon phrases first, then single content words.
    words: list[QueryWord] = []
    spans: list[tuple[int, int]] = []
    place_words_out: list[QueryWord] = []
    for i, j, key in sorted(places):
        shown = text[pairs[i][2][0] : pairs[j - 1][2][1]]  # as typed, with its "d'" and dashes
        place_words_out.append(
            QueryWord(
                original=shown,
                normalised=" ".join(fixed[i:j]),
                terms=(key,),
                corrected=" ".join(corrections[k] for k in range(i, j) if k in corrections),
                is_place=True,
            )
        )
    i = 0
    while i < len(fixed):
        if i in taken:
            i += 1
            continue
        if english:
            found_en = lexicon.longest_english(fixed, i)
            if found_en is not None and not taken & set(range(i, i + found_en[0])):
                size, french = found_en
                span = range(i, i + size)
                words.append(
                    QueryWord(
                        original=" ".join(pairs[k][0] for k in span),
                        normalised=" ".join(fixed[k] for k in span),
                        terms=tuple(fixed[k] for k in span),
                        expansions=_translations(french, lexicon),
                        translated=True,
                    )
                )
                spans.append((i, i + size))
                i += size
                continue
        phrase = lexicon.longest_phrase(fixed, i)
        if phrase is not None and not taken & set(range(i, i + phrase[0])):
            size, entry = phrase
            span = range(i, i + size)
            own = [fixed[k] for k in span if not is_stop(fixed[k])]
            words.append(
                QueryWord(
                    original=" ".join(pairs[k][0] for k in span),
                    normalised=" ".join(fixed[k] for k in span),
                    terms=tuple(dict.fromkeys(own)),
                    corrected=" ".join(corrections[k] for k in span if k in corrections),
                    expansions=_expansions_of(entry),
                )
            )
            spans.append((i, i + size))
            i += size
            continue
        token = fixed[i]
        french = lexicon.english.get(token)
        forced = pairs[i][0] == "AI"  # the English acronym, not the French "ai" of "j'ai"
        if forced:
            french = lexicon.english.get("ai")
        if english and french is None and token in lexicon.english_stop:
            i += 1
            continue
        if is_stop(token) and not ((english or forced) and french):
            i += 1
            continue
        expansions: tuple[Expansion, ...] = ()
        translated = False
        entry = lexicon.lookup_word(token)
        if french and (english or _stats(freq, token)[0] == 0):
            translated = True
            expansions = _translations(french, lexicon)
        elif entry is not None:
            expansions = _expansions_of(entry)
        words.append(
            QueryWord(
                original=pairs[i][0],
                normalised=folded[i],
                terms=(token,),
                corrected=corrections.get(i, ""),
                expansions=expansions,
                translated=translated,
            )
        )
        spans.append((i, i + 1))
        i += 1

    # 5. Concepts with their weights; stage-1 terms by priority.
    needed = set()
    for word in words:
        needed.update(stem(t) for t in word.terms)
        for exp in word.expansions:
            needed.update(exp.terms)
    freq.update(vocabulary.frequencies(needed - set(freq)))
    max_idf = idf(0, count)
    concepts: list[Concept] = []
    final_words: list[QueryWord] = []
    for index, word in enumerate(words):
        own: list[tuple[str, float, int]] = []
        own_weight = config.WEIGHT_TRANSLATION if word.translated else 1.0
        if word.translated:
            own_terms: list[str] = []
        else:
            own_terms = list(word.terms)
        for slot, token in enumerate(own_terms):
            base = config.WEIGHT_CORRECTION if word.corrected else own_weight
            stemmed = stem(token)
            own.append((stemmed, base, slot))
            if stemmed != token:
                own.append((token, base * 0.3, slot))
        exp_weight = config.WEIGHT_TRANSLATION if word.translated else config.WEIGHT_EXPANSION
        expansions = []
        seen = set()
        for exp in word.expansions:
            if exp.terms in seen or tuple(stem(t) for t in own_terms) == exp.terms:
                continue
            seen.add(exp.terms)
            weight = (
                exp_weight if exp.source == "en" or not word.translated else config.WEIGHT_EXPANSION
            )
            expansions.append((exp.label, exp.terms, weight))
        known = [_stats(freq, t)[0] for t, _, _ in own if _stats(freq, t)[0] > 0]
        if known:
            weight = idf(min(known), count)
        else:
            exp_dfs = [
                min(_stats(freq, t)[0] or count for t in terms) for _, terms, _ in expansions
            ]
            weight = idf(min(exp_dfs), count) if exp_dfs else 0.0
        weight = min(weight, max_idf)
        if own_terms and all(t in WEAK_WORDS for t in own_terms):
            weight *= WEAK_FACTOR
        slots = len(own_terms)
        concepts.append(Concept(index, weight, tuple(own), slots, tuple(expansions)))
        final_words.append(_with_weight(word, weight))

    retrieval: list[str] = []

    def add(term: str) -> None:
        if term and term not in retrieval and len(retrieval) < config.MAX_RETRIEVAL_TERMS:
            retrieval.append(term)

    for concept in concepts:
        for term, _, _ in concept.own:
            add(term)
    for place in place_words_out:
        add(place.terms[0])
        for token in place.normalised.split():
            if token not in PLACE_CONNECTORS:
                add(token)
    for concept in sorted(concepts, key=lambda c: -c.weight):
        for _, terms, _ in concept.expansions:
            rarest = min(terms, key=lambda t: _stats(freq, t)[0] or count)
            add(rarest)
    for concept in concepts:
        for _, terms, _ in concept.expansions:
            for term in terms:
                add(term)

    # Pairs of stems expected side by side (stop words are not in the stored gists).
    pairs: list[tuple[str, str, float]] = []
    previous: tuple[str, float] | None = None
    for concept in concepts:
        stems_in_order = [t for t, w, _ in concept.own if w >= config.WEIGHT_CORRECTION - 1e-9]
        stems_in_order = list(dict.fromkeys(stems_in_order))
        if not stems_in_order:
            previous = None
            continue
        for a, b in pairwise(stems_in_order):
            pairs.append((a, b, concept.weight))
        if previous is not None:
            pairs.append((previous[0], stems_in_order[0], min(previous[1], concept.weight)))
        previous = (stems_in_order[-1], concept.weight)

    # Words compared by character n-grams, per concept (same order as concepts).
    ngram_words: list[tuple[str, ...]] = []
    for word in final_words:
        if word.translated:
            found = [t for exp in word.expansions if exp.source == "en" for t in tokens(exp.label)]
        else:
            found = word.corrected.split() or list(word.terms)
        ngram_words.append(tuple(dict.fromkeys(t for t in found if not is_stop(t) and len(t) > 2)))
    place_label = " ".join(_display_place(p.original) for p in place_words_out[:1])
    place_keys = tuple(p.terms[0] for p in place_words_out)
    all_words = sorted(
        [(s[0], w) for s, w in zip(spans, final_words, strict=True)]
        + [(p[0], w) for p, w in zip(sorted(places), place_words_out, strict=True)],
        key=lambda item: item[0],
    )
    ordered_words = tuple(w for _, w in all_words)
    index_of = {id(w): k for k, w in enumerate(ordered_words)}
    concepts = [
        Concept(index_of[id(final_words[c.word_index])], c.weight, c.own, c.slots, c.expansions)
        for c in concepts
    ]
    return QueryPlan(
        text=text,
        retrieval_terms=tuple(retrieval),
        place_terms=place_keys,
        place_label=place_label,
        words=ordered_words,
        concepts=tuple(concepts),
        place_keys=place_keys,
        ngram_words=tuple(ngram_words),
        pairs=tuple(pairs),
        frequencies=freq,
    )


def _with_weight(word: QueryWord, weight: float) -> QueryWord:
    return QueryWord(
        original=word.original,
        normalised=word.normalised,
        terms=word.terms,
        corrected=word.corrected,
        expansions=word.expansions,
        translated=word.translated,
        is_place=word.is_place,
        weight=round(weight, 3),
    )


def _display_place(shown: str) -> str:
    """A place as typed, with capitals on its names: "villenave d'ornon" -> "Villenave d'Ornon"."""
    out = []
    for part in re.split(r"(\s+|-|['’])", shown):
        if part and part[0].islower() and fold(part) not in PLACE_CONNECTORS | ELISIONS:
            part = part[0].upper() + part[1:]
        out.append(part)
    return "".join(out)
