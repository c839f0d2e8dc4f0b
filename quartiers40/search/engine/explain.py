"""Why a result matched, as plain data the site turns into French sentences (with gettext).

``explain(plan, ranked.matched)`` returns one ``Reason`` per matched query word:
- ``Reason(word="CV", via="")`` -> the page shows « CV »;
- ``Reason(word="boulot", via="emploi")`` -> « boulot » (emploi);
- ``Reason(word="Talence", via="", place=True)`` -> à Talence.
``corrected`` is set when the word was read as another one (« ordinatuer » -> ordinateur).
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import fold
from .types import QueryPlan


@dataclass(frozen=True)
class Reason:
    word: str  # the user's word as typed
    via: str = ""  # the lexicon / English label that matched instead of the word itself
    corrected: str = ""
    place: bool = False


def explain(plan: QueryPlan, matched: tuple[str, ...]) -> list[Reason]:
    reasons: list[Reason] = []
    seen: set[str] = set()
    for label in matched:
        for word in plan.words:
            if word.original == label:
                reason = Reason(word.original, "", word.corrected, word.is_place)
                break
            if label in word.terms:  # one word of a phrase ("scolaire" of "soutien scolaire")
                shown = next((w for w in word.original.split() if fold(w) == label), label)
                reason = Reason(shown, "", "", word.is_place)
                break
            if any(exp.label == label for exp in word.expansions):
                reason = Reason(word.original, label, word.corrected, word.is_place)
                break
        else:
            continue
        if reason.word not in seen:
            seen.add(reason.word)
            reasons.append(reason)
    return reasons


def explain_words(plan: QueryPlan) -> list[Reason]:
    """How the query itself was read: corrections, translations and places (for a line above the
    results such as « boulot » → emploi, travail)."""
    out = []
    for word in plan.words:
        if word.is_place or word.corrected or word.expansions:
            via = ", ".join(dict.fromkeys(exp.label for exp in word.expansions[:3]))
            out.append(Reason(word.original, via, word.corrected, word.is_place))
    return out
