"""The everyday-French lexicon and the small English list (reviewed data files in ../data)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .analysis import content_tokens, stem, tokens

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEXICON_PATH = DATA_DIR / "lexicon_fr.toml"
ENGLISH_PATH = DATA_DIR / "english_fr.toml"
MAX_PHRASE = 5


@dataclass(frozen=True)
class LexiconEntry:
    key: str  # first everyday word, identifies the entry
    domain: str
    everyday: tuple[str, ...]
    official: tuple[str, ...]
    note: str
    source: str

    def official_phrases(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(label, index terms) of each official word, its stems."""
        out = []
        for label in self.official:
            terms = tuple(dict.fromkeys(stem(t) for t in content_tokens(label)))
            if terms:
                out.append((label, terms))
        return tuple(out)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[LexiconEntry, ...]
    phrases: dict[tuple[str, ...], LexiconEntry]  # folded token sequence -> entry
    stems: dict[str, tuple[str, LexiconEntry]]  # stem of a one-word form -> (form, entry)
    english: dict[str, tuple[str, ...]]  # english word -> French words
    english_phrases: dict[tuple[str, ...], tuple[str, ...]]  # several english words -> French
    english_stop: frozenset[str]

    def lookup_word(self, token: str) -> LexiconEntry | None:
        entry = self.phrases.get((token,))
        if entry is None and len(token) > 3:
            # Only an inflection of the form (plural, feminine): "gosses", "apparts", "isolee".
            found = self.stems.get(stem(token))
            if found is not None and _bare(found[0]) == _bare(token):
                entry = found[1]
        return entry

    def longest_phrase(self, sequence: list[str], start: int) -> tuple[int, LexiconEntry] | None:
        """Longest everyday phrase (>= 2 tokens) starting at sequence[start]: (length, entry)."""
        for size in range(min(MAX_PHRASE, len(sequence) - start), 1, -1):
            entry = self.phrases.get(tuple(sequence[start : start + size]))
            if entry is not None:
                return size, entry
        return None

    def longest_english(
        self, sequence: list[str], start: int
    ) -> tuple[int, tuple[str, ...]] | None:
        for size in range(min(MAX_PHRASE, len(sequence) - start), 1, -1):
            french = self.english_phrases.get(tuple(sequence[start : start + size]))
            if french:
                return size, french
        return None


def _bare(word: str) -> str:
    """A word without its plural and feminine endings."""
    if word.endswith(("s", "x")):
        word = word[:-1]
    if word.endswith("e"):
        word = word[:-1]
    return word


def parse_lexicon(data: dict, english: dict) -> Lexicon:
    entries = []
    phrases: dict[tuple[str, ...], LexiconEntry] = {}
    stems: dict[str, LexiconEntry] = {}
    for raw in data["entry"]:
        entry = LexiconEntry(
            key=raw["everyday"][0],
            domain=raw.get("domain", ""),
            everyday=tuple(raw["everyday"]),
            official=tuple(raw["official"]),
            note=raw["note"],
            source=raw["source"],
        )
        entries.append(entry)
        for word in entry.everyday:
            key = tuple(tokens(word))
            if not key:
                continue
            phrases.setdefault(key, entry)
            if len(key) == 1 and len(key[0]) > 3:
                stems.setdefault(stem(key[0]), (key[0], entry))
    english_words: dict[str, tuple[str, ...]] = {}
    english_phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for word, values in english.get("words", {}).items():
        key = tuple(tokens(word))
        if len(key) == 1:
            english_words[key[0]] = tuple(values)
        elif key:
            english_phrases[key] = tuple(values)
    return Lexicon(
        entries=tuple(entries),
        phrases=phrases,
        stems=stems,
        english=english_words,
        english_phrases=english_phrases,
        english_stop=frozenset(english.get("stop", {}).get("words", ())),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    with LEXICON_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    with ENGLISH_PATH.open("rb") as fh:
        english = tomllib.load(fh)
    return parse_lexicon(data, english)
