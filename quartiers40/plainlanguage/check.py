"""The plain-language check: what makes a French text hard to read, and what to write instead.

`check_text(text, kind=...)` reads a text (a summary, a description, minutes) and returns its
findings, each with a concrete suggestion in French, a Kandel–Moles reading-ease score and
whether the text passes ("facile à lire"). Plain Python: no database, no content app.

The rules follow the FALC guidance ("facile à lire et à comprendre", Inclusion Europe and
Unapei, "L'information pour tous", 2009); each is described with its threshold in
docs/plain-language.md. Syllables come from pyphen's fr_FR hyphenation dictionary, word
frequencies from wordfreq's French list; jargon and acronyms from data/jargon_fr.toml.
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).parent / "data" / "jargon_fr.toml"

# The kinds of text and their thresholds (docs/plain-language.md).
KIND_SUMMARY = "summary"  # a short summary shown on cards and pages: the strict rules
KIND_TEXT = "text"  # a description, minutes: longer texts, a little more room


@dataclass(frozen=True)
class Thresholds:
    sentence_words: int  # a sentence longer than this is "long"
    reading_ease: float  # the lowest Kandel–Moles score that passes
    hard_words_per_100: float  # rare or long words allowed per 100 words (advice, not a fault)


THRESHOLDS = {
    KIND_SUMMARY: Thresholds(sentence_words=15, reading_ease=60.0, hard_words_per_100=5.0),
    KIND_TEXT: Thresholds(sentence_words=20, reading_ease=50.0, hard_words_per_100=8.0),
}

LONG_WORD_SYLLABLES = 5  # hyphenation points + 1 (pyphen under-counts vowel hiatus: "idée")
RARE_WORD_ZIPF = 3.0  # under 1 occurrence per million words in wordfreq's French list
LARGE_NUMBER = 10_000

# Rule codes, in the order a writer reads them.
RULE_LONG_SENTENCE = "long_sentence"
RULE_JARGON = "jargon"
RULE_ACRONYM = "acronym"
RULE_PASSIVE = "passive"
RULE_NUMBER = "number"
RULE_RARE_WORD = "rare_word"
RULE_LONG_WORD = "long_word"
# Advice only: counted against `hard_words_per_100`, not a fault on its own.
ADVICE_RULES = frozenset({RULE_RARE_WORD, RULE_LONG_WORD})


def _typography(message: str) -> str:
    """French spacing: no line break inside « … » nor before a colon."""
    return message.replace("« ", "«\u00a0").replace(" »", "\u00a0»").replace(" :", "\u00a0:")


@dataclass(frozen=True)
class Finding:
    rule: str
    excerpt: str
    start: int  # position in the text as given (characters)
    end: int
    message: str  # French, with what to write instead

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", _typography(self.message))

    @property
    def is_advice(self) -> bool:
        return self.rule in ADVICE_RULES


@dataclass(frozen=True)
class PlainCheck:
    kind: str
    findings: tuple[Finding, ...] = ()
    sentences: int = 0
    words: int = 0
    syllables: int = 0
    reading_ease: float | None = None  # Kandel–Moles; None for an empty text
    passes: bool = False
    reasons: tuple[str, ...] = field(default=())  # why it does not pass, in French

    @property
    def faults(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if not finding.is_advice)


@dataclass(frozen=True)
class _Lexicon:
    jargon: dict[str, str]
    jargon_re: re.Pattern
    acronyms: dict[str, str]
    names_re: re.Pattern  # known acronyms and names with more than one word ("France Travail")


def _forms(key: str) -> str:
    """The regular expression of an entry's forms: a noun and its plural or feminine
    ("usagers"), a verb in -er and its usual forms ("accompagner" → "accompagne")."""
    if " " not in key and key.endswith("er") and not key.endswith("ier"):
        return re.escape(key[:-2]) + r"(?:er|e|es|ent|ons|ez|é|ée|és|ées|ait|aient|era|eront)"
    return re.escape(key) + r"(?:e|s|es|x)?"


@cache
def lexicon() -> _Lexicon:
    """The data file, read once per process."""
    with DATA_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    jargon = {key.lower(): value for key, value in data["jargon"].items()}
    keys = sorted(jargon, key=len, reverse=True)
    # Longest first, so "comité de pilotage" wins over "pilotage"; one named group per entry
    # (`lastgroup` tells which); plural and feminine forms, and a verb's usual forms.
    alternatives = "|".join(f"(?P<j{index}>{_forms(key)})" for index, key in enumerate(keys))
    jargon_re = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    jargon = {f"j{index}": jargon[key] for index, key in enumerate(keys)}
    acronyms = dict(data["acronyms"])
    names = "|".join(re.escape(key) for key in sorted(acronyms, key=len, reverse=True))
    names_re = re.compile(rf"(?<![\w-])({names})(?![\w-])")
    return _Lexicon(jargon=jargon, jargon_re=jargon_re, acronyms=acronyms, names_re=names_re)


@cache
def _hyphenator():
    import pyphen

    # left/right 1: count the syllables of short words too ("idée" still counts 1).
    return pyphen.Pyphen(lang="fr_FR", left=1, right=1)


def syllable_count(word: str) -> int:
    return len(_hyphenator().positions(word.lower())) + 1


VERB_ENDINGS = ("erons", "erez", "eront", "aient", "ions", "iez", "ons", "ez", "ent", "ais", "ait")


def zipf(word: str) -> float:
    """How common a word is (wordfreq's Zipf scale), the most common of its likely forms:
    conjugated verbs and plurals are rarer in the list than their infinitive or singular
    ("luttons" 2.7, "lutter" 4.4)."""
    from wordfreq import zipf_frequency

    word = word.lower()
    forms = {word}
    if word.endswith(("s", "x")):
        forms.add(word[:-1])
    for ending in VERB_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            forms.update({stem + "er", stem + "ir", stem + "re", stem + "e"})
            break
    return max(zipf_frequency(form, "fr") for form in forms)


# Words: letters, with inner hyphens ("peut-être"); elisions ("l'", "qu'") are words of their own.
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
NUMBER_RE = re.compile(r"\d[\d\s\u202f\u00a0.]*(?:,\d+)?")
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+|\n+")
ACRONYM_RE = re.compile(r"(?<![\w-])[A-ZÉÈ][A-ZÉÈ0-9]{1,6}(?![\w-])")
# A Roman numeral with its ordinal ending ("XXIe", "IIIème") or before "siècle".
ROMAN_RE = re.compile(
    r"(?<![\w-])(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
    r"(?:(?:e|er|ème)(?![\w-])|(?![\w-])(?=\s+siècle))"
)
DATE_RE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)")
PERCENT_RE = re.compile(r"\d+(?:[,.]\d+)?\s?%")
DECIMAL_RE = re.compile(r"(?<![\d,])\d+,\d+(?![\d,])")

NUMBER_WORDS = {
    "trois": "3",
    "quatre": "4",
    "cinq": "5",
    "six": "6",
    "sept": "7",
    "huit": "8",
    "neuf": "9",
    "dix": "10",
    "onze": "11",
    "douze": "12",
    "treize": "13",
    "quatorze": "14",
    "quinze": "15",
    "seize": "16",
    "vingt": "20",
    "trente": "30",
    "quarante": "40",
    "cinquante": "50",
    "soixante": "60",
    "cent": "100",
    "mille": "1 000",
}

BE_FORMS = "est|sont|était|étaient|sera|seront|serait|seraient|soit|soient|fut|furent|être|été"
# Verbs conjugated with "être" in the passé composé: "elle est venue" is not a passive.
NOT_PASSIVE = {
    "allé", "venu", "arrivé", "parti", "entré", "sorti", "né", "mort", "tombé", "resté",
    "devenu", "revenu", "retourné", "monté", "descendu", "passé", "rentré", "décédé",
}  # fmt: skip
ADVERBS = "pas|plus|bien|déjà|souvent|toujours|jamais|aussi|très|tous|tout|ici|là"
PASSIVE_RE = re.compile(
    rf"(?<![\w'’])(?:{BE_FORMS})(?:\s+(?:{ADVERBS}))*"
    rf"\s+(?!(?:{ADVERBS})(?![\w-]))"
    r"([^\W\d_]+(?:é|ée|és|ées|is|ise|ises|it|ite|its|ites|ert|erte|erts|ertes|u|ue|us|ues))"
    r"(?![\w-])",
    re.IGNORECASE,
)


def _roman_numerals(text: str) -> list[re.Match]:
    """Roman numerals used as numbers; "Le" and "Ce" look like one (L, C + "e") and are not."""
    found = []
    for match in ROMAN_RE.finditer(text):
        numeral = re.sub(r"(e|er|ème)$", "", match.group(0))
        if (
            len(numeral) == 1
            and match.group(0).endswith("e")
            and not re.match(r"\s+siècle", text[match.end() :])
        ):
            continue
        found.append(match)
    return found


def _strip_accents(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if unicodedata.category(char) != "Mn"
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? … and at line breaks."""
    spans, start = [], 0
    for match in SENTENCE_END_RE.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _words(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    return list(WORD_RE.finditer(text, start, len(text) if end is None else end))


def _excerpt(text: str, start: int, end: int, limit: int = 60) -> str:
    excerpt = text[start:end].strip()
    return excerpt if len(excerpt) <= limit else excerpt[: limit - 1].rstrip() + "…"


def _long_sentences(text, spans, limit) -> list[Finding]:
    findings = []
    for start, end in spans:
        count = len(_words(text, start, end)) + len(NUMBER_RE.findall(text, start, end))
        if count > limit:
            findings.append(
                Finding(
                    rule=RULE_LONG_SENTENCE,
                    excerpt=_excerpt(text, start, end),
                    start=start,
                    end=end,
                    message=_(
                        "Phrase longue (%(count)s mots) : coupez-la en phrases de %(limit)s mots "
                        "au plus, une idée par phrase."
                    )
                    % {"count": count, "limit": limit},
                )
            )
    return findings


def _jargon(text) -> list[Finding]:
    lex, findings, seen = lexicon(), [], set()
    for match in lex.jargon_re.finditer(text):
        key = match.lastgroup or ""
        if key in seen:
            continue
        seen.add(key)
        findings.append(
            Finding(
                rule=RULE_JARGON,
                excerpt=match.group(0),
                start=match.start(),
                end=match.end(),
                message=_("« %(word)s » : écrivez « %(plain)s ».")
                % {"word": match.group(0), "plain": lex.jargon[key]},
            )
        )
    return findings


def _explained(text: str, start: int, end: int, expansion: str | None) -> bool:
    """An acronym or a name is explained when a bracket opens right after it or closes right
    before it, or when its expansion is in the text."""
    after, before = text[end : end + 3].lstrip(), text[max(0, start - 2) : start].rstrip()
    if after.startswith("(") or before.endswith("("):
        return True
    if expansion:
        folded = _strip_accents(text).lower()
        if _strip_accents(expansion).lower().split(",")[0].strip() in folded:
            return True
    return False


def _acronyms(text) -> list[Finding]:
    lex, findings, seen = lexicon(), [], set()
    candidates = [(m.start(), m.end(), m.group(0)) for m in lex.names_re.finditer(text)]
    known_spans = {(start, end) for start, end, _word in candidates}
    romans = {match.start() for match in _roman_numerals(text)}
    for match in ACRONYM_RE.finditer(text):
        span = (match.start(), match.end())
        roman = re.fullmatch(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})", match.group(0))
        if span not in known_spans and match.start() not in romans and not roman:
            candidates.append((*span, match.group(0)))
    for start, end, word in sorted(candidates):
        if word in seen:
            continue
        seen.add(word)
        expansion = lex.acronyms.get(word)
        if _explained(text, start, end, expansion):
            continue
        if expansion:
            message = _(
                "« %(acronym)s » : écrivez la première fois « %(expansion)s (%(acronym)s) »."
            ) % {"acronym": word, "expansion": expansion}
        else:
            message = _(
                "« %(acronym)s » : dites en toutes lettres ce que veut dire ce sigle la "
                "première fois, puis le sigle entre parenthèses."
            ) % {"acronym": word}
        findings.append(
            Finding(rule=RULE_ACRONYM, excerpt=word, start=start, end=end, message=message)
        )
    return findings


def _passive(text) -> list[Finding]:
    findings = []
    for match in PASSIVE_RE.finditer(text):
        participle = match.group(1).lower()
        stem = re.sub(r"(e|s|es)$", "", participle)
        if participle in NOT_PASSIVE or stem in NOT_PASSIVE:
            continue
        if text[max(0, match.start() - 2) : match.start()].lower() in {"c'", "c’"}:
            continue  # "c'est" introduces, it is not a passive ("c'est ouvert à tous")
        findings.append(
            Finding(
                rule=RULE_PASSIVE,
                excerpt=match.group(0),
                start=match.start(),
                end=match.end(),
                message=_(
                    "« %(excerpt)s » : forme passive. Dites qui fait l'action : « l'équipe a "
                    "créé l'atelier » plutôt que « l'atelier a été créé par l'équipe »."
                )
                % {"excerpt": match.group(0)},
            )
        )
    return findings


def _numbers(text) -> list[Finding]:
    findings = []

    def add(match, message):
        findings.append(
            Finding(
                rule=RULE_NUMBER,
                excerpt=match.group(0).strip(),
                start=match.start(),
                end=match.end(),
                message=message % {"excerpt": match.group(0).strip()},
            )
        )

    for match in DATE_RE.finditer(text):
        add(match, _("« %(excerpt)s » : écrivez la date en lettres, par exemple « 12 mars 2026 »."))
    for match in PERCENT_RE.finditer(text):
        add(
            match,
            _(
                "« %(excerpt)s » : un pourcentage est difficile à lire. Écrivez par exemple "
                "« 1 personne sur 4 » ou « la moitié »."
            ),
        )
    dates = [(m.start(), m.end()) for m in DATE_RE.finditer(text)]
    percents = [(m.start(), m.end()) for m in PERCENT_RE.finditer(text)]
    for match in DECIMAL_RE.finditer(text):
        if any(s <= match.start() < e for s, e in dates + percents):
            continue
        add(match, _("« %(excerpt)s » : arrondissez le nombre, sans virgule."))
    for match in NUMBER_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0).split(",")[0])
        if any(s <= match.start() < e for s, e in dates + percents):
            continue
        if digits and int(digits) >= LARGE_NUMBER and not re.fullmatch(r"(19|20)\d\d", digits):
            add(
                match,
                _(
                    "« %(excerpt)s » : un grand nombre est difficile à imaginer. Arrondissez "
                    "(« plus de 10 000 ») ou comparez (« autant que les habitants d'une ville »)."
                ),
            )
    for match in WORD_RE.finditer(text):
        spelled = NUMBER_WORDS.get(match.group(0).lower())
        if spelled:
            findings.append(
                Finding(
                    rule=RULE_NUMBER,
                    excerpt=match.group(0),
                    start=match.start(),
                    end=match.end(),
                    message=_("« %(word)s » : écrivez le nombre en chiffres, « %(digits)s ».")
                    % {"word": match.group(0), "digits": spelled},
                )
            )
    for match in _roman_numerals(text):
        add(match, _("« %(excerpt)s » : écrivez le nombre en chiffres (« 21e siècle »)."))
    return findings


def _hard_words(text, spans, reported: list[tuple[int, int]]) -> list[Finding]:
    """Rare and long words, not already reported (jargon, acronyms) nor proper nouns."""
    sentence_starts = {start for start, _end in spans}
    findings, seen = [], set()
    for match in WORD_RE.finditer(text):
        word = match.group(0)
        lower = word.lower()
        if lower in seen or any(s <= match.start() < e for s, e in reported):
            continue
        first = match.start() in sentence_starts or not text[: match.start()].strip()
        if word[0].isupper() and not first:
            continue  # a proper noun: a place, a person, an organisation
        if word.isupper() and len(word) > 1:
            continue  # an acronym: its own rule
        seen.add(lower)
        parts = lower.split("-")
        if len(lower) >= 4 and min(zipf(part) for part in parts) < RARE_WORD_ZIPF:
            findings.append(
                Finding(
                    rule=RULE_RARE_WORD,
                    excerpt=word,
                    start=match.start(),
                    end=match.end(),
                    message=_(
                        "« %(word)s » : mot peu courant. Choisissez un mot de tous les jours, "
                        "ou expliquez-le juste après."
                    )
                    % {"word": word},
                )
            )
        elif syllable_count(lower) >= LONG_WORD_SYLLABLES:
            findings.append(
                Finding(
                    rule=RULE_LONG_WORD,
                    excerpt=word,
                    start=match.start(),
                    end=match.end(),
                    message=_("« %(word)s » : mot long. Un mot plus court existe-t-il ?")
                    % {"word": word},
                )
            )
    return findings


def kandel_moles(*, words: int, sentences: int, syllables: int) -> float:
    """Kandel & Moles (1958), Flesch's reading ease adapted to French: 0 (very hard) to 100+."""
    return 207 - 1.015 * (words / sentences) - 73.6 * (syllables / words)


def check_text(text: str, *, kind: str = KIND_SUMMARY) -> PlainCheck:
    """Every finding of `text`, its Kandel–Moles score and whether it passes for `kind`."""
    limits = THRESHOLDS[kind]
    text = text or ""
    spans = _sentences(text)
    words = _words(text)
    if not words:
        return PlainCheck(kind=kind, reasons=(_("Le texte est vide."),))
    findings = _long_sentences(text, spans, limits.sentence_words)
    jargon = _jargon(text)
    acronyms = _acronyms(text)
    reported = [(f.start, f.end) for f in jargon + acronyms]
    findings += jargon + acronyms + _passive(text) + _numbers(text)
    hard = _hard_words(text, spans, reported)
    findings += hard
    syllables = sum(syllable_count(match.group(0)) for match in words)
    score = round(
        kandel_moles(words=len(words), sentences=max(1, len(spans)), syllables=syllables), 1
    )
    reasons = []
    faults = [finding for finding in findings if not finding.is_advice]
    if faults:
        reasons.append(_("Des points sont à corriger (ci-dessous)."))
    if score < limits.reading_ease:
        reasons.append(
            _(
                "Score de lisibilité %(score)s sur 100 : %(limit)s au moins. Des phrases plus "
                "courtes et des mots plus courts l'augmentent."
            )
            % {"score": number_format(score, 1), "limit": int(limits.reading_ease)}
        )
    if len(hard) * 100 / len(words) > limits.hard_words_per_100:
        reasons.append(_("Trop de mots rares ou longs pour la longueur du texte."))
    findings.sort(key=lambda finding: (finding.start, finding.rule))
    return PlainCheck(
        kind=kind,
        findings=tuple(findings),
        sentences=len(spans),
        words=len(words),
        syllables=syllables,
        reading_ease=score,
        passes=not reasons,
        reasons=tuple(reasons),
    )


def is_easy_to_read(text: str, *, kind: str = KIND_SUMMARY) -> bool:
    """What the services store as a text's "facile à lire" mark (`easy_to_read`)."""
    return bool(text and text.strip()) and check_text(text, kind=kind).passes
