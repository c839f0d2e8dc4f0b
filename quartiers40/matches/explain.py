"""Why a suggestion is there, in words a resident understands, built from the real signals:
"même thème : recherche d'emploi", "à 1,2 km de Franc-Moisin", "déjà active dans
Franc-Moisin", "les mots « CV » et « jeunes »".

A `Reason` is data first (its code and the signal's values, stored with the match) and a
sentence second; `explanation_line` joins the sentences the way the near-me page does.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartiers40.opportunities.explain import SEPARATOR, distance_words

MAX_WORDS_SAID = 3
MAX_NAMES_SAID = 2


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    weight: float = 0.0  # what it added to the score
    data: dict[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "weight": round(self.weight, 3), **self.data}


def _names(names: list[str]) -> str:
    """ "A", "A et B", "A, B et 2 autres"."""
    names = [name for name in dict.fromkeys(names) if name]
    if len(names) <= MAX_NAMES_SAID:
        return _(" et ").join(names) if len(names) == 2 else "".join(names)
    rest = len(names) - MAX_NAMES_SAID
    return ngettext("%(names)s et %(n)s autre", "%(names)s et %(n)s autres", rest) % {
        "names": ", ".join(names[:MAX_NAMES_SAID]),
        "n": rest,
    }


def quoted(words: list[str]) -> str:
    """ "« CV »", "« CV » et « jeunes »", "« CV », « jeunes » et « emploi »"."""
    words = [f"« {word} »" for word in list(dict.fromkeys(words))[:MAX_WORDS_SAID]]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s et %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def theme_reason(labels: list[str], weight: float) -> Reason:
    labels = [str(label).lower() for label in labels]
    text = ngettext("même thème : %(themes)s", "mêmes thèmes : %(themes)s", len(labels)) % {
        "themes": ", ".join(labels)
    }
    return Reason("theme", text, weight, {"themes": labels})


def words_reason(words: list[str], weight: float) -> Reason:
    words = list(dict.fromkeys(words))[:MAX_WORDS_SAID]
    text = ngettext("le mot %(words)s", "les mots %(words)s", len(words)) % {"words": quoted(words)}
    return Reason("words", text, weight, {"words": words})


def active_in_reason(qpv_names: list[str], weight: float, *, feminine: bool = True) -> Reason:
    """An organisation (feminine) or a project (masculine) already there."""
    where = _names(qpv_names)
    text = (_("déjà active dans %(where)s") if feminine else _("déjà présent dans %(where)s")) % {
        "where": where
    }
    return Reason("active_in", text, weight, {"qpvs": qpv_names})


def in_qpv_reason(qpv_names: list[str], weight: float) -> Reason:
    text = _("dans le quartier %(where)s") % {"where": _names(qpv_names)}
    return Reason("in_qpv", text, weight, {"qpvs": qpv_names})


def distance_reason(metres: float, place_name: str, weight: float) -> Reason:
    text = _("à %(distance)s de %(place)s") % {
        "distance": distance_words(metres),
        "place": place_name,
    }
    return Reason("distance", text, weight, {"metres": round(metres), "from": place_name})


def commune_reason(commune_name: str, weight: float) -> Reason:
    text = _("dans la même commune : %(commune)s") % {"commune": commune_name}
    return Reason("commune", text, weight, {"commune": commune_name})


def department_reason(department_code: str, weight: float) -> Reason:
    text = _("dans le même département (%(code)s)") % {"code": department_code}
    return Reason("department", text, weight, {"department": department_code})


def kind_reason(kind_label: str, weight: float) -> Reason:
    text = _("%(kind)s : un savoir-faire complémentaire") % {"kind": kind_label}
    return Reason("kind", text, weight, {"kind": kind_label})


def track_record_reason(solved: int, weight: float) -> Reason:
    text = ngettext(
        "a déjà aidé à résoudre %(n)s défi", "a déjà aidé à résoudre %(n)s défis", solved
    ) % {"n": solved}
    return Reason("track_record", text, weight, {"solved": solved})


def asked_for_reason(count: int, theme_labels: list[str], weight: float) -> Reason:
    themes = ", ".join(str(label).lower() for label in theme_labels)
    text = ngettext(
        "%(n)s défi ouvert dans ce quartier (%(themes)s)",
        "%(n)s défis ouverts dans ce quartier (%(themes)s)",
        count,
    ) % {"n": count, "themes": themes}
    return Reason("asked_for", text, weight, {"challenges": count, "themes": theme_labels})


def nothing_similar_reason(weight: float) -> Reason:
    return Reason("nothing_similar", _("aucun projet semblable n'y existe encore"), weight)


def funder_reason(financers: list[str]) -> Reason:
    text = _("financé par %(who)s") % {"who": _names(financers)}
    return Reason("funder", text, 0.0, {"financers": financers})


def deadline_reason(deadline: date) -> Reason:
    text = _("à demander avant le %(date)s") % {"date": date_format(deadline, "j F Y")}
    return Reason("deadline", text, 0.0, {"deadline": deadline.isoformat()})


def call_for_projects_reason() -> Reason:
    return Reason("call_for_projects", _("appel à projets"), 0.0)


def aid_type_reason(aid_types: list[str]) -> Reason:
    text = ", ".join(str(kind).lower() for kind in aid_types[:2])
    return Reason("aid_type", text, 0.0, {"aid_types": aid_types})


def same_city_reason(commune_name: str, weight: float) -> Reason:
    text = _("à %(commune)s, comme la rencontre") % {"commune": commune_name}
    return Reason("same_city", text, weight, {"commune": commune_name})


def supports_reason(count: int, weight: float) -> Reason:
    text = ngettext("soutenu par %(n)s personne", "soutenu par %(n)s personnes", count) % {
        "n": count
    }
    return Reason("supports", text, weight, {"supports": count})


def line_reason(text: str, code: str = "near_me") -> Reason:
    """A line already written by another app's explanation (the near-me page's)."""
    return Reason(code, text, 0.0)


def explanation_line(reasons: list[Reason] | list[dict]) -> str:
    """The reasons on one line, most telling first, with a capital first letter."""
    texts = [reason["text"] if isinstance(reason, dict) else reason.text for reason in reasons]
    return capfirst(SEPARATOR.join(text for text in texts if text))
