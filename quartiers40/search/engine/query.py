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
from .typos import correct, correct_english, correct_everyday, correct_stop_word

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
    """Read a query: words, typos, English, places, lexicon expansions -> what both stages need."""
    return _PlanBuilder(text, vocabulary).build()


class _PlanBuilder:
    """The steps of query_plan, in order; each reads what the previous ones left."""

    def __init__(self, text: str, vocabulary: Vocabulary) -> None:
        self.text = text
        self.vocabulary = vocabulary
        self.lexicon = load_lexicon()
        self.tokens = _query_tokens(text)[: config.MAX_QUERY_TOKENS]  # (as typed, folded, span)
        self.folded = [token for _, token, _ in self.tokens]
        self.fixed = self.folded  # after typo correction
        self.count = max(vocabulary.document_count, 1)
        self.freq: dict[str, tuple[int, int]] = {}
        self.windows: dict[tuple[int, int], str] = {}
        self.english = False
        self.corrections: dict[int, str] = {}
        self.taken: set[int] = set()  # token positions read as a place
        self.places: list[tuple[int, int, str]] = []
        self.place_words: list[QueryWord] = []
        self.words: list[QueryWord] = []
        self.spans: list[tuple[int, int]] = []

    def build(self) -> QueryPlan:
        self._statistics()
        self._correct_typos()
        self._find_places()
        self._read_words()
        self._merge_repeated_words()
        concepts, words = self._concepts()
        ordered = sorted(
            [(span[0], w) for span, w in zip(self.spans, words, strict=True)]
            + [(p[0], w) for p, w in zip(self.places, self.place_words, strict=True)],
            key=lambda item: item[0],
        )
        ordered_words = tuple(w for _, w in ordered)
        index_of = {id(w): k for k, w in enumerate(ordered_words)}
        concepts = [
            Concept(index_of[id(words[c.word_index])], c.weight, c.own, c.slots, c.expansions)
            for c in concepts
        ]
        place_keys = tuple(p.terms[0] for p in self.place_words)
        return QueryPlan(
            text=self.text,
            retrieval_terms=self._retrieval_terms(concepts),
            place_terms=place_keys,
            place_label=" ".join(_display_place(p.original) for p in self.place_words[:1]),
            words=ordered_words,
            concepts=tuple(concepts),
            place_keys=place_keys,
            ngram_words=_ngram_words(words),
            pairs=_stem_pairs(concepts),
            frequencies=self.freq,
        )

    def _stats(self, term: str) -> tuple[int, int]:
        return self.freq.get(term, (0, 0))

    def _statistics(self) -> None:
        """Statistics of every token, its stem and every place-like window, in one call."""
        folded = self.folded
        wanted = set(folded) | {stem(t) for t in folded}
        for i in range(len(folded)):
            for j in range(i + 2, min(len(folded), i + MAX_WINDOW) + 1):
                if folded[i] in PLACE_CONNECTORS or folded[j - 1] in PLACE_CONNECTORS:
                    continue
                key, size = _place_key(folded[i:j])
                if size >= 2:
                    self.windows[(i, j)] = key
        wanted |= set(self.windows.values())
        self.freq = dict(self.vocabulary.frequencies(wanted))
        self.english = _looks_english(folded, self.lexicon, self.freq)

    def _correct_typos(self) -> None:
        """A content word unknown to the corpus, the lexicon and the English list is read as
        the closest frequent vocabulary term (or English word, in an English query)."""
        lexicon, folded = self.lexicon, self.folded
        for i, token in enumerate(folded):
            if (
                is_stop(token)
                or token.isdigit()
                or (self.english and token in lexicon.english_stop)
            ):
                continue
            if token in self.freq or stem(token) in self.freq:
                continue
            if lexicon.lookup_word(token) is not None or token in lexicon.english:
                continue
            if i + 1 < len(folded) and lexicon.longest_phrase(folded, i):
                continue
            found_word = (
                (correct_english(token, lexicon) if self.english else None)
                or correct_everyday(token, lexicon)
                or correct_stop_word(token)
            )
            if found_word is not None:
                self.corrections[i] = found_word
                continue
            found = correct(token, self.vocabulary)
            if found is not None:
                self.corrections[i] = found[0]
                self.freq[found[0]] = found[1]
        if not self.corrections:
            return
        self.fixed = [self.corrections.get(i, t) for i, t in enumerate(folded)]
        extra = {stem(t) for t in self.corrections.values()}
        for i, j in list(self.windows):
            key, _ = _place_key(self.fixed[i:j])
            self.windows[(i, j)] = key
            extra.add(key)
        self.freq.update(self.vocabulary.frequencies(extra - set(self.freq)))

    def _find_places(self) -> None:
        """The longest known multiword place, then single words that are mostly places (or
        follow "à", "sur", "près de"...)."""
        for (i, j), key in sorted(self.windows.items(), key=lambda item: item[0][0] - item[0][1]):
            if self._stats(key)[1] > 0 and not self.taken & set(range(i, j)):
                self.places.append((i, j, key))
                self.taken.update(range(i, j))
        in_phrase = self._lexicon_phrase_positions()
        for i, token in enumerate(self.fixed):
            if i in self.taken or len(token) < 3 or token in GENERIC_PLACE_WORDS or is_stop(token):
                continue
            if i in in_phrase:  # "cap emploi" is not Lège-Cap-Ferret
                continue
            df, place_df = self._stats(token)
            if not place_df:
                continue
            after_preposition = i > 0 and self.folded[i - 1] in PLACE_PREPOSITIONS
            if df <= 2 * place_df or after_preposition or df < 0.02 * self.count:
                self.places.append((i, i + 1, token))
                self.taken.add(i)
        self.places.sort()
        for i, j, key in self.places:
            # "la teste de buch": the article before the name belongs to it when shown
            first = i - 1 if i > 0 and self.folded[i - 1] in {"le", "la", "les"} else i
            self.place_words.append(
                QueryWord(
                    original=self.text[self.tokens[first][2][0] : self.tokens[j - 1][2][1]],
                    normalised=" ".join(self.fixed[i:j]),
                    terms=(key,),
                    corrected=self._corrected(range(i, j)),
                    is_place=True,
                )
            )

    def _lexicon_phrase_positions(self) -> set[int]:
        out: set[int] = set()
        for i in range(len(self.fixed)):
            found = self.lexicon.longest_phrase(self.fixed, i)
            if found is not None:
                out.update(range(i, i + found[0]))
        return out

    def _corrected(self, span: range) -> str:
        return " ".join(self.corrections[k] for k in span if k in self.corrections)

    def _shown(self, span: range) -> str:
        """Several words as typed, with their "d'" and dashes: "déclaration d'impôts"."""
        if len(span) == 1:
            return self.tokens[span[0]][0]
        return self.text[self.tokens[span[0]][2][0] : self.tokens[span[-1]][2][1]]

    def _read_words(self) -> None:
        """English phrases (in an English query), lexicon phrases, then single content words."""
        lexicon, fixed = self.lexicon, self.fixed
        i = 0
        while i < len(fixed):
            if i in self.taken:
                i += 1
                continue
            size = self._phrase_at(i)
            if size:
                i += size
                continue
            token = fixed[i]
            french = lexicon.english.get(token)
            forced = self.tokens[i][0] == "AI"  # the English acronym, not the "ai" of "j'ai"
            if forced:
                french = lexicon.english.get("ai")
            skip = (self.english and french is None and token in lexicon.english_stop) or (
                is_stop(token) and not ((self.english or forced) and french)
            )
            if not skip:
                expansions: tuple[Expansion, ...] = ()
                translated = bool(french) and (self.english or self._stats(token)[0] == 0)
                entry = lexicon.lookup_word(token)
                if translated and french:
                    expansions = _translations(french, lexicon)
                elif entry is not None:
                    expansions = _expansions_of(entry)
                self.words.append(
                    QueryWord(
                        original=self.tokens[i][0],
                        normalised=self.folded[i],
                        terms=(token,),
                        corrected=self.corrections.get(i, ""),
                        expansions=expansions,
                        translated=translated,
                    )
                )
                self.spans.append((i, i + 1))
            i += 1

    def _merge_repeated_words(self) -> None:
        """A word said twice is one concept ("emploi emploi", a pasted text)."""
        seen: set[tuple[str, ...]] = set()
        kept = []
        for word, span in zip(self.words, self.spans, strict=True):
            key = word.terms or (word.normalised,)
            if key not in seen:
                seen.add(key)
                kept.append((word, span))
        self.words = [w for w, _ in kept]
        self.spans = [s for _, s in kept]

    def _phrase_at(self, i: int) -> int:
        """Read an English or lexicon phrase starting at i; its length, or 0."""
        lexicon, fixed = self.lexicon, self.fixed
        found_en = lexicon.longest_english(fixed, i) if self.english else None
        if found_en is not None and not self.taken & set(range(i, i + found_en[0])):
            size, french = found_en
            span = range(i, i + size)
            self.words.append(
                QueryWord(
                    original=self._shown(span),
                    normalised=" ".join(fixed[k] for k in span),
                    terms=tuple(fixed[k] for k in span),
                    expansions=_translations(french, lexicon),
                    translated=True,
                )
            )
            self.spans.append((i, i + size))
            return size
        phrase = lexicon.longest_phrase(fixed, i)
        if phrase is not None and not self.taken & set(range(i, i + phrase[0])):
            size, entry = phrase
            span = range(i, i + size)
            own = [fixed[k] for k in span if not is_stop(fixed[k])]
            self.words.append(
                QueryWord(
                    original=self._shown(span),
                    normalised=" ".join(fixed[k] for k in span),
                    terms=tuple(dict.fromkeys(own)),
                    corrected=self._corrected(span),
                    expansions=_expansions_of(entry),
                )
            )
            self.spans.append((i, i + size))
            return size
        return 0

    def _concepts(self) -> tuple[list[Concept], list[QueryWord]]:
        """One concept per non-place word: its weighted terms and its importance (idf of its
        rarest known term, or of its best expansion; scene-setting words count less)."""
        needed = set()
        for word in self.words:
            needed.update(stem(t) for t in word.terms)
            for exp in word.expansions:
                needed.update(exp.terms)
        self.freq.update(self.vocabulary.frequencies(needed - set(self.freq)))
        max_idf = idf(0, self.count)
        concepts: list[Concept] = []
        words: list[QueryWord] = []
        for index, word in enumerate(self.words):
            own_terms = [] if word.translated else list(word.terms)
            base = config.WEIGHT_CORRECTION if word.corrected else 1.0
            own: list[tuple[str, float, int]] = []
            for slot, token in enumerate(own_terms):
                stemmed = stem(token)
                own.append((stemmed, base, slot))
                if stemmed != token:
                    own.append((token, base * config.WEIGHT_SURFACE, slot))
            own_stems = tuple(stem(t) for t in own_terms)
            expansions = []
            seen = set()
            for exp in word.expansions:
                if exp.terms in seen or exp.terms == own_stems:
                    continue
                seen.add(exp.terms)
                weight = (
                    config.WEIGHT_TRANSLATION
                    if word.translated and exp.source == "en"
                    else config.WEIGHT_EXPANSION
                )
                expansions.append((exp.label, exp.terms, weight))
            known = [self._stats(t)[0] for t, _, _ in own if self._stats(t)[0] > 0]
            if known:
                weight = idf(min(known), self.count)
            else:
                exp_dfs = [
                    min(self._stats(t)[0] or self.count for t in terms)
                    for _, terms, _ in expansions
                ]
                # A word nobody uses in the corpus still counts a little (character n-grams
                # may find a variant of it).
                weight = idf(min(exp_dfs), self.count) if exp_dfs else 0.5 * idf(1, self.count)
            weight = min(weight, max_idf)
            if own_terms and all(t in WEAK_WORDS for t in own_terms):
                weight *= WEAK_FACTOR
            concepts.append(Concept(index, weight, tuple(own), len(own_terms), tuple(expansions)))
            words.append(_with_weight(word, weight))
        return concepts, words

    def _retrieval_terms(self, concepts: list[Concept]) -> tuple[str, ...]:
        """Stage-1 terms by priority: the user's words, places, the rarest term of each
        expansion (most important concepts first), then the other expansion terms."""
        retrieval: list[str] = []

        def add(term: str) -> None:
            if term and term not in retrieval and len(retrieval) < config.MAX_RETRIEVAL_TERMS:
                retrieval.append(term)

        for concept in concepts:
            for term, _, _ in concept.own:
                add(term)
        for place in self.place_words:
            add(place.terms[0])
            for token in place.normalised.split():
                if token not in PLACE_CONNECTORS:
                    add(token)
        for concept in sorted(concepts, key=lambda c: -c.weight):
            for _, terms, _ in concept.expansions:
                add(min(terms, key=lambda t: self._stats(t)[0] or self.count))
        for concept in concepts:
            for _, terms, _ in concept.expansions:
                for term in terms:
                    add(term)
        return tuple(retrieval)


def _stem_pairs(concepts: list[Concept]) -> tuple[tuple[str, str, float], ...]:
    """Stems expected side by side (inside a phrase, or from one word to the next); the stored
    gists have no stop words, so "logement pour jeunes" still shows "log jeun"."""
    pairs: list[tuple[str, str, float]] = []
    previous: tuple[str, float] | None = None
    for concept in concepts:
        stems_in_order = list(
            dict.fromkeys(t for t, w, _ in concept.own if w >= config.WEIGHT_CORRECTION - 1e-9)
        )
        if not stems_in_order:
            previous = None
            continue
        for a, b in pairwise(stems_in_order):
            pairs.append((a, b, concept.weight))
        if previous is not None:
            pairs.append((previous[0], stems_in_order[0], min(previous[1], concept.weight)))
        previous = (stems_in_order[-1], concept.weight)
    return tuple(pairs)


def _ngram_words(words: list[QueryWord]) -> tuple[tuple[str, ...], ...]:
    """Words compared by character n-grams, per concept (same order as the concepts)."""
    out = []
    for word in words:
        if word.translated:
            found = [t for exp in word.expansions if exp.source == "en" for t in tokens(exp.label)]
        else:
            found = word.corrected.split() or list(word.terms)
        out.append(tuple(dict.fromkeys(t for t in found if not is_stop(t) and len(t) > 2)))
    return tuple(out)


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
        first = not any(p.strip(" -'’") for p in out)
        connector = fold(part) in PLACE_CONNECTORS | ELISIONS
        if part and part[0].islower() and (first or not connector):
            part = part[0].upper() + part[1:]
        out.append(part)
    return "".join(out)
