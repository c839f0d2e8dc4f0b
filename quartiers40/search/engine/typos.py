"""Typo correction against the corpus vocabulary (through the site's neighbours look-up)."""

from __future__ import annotations

from . import config
from .analysis import STOP_WORDS, stem
from .lexicon import Lexicon
from .types import Vocabulary


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


def correct_everyday(word: str, lexicon: Lexicon) -> str | None:
    """An everyday word of the lexicon one letter away ("boulo" -> "boulot"): the corpus does
    not hold slang, so the vocabulary cannot correct it."""
    if not _allowed_distance(word):
        return None
    words = {key[0]: (1, 0) for key in lexicon.phrases if len(key) == 1 and len(key[0]) >= 4}
    found = _closest(word, words, 1)
    return found[1] if found is not None else None


_LONG_STOP_WORDS = {word: (1, 0) for word in STOP_WORDS if len(word) >= 4 and word.isalpha()}


def correct_stop_word(word: str) -> str | None:
    """A misspelt little word ("qunad", "dnas", "comemnt"): read as that word, so dropped."""
    if not _allowed_distance(word):
        return None
    found = _closest(word, _LONG_STOP_WORDS, 1)
    return found[1] if found is not None and found[0] <= 0.5 else None
