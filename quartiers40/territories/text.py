"""Text as a search compares it: no accents, no case, no hyphen or apostrophe."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")
# "St-Denis", "Ste Geneviève": the abbreviations people type for Saint, Sainte.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def search_text(text: str) -> str:
    """ "Aulnay-sous-Bois" → "aulnay sous bois"; "L'Haÿ-les-Roses" → "l hay les roses"."""
    text = (text or "").replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NOT_WORD.sub(" ", folded.lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
