"""Why a result is there, in one line: "Gratuit · à 800 m · pour les 16–25 ans · sans diplôme".

Each reason is a fact of the opportunity read against what the person asked (a filter she
set is said back to her); the words are short and everyday, in the active language.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .enums import Cost, Level, QPVPriority, Situation
from .models import Opportunity
from .selectors import Criteria, NearResult

SEPARATOR = " · "
DEADLINE_SOON_DAYS = 21


def distance_words(metres: float | None) -> str:
    """ "800 m" under 1 km (rounded to 50 m), "1,2 km" or "2 km" under 10 km, "18 km" beyond."""
    if metres is None:
        return ""
    if metres < 950:
        return _("%(value)s m") % {"value": number_format(max(50, round(metres / 50) * 50), 0)}
    if metres < 9950:
        km = round(metres / 1000, 1)
        return _("%(value)s km") % {"value": number_format(km, 0 if km.is_integer() else 1)}
    return _("%(value)s km") % {"value": number_format(round(metres / 1000), 0)}


def age_words(age_min: int | None, age_max: int | None) -> str:
    if age_min and age_max:
        return _("pour les %(min)s–%(max)s ans") % {"min": age_min, "max": age_max}
    if age_min:
        return _("à partir de %(min)s ans") % {"min": age_min}
    if age_max:
        return _("jusqu'à %(max)s ans") % {"max": age_max}
    return ""


def situation_words() -> dict[str, str]:
    """Who a situation is, said of others (the form asks her in the first person)."""
    return {
        Situation.JOB_SEEKER: _("pour les personnes qui cherchent un emploi"),
        Situation.RSA: _("pour les personnes au RSA ou aux minima sociaux"),
        Situation.YOUNG: _("pour les jeunes"),
        Situation.STUDENT: _("pour les étudiants"),
        Situation.EMPLOYED: _("pour les personnes qui travaillent"),
        Situation.SENIOR: _("pour les plus de 60 ans"),
        Situation.PARENT: _("pour les parents"),
        Situation.WOMAN: _("pour les femmes"),
        Situation.DISABILITY: _("pour les personnes en situation de handicap"),
        Situation.REFUGEE: _("pour les personnes réfugiées ou nouvelles en France"),
    }


def level_words(level: int) -> str:
    if level == Level.NONE:
        return _("sans diplôme")
    return _("diplôme demandé : %(level)s") % {"level": Level(level).label}


def cost_words(cost: str) -> str:
    return {
        Cost.FREE: _("Gratuit"),
        Cost.COVERED: _("Pris en charge"),
        Cost.PAID: _("Payant"),
    }.get(cost, "")


def qpv_words(priority: str, home_qpv_name: str = "") -> str:
    """Said when the opportunity is kept for (or first for) the residents of a QPV."""
    if priority == QPVPriority.ONLY:
        if home_qpv_name:
            return _("Réservé aux habitants des quartiers prioritaires — vous habitez %(qpv)s") % {
                "qpv": home_qpv_name
            }
        return _("Réservé aux habitants des quartiers prioritaires")
    if priority == QPVPriority.FIRST:
        if home_qpv_name:
            return _("Priorité aux habitants des quartiers prioritaires — vous habitez %(qpv)s") % {
                "qpv": home_qpv_name
            }
        return _("Priorité aux habitants des quartiers prioritaires")
    return ""


def where_words(opportunity: Opportunity, distance_m: float | None) -> str:
    if distance_m is None:
        return _("à distance") if opportunity.is_remote else ""
    near = _("à %(distance)s") % {"distance": distance_words(distance_m)}
    if opportunity.is_remote:
        return _("%(near)s ou à distance") % {"near": near}
    return near


def deadline_words(deadline: date | None, *, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if deadline is None or deadline < today or deadline > today + timedelta(DEADLINE_SOON_DAYS):
        return ""
    if deadline == today:
        return _("inscription jusqu'à ce soir")
    return _("inscription avant le %(date)s") % {"date": date_format(deadline, "j F")}


def reasons(
    opportunity: Opportunity,
    *,
    distance_m: float | None = None,
    criteria: Criteria | None = None,
    today: date | None = None,
) -> list[str]:
    """The reasons, most telling first: cost, where, who it is for, diploma, deadline."""
    criteria = criteria or Criteria()
    items = [cost_words(opportunity.cost), where_words(opportunity, distance_m)]
    items.append(age_words(opportunity.age_min, opportunity.age_max))
    if opportunity.situations:
        hers = [code for code in criteria.situations if code in opportunity.situations]
        items.append(situation_words().get((hers or opportunity.situations)[0], ""))
    items.append(level_words(opportunity.level_required))
    items.append(deadline_words(opportunity.deadline, today=today))
    return [item for item in items if item]


def reason_line(items: list[str]) -> str:
    """The reasons joined on one line, with a capital first letter."""
    line = SEPARATOR.join(items)
    return line[:1].upper() + line[1:]


def explanation(
    opportunity: Opportunity,
    *,
    distance_m: float | None = None,
    criteria: Criteria | None = None,
    home_qpv_name: str = "",
    today: date | None = None,
) -> list[str]:
    """The lines a result shows: its reasons, then (when it applies) the QPV rule."""
    lines = [
        reason_line(reasons(opportunity, distance_m=distance_m, criteria=criteria, today=today)),
        qpv_words(opportunity.qpv_priority, home_qpv_name),
    ]
    return [line for line in lines if line]


def result_explain(
    result: NearResult, *, criteria: Criteria | None = None, home_qpv_name: str = ""
) -> NearResult:
    """Fill `result.reasons` with the lines of `explanation` and return the result."""
    result.reasons = explanation(
        result.opportunity,
        distance_m=result.distance_m,
        criteria=criteria,
        home_qpv_name=home_qpv_name,
    )
    return result
