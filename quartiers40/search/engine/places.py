"""Place names as index terms.

A place label gives its significant words ("villenave", "ornon") and, when it has several, one
joined key without the connecting words ("villenaveornon"), so "Villenave-d'Ornon",
"villenave d ornon" and "Villenave d'Ornon" all meet; "St", "Ste" are read as "saint", "sainte".
"""

from __future__ import annotations

from .analysis import tokens

PLACE_CONNECTORS = frozenset(
    {"de", "d", "du", "des", "la", "le", "les", "l", "en", "sur", "sous", "et", "lez", "a"}
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# Words of place labels that say nothing about where on their own.
GENERIC_PLACE_WORDS = frozenset(
    {
        "saint",
        "sainte",
        "saints",
        "saintes",
        "ca",
        "cc",
        "cu",
        "communaute",
        "communes",
        "commune",
        "agglomeration",
        "metropole",
        "pays",
        "ville",
        "canton",
        "departement",
        "region",
        "grand",
        "petit",
        "nord",
        "sud",
        "est",
        "ouest",
        "centre",
        "coeur",
        "val",
        "bassin",
        "rurales",
        "cobas",
        "quartier",
        "quartiers",
        # everyday words that are also parts of place names (Carbon-Blanc, Lège-Cap-Ferret,
        # Sainte-Foy-la-Grande, Castillon-la-Bataille...): only the whole name is a place
        "blanc",
        "blanche",
        "grande",
        "port",
        "pont",
        "cap",
        "mer",
        "bataille",
        "bois",
        "mont",
        "haut",
        "haute",
        "bas",
        "basse",
        "neuf",
        "neuve",
        "vieux",
        "vieille",
        "lac",
        "plage",
        "foret",
        "chateau",
        "eglise",
        "moulin",
        "riviere",
        "fontaine",
        "roche",
        "pierre",
        "croix",
        "pin",
        "pins",
        "bourg",
        "villa",
        "camp",
        "teste",
    }
)


def place_words(label: str) -> list[str]:
    """Significant folded words of a place label, abbreviations expanded."""
    out = []
    for token in tokens(label, keep_elisions=True, join_hyphens=False):
        token = _ABBREVIATIONS.get(token, token)
        if token in PLACE_CONNECTORS or not token:
            continue
        out.append(token)
    return out


def place_key(words: list[str]) -> str:
    return "".join(words)


def place_index_terms(labels: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(terms for the place column, joined keys of each label, most specific first)."""
    terms: list[str] = []
    keys: list[str] = []
    for label in labels:
        words = place_words(label)
        if not words:
            continue
        terms.extend(words)
        key = place_key(words)
        if len(words) > 1:
            terms.append(key)
        keys.append(key)
    return terms, keys
