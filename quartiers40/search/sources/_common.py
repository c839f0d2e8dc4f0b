"""What the sources share: texts made plain and free of contact details, places from QPVs."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartiers40.territories.reference import department_name, region_of

SUMMARY_MAX_LENGTH = 300

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # [text](url), ![alt](src)
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_MARKUP = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s+", re.MULTILINE)  # headings, quotes, lists
_EMPHASIS = re.compile(r"[*_`~]{1,3}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# French numbers (01 23 45 67 89, 01.23.45.67.89, +33 1 23 45 67 89) and other long runs.
_PHONE = re.compile(r"(?<!\w)(\+\d{1,3}[\s.-]?)?\(?0?\d\)?([\s.-]?\d{2}){4}(?!\w)")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def scrub_contacts(text: str) -> str:
    """Without e-mail addresses or phone numbers: the search keeps none, whoever wrote them."""
    return _PHONE.sub(" ", _EMAIL.sub(" ", text or ""))


def plain_text(text: str) -> str:
    """Markdown (or plain text) as words: no markup, no link targets, no contact details."""
    text = _LINK.sub(r"\1", text or "")
    text = _AUTOLINK.sub(r"\1", text)
    text = _MARKUP.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = scrub_contacts(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def shorten(text: str, limit: int = SUMMARY_MAX_LENGTH) -> str:
    """At most `limit` characters, cut between words, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def summary_of(*candidates: str) -> str:
    """The first non-empty text among `candidates`, plain and shortened for a result card."""
    for candidate in candidates:
        text = plain_text(candidate)
        if text:
            return shorten(text)
    return ""


def join_texts(*parts: str) -> str:
    """Plain texts one after the other, a blank line between them; empty ones left out."""
    return "\n\n".join(text for text in (plain_text(part) for part in parts) if text)


def unique(values: Iterable) -> tuple[str, ...]:
    """Non-empty texts in their first order, each once."""
    return tuple(dict.fromkeys(text for text in (str(v or "").strip() for v in values) if text))


def department_of_commune(code: str) -> str:
    """ "93066" → "93", "97411" → "974", "2A004" → "2A" ("" when not a commune code)."""
    code = (code or "").strip().upper()
    if len(code) != 5:
        return ""
    return code[:3] if code.startswith("97") else code[:2]


@dataclass(frozen=True)
class Places:
    """Where an item is, from its QPVs (and any communes and departments of its own)."""

    places: tuple[str, ...] = ()  # QPVs, then communes, then departments
    place_label: str = ""
    qpv_codes: tuple[str, ...] = ()
    commune_codes: tuple[str, ...] = ()
    department_codes: tuple[str, ...] = ()
    point: tuple[float, float] | None = None


def places_of(
    qpvs: Iterable,
    *,
    commune_names: Iterable[str] = (),
    commune_codes: Iterable[str] = (),
    department_codes: Iterable[str] = (),
    extra_qpv_codes: Iterable[str] = (),
    point: tuple[float, float] | None = None,
) -> Places:
    """Places of an item in these QPVs (light QPV rows) and these communes and departments.

    The point is the given one, else the first QPV's centroid; the label names the first QPV
    and its commune ("Franc-Moisin, Saint-Denis et 2 autres quartiers"), else the communes,
    else the departments.
    """
    qpvs = list(qpvs)
    qpv_names = unique(qpv.name for qpv in qpvs)
    communes = unique([name for qpv in qpvs for name in qpv.commune_list] + list(commune_names))
    department_codes = unique(
        [qpv.department_code for qpv in qpvs]
        + list(department_codes)
        + [department_of_commune(code) for code in commune_codes]
    )
    departments = unique(department_name(code) for code in department_codes)
    if point is None:
        point = next(
            (
                (qpv.centroid_lat, qpv.centroid_lon)
                for qpv in qpvs
                if qpv.centroid_lat is not None and qpv.centroid_lon is not None
            ),
            None,
        )
    if qpvs:
        first = qpvs[0]
        label = ", ".join(unique([first.name, *first.commune_list[:1]]))
        others = len(qpv_names) - 1
        if others > 0:
            label = ngettext(
                "%(place)s et %(count)s autre quartier",
                "%(place)s et %(count)s autres quartiers",
                others,
            ) % {"place": label, "count": others}
    elif communes:
        label = ", ".join(communes[:2])
        if len(communes) > 2:
            label = _("%(places)s…") % {"places": label}
    else:
        label = ", ".join(departments[:2])
    return Places(
        places=unique([*qpv_names, *communes, *departments]),
        place_label=label,
        qpv_codes=unique([*(qpv.code for qpv in qpvs), *extra_qpv_codes]),
        commune_codes=unique(
            [code for qpv in qpvs for code in (qpv.commune_codes or [qpv.commune_code])]
            + list(commune_codes)
        ),
        department_codes=department_codes,
        point=point,
    )


def region_name_of(department_code: str) -> str:
    return region_of(department_code)[1]
