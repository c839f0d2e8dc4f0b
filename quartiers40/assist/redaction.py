"""Personal data out of a text before it leaves for an AI model.

Removed, replaced by neutral placeholders the model keeps as they are:
- e-mail addresses → « [e-mail] »;
- French phone numbers → « [téléphone] »: +33 / 0033 (with or without « (0) ») or a leading
  0, then nine digits in pairs separated by spaces, dots or hyphens, or none
  (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, +33612345678, 0033 1 23 45 67 89);
- the names of people the caller gives (residents, registrants, owners, authors): the full
  name, then each of its words of three letters or more, in any case and with or without
  accents → « [personne] ».
Other numbers (a date, a postcode, an amount) stay. This is a net, not a proof: the callers
also leave out the fields that hold people (authors, contacts) and send only the texts.
"""

import re
import unicodedata
from collections.abc import Iterable

EMAIL_PLACEHOLDER = "[e-mail]"
PHONE_PLACEHOLDER = "[téléphone]"
PERSON_PLACEHOLDER = "[personne]"

EMAIL_PATTERN = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE_PATTERN = re.compile(
    r"(?<![\d+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
)
NAME_PART_MIN_LENGTH = 3


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (so positions stay)."""
    folded = []
    for character in text:
        base = unicodedata.normalize("NFD", character)[0]
        folded.append(base.lower() if len(base.lower()) == 1 else character)
    return "".join(folded)


def _name_variants(names: Iterable[str]) -> list[str]:
    variants: set[str] = set()
    for name in names:
        name = " ".join((name or "").split())
        if not name:
            continue
        variants.add(_fold(name))
        for part in re.split(r"[\s'’-]+", name):
            if len(part) >= NAME_PART_MIN_LENGTH:
                variants.add(_fold(part))
    # Longest first: "Fatima Benali" goes before "Fatima".
    return sorted(variants, key=len, reverse=True)


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """`text` without e-mails, phone numbers and the given people's names."""
    text = EMAIL_PATTERN.sub(EMAIL_PLACEHOLDER, text)
    text = PHONE_PATTERN.sub(PHONE_PLACEHOLDER, text)
    variants = _name_variants(names)
    if not variants:
        return text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(variant) for variant in variants) + r")(?!\w)"
    )
    folded = _fold(text)
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        pieces.append(text[last : match.start()])
        pieces.append(PERSON_PLACEHOLDER)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def redact_messages(messages: list[dict[str, str]], *, names: Iterable[str] = ()) -> list[dict]:
    names = list(names)
    return [{**message, "content": redact(message["content"], names=names)} for message in messages]
