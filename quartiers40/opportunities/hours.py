"""Opening hours in the OpenStreetMap syntax, said in words.

"Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off" becomes "Du lundi au vendredi,
de 9 h à 12 h et de 14 h à 17 h ; le samedi, de 9 h à 12 h ; fermé les jours fériés".

The common forms of the specification (https://wiki.openstreetmap.org/wiki/Key:opening_hours)
are read: rules separated by ";" (or "," after a time, or "||"), weekdays as ranges and
lists, public and school holidays (PH, SH), several time spans, `off` / `closed` / `open`,
`24/7`, a comment in quotes. Anything else (months, weeks, years, nth weekdays, sunrise,
open ends…) gives the raw text, "horaires : …": never a wrong sentence, never an error.

No library fits: those on PyPI that say hours in words are unmaintained and English or
German only; the maintained parser (opening-hours-py) evaluates, it does not speak.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MAX_LENGTH = 500

_DAY = r"(?:mo|tu|we|th|fr|sa|su)"
_DAY_ITEM = rf"(?:{_DAY}(?:\s*-\s*{_DAY})?|ph|sh)"
_DAYS = rf"{_DAY_ITEM}(?:\s*,\s*{_DAY_ITEM})*"
_TIME = r"\d{1,2}:\d{2}"
_SPAN = rf"{_TIME}\s*-\s*{_TIME}"
_SPANS = rf"{_SPAN}(?:\s*,\s*{_SPAN})*"
_RULE = re.compile(
    rf"^(?:(?P<days>{_DAYS})(?:\s+|(?=\d)|$))?"
    rf"(?:(?P<times>{_SPANS})\s*)?"
    r"(?:(?P<modifier>off|closed|open|unknown)\s*)?"
    r'(?:"(?P<comment>[^"]*)"\s*)?$',
    re.IGNORECASE,
)
# "Mo-Fr 09:00-12:00, Sa 10:00-12:00": a comma after a time that starts a new rule.
_RULE_COMMA = re.compile(r"(?<=\d)\s*,\s*(?=(?:mo|tu|we|th|fr|sa|su|ph|sh)\b)", re.IGNORECASE)


class HoursNotUnderstood(ValueError):
    pass


@dataclass(frozen=True)
class OpeningHours:
    raw: str
    text: str  # the words, or "horaires : <raw>" when the syntax was not understood
    understood: bool

    def __str__(self) -> str:
        return self.text


def _day_names() -> list[str]:
    return [_("lundi"), _("mardi"), _("mercredi"), _("jeudi"), _("vendredi"), _("samedi"),
            _("dimanche")]  # fmt: skip


def _join(items: list[str]) -> str:
    """ "a", "a et b", "a, b et c" (in the active language)."""
    if len(items) == 1:
        return items[0]
    return _("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _clock(text: str, *, end: bool = False) -> str:
    hour_text, minute_text = text.split(":")
    hour, minute = int(hour_text), int(minute_text)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise HoursNotUnderstood(text)
    if hour in (0, 24) and minute == 0 and end:
        return _("minuit")
    if minute == 0:
        return _("%(hour)s h") % {"hour": hour}
    return _("%(hour)s h %(minute)02d") % {"hour": hour, "minute": minute}


def _spans(times: str) -> str:
    """The time spans in words: "de 9 h à 12 h et de 14 h à 17 h"."""
    spans = [span.split("-") for span in re.split(r"\s*,\s*", times.strip())]
    words = []
    whole_day = False
    for start, end in ((s.strip(), e.strip()) for s, e in spans):
        if start in ("00:00", "0:00") and end == "24:00":
            whole_day = True
            continue
        words.append(
            _("de %(start)s à %(end)s") % {"start": _clock(start), "end": _clock(end, end=True)}
        )
    if whole_day and not words:
        return _("24 h sur 24")
    if whole_day:
        raise HoursNotUnderstood(times)
    return _join(words)


def _days(days: str) -> str:
    names = _day_names()
    items = [item.strip().lower() for item in days.split(",")]
    codes = [code.lower() for code in DAY_CODES]
    words = []
    for item in items:
        if item == "ph":
            words.append(_("les jours fériés"))
        elif item == "sh":
            words.append(_("pendant les vacances scolaires"))
        elif "-" in item:
            first, last = (part.strip() for part in item.split("-"))
            if (first, last) == ("mo", "su"):
                words.append(_("tous les jours"))
            else:
                words.append(
                    _("du %(first)s au %(last)s")
                    % {"first": names[codes.index(first)], "last": names[codes.index(last)]}
                )
        else:
            words.append(_("le %(day)s") % {"day": names[codes.index(item)]})
    return _join(words)


def _rule(rule: str) -> str:
    rule = rule.strip()
    if rule == "24/7":
        return _("ouvert 24 h sur 24, 7 jours sur 7")
    match = _RULE.match(rule)
    if match is None or not any(match.groupdict().values()):
        raise HoursNotUnderstood(rule)
    days = _days(match["days"]) if match["days"] else ""
    modifier = (match["modifier"] or "").lower()
    comment = (match["comment"] or "").strip()
    if modifier in ("off", "closed"):
        if match["times"]:
            raise HoursNotUnderstood(rule)  # closed at some hours: rare, say it raw
        text = _("fermé %(days)s") % {"days": days} if days else _("fermé")
    else:
        times = _spans(match["times"]) if match["times"] else _("toute la journée")
        if not days:
            days = _("tous les jours")
        if modifier == "unknown":
            times = _("horaires à confirmer")
        text = _("%(days)s, %(times)s") % {"days": days, "times": times}
    if comment:
        text = _("%(text)s (%(comment)s)") % {"text": text, "comment": comment}
    return text


def _rules(text: str) -> list[str]:
    rules = []
    for part in re.split(r";|\|\|", text):
        rules.extend(_RULE_COMMA.split(part))
    return [rule for rule in (rule.strip() for rule in rules) if rule]


def opening_hours_words(raw: str | None) -> OpeningHours:
    """The opening hours in words; the raw text ("horaires : …") when not understood."""
    raw = " ".join((raw or "").split())[:MAX_LENGTH]
    if not raw:
        return OpeningHours(raw="", text="", understood=True)
    try:
        sentences = [_rule(rule) for rule in _rules(raw)]
    except (HoursNotUnderstood, ValueError, IndexError):
        sentences = []
    if not sentences:
        return OpeningHours(
            raw=raw, text=_("horaires : %(hours)s") % {"hours": raw}, understood=False
        )
    text = pgettext("between rules of opening hours", " ; ").join(sentences)
    return OpeningHours(raw=raw, text=text[:1].upper() + text[1:], understood=True)
