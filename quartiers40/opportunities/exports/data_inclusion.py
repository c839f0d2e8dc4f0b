"""Our members' opportunities in the data·inclusion v1 format (`di_structures`, `di_services`).

Our own published items only (imported ones belong to their source and are not sent back into
the ecosystem), each offered by a member organisation, written as `Structure` and `Service` of
the schema (`source` `quartiers-4-0`, ids `quartiers-4-0--<slug>`). What the schema lacks (age
range, level, languages, accessibility, QPV priority, seats, deadline) is written as plain
French into `publics_precisions` and `conditions_acces`. Fictional (demo) items are left out
unless the site runs in demo mode.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from quartiers40.core.links import canonical_url

from ..enums import (
    HOW_TO_GO_TO_DI,
    KIND_TO_DI_TYPE,
    SITUATION_TO_PUBLIC,
    Accessibility,
    Cost,
    HowToGo,
    Language,
    OpportunityKind,
    QPVPriority,
)
from ..models import OWN_SOURCE, Opportunity, OpportunityPlace
from .opendata import _unique, opportunity_url, published_opportunities

# --- data·inclusion v1 ---------------------------------------------------------------

DI_SOURCE = OWN_SOURCE
DI_NAME_MAX = 150
DI_DESCRIPTION_MIN, DI_DESCRIPTION_MAX = 5, 10000


def di_id(key: str | int) -> str:
    return f"{DI_SOURCE}--{key}"


def di_opportunities() -> QuerySet[Opportunity]:
    """Our own published items, offered by an organisation (never re-exported imports)."""
    queryset = published_opportunities().filter(source=OWN_SOURCE, organisation__isnull=False)
    if not getattr(settings, "DEMO_MODE", False):
        queryset = queryset.filter(is_fictional=False)
    return queryset


def _di_name(text: str) -> str:
    """3 to 150 characters, not ending with a full stop (the schema's rule)."""
    text = " ".join(text.split())
    if len(text) > DI_NAME_MAX:
        text = text[: DI_NAME_MAX - 1].rsplit(" ", 1)[0] + "…"
    if not text.endswith("etc."):
        text = text.rstrip(".")
    return text if len(text) >= 3 else f"{text} —"


def _di_text(*parts: str) -> str | None:
    text = "\n\n".join(part.strip() for part in parts if part and part.strip())
    return text or None


def _digits(value: str, length: int) -> str | None:
    digits = "".join(char for char in value if char.isdigit())
    return digits if len(digits) == length else None


def _five(value: str) -> str | None:
    value = (value or "").strip()
    return value if len(value) == 5 and value.isalnum() else None


def di_structure(organisation) -> dict:
    """A member organisation as a data·inclusion `Structure` (its public page's facts)."""
    description = (organisation.description or "").strip()
    return {
        "source": DI_SOURCE,
        "id": di_id(organisation.slug),
        "nom": _di_name(organisation.name),
        "date_maj": timezone.localdate(organisation.updated_at).isoformat(),
        "description": description[:DI_DESCRIPTION_MAX]
        if len(description) >= DI_DESCRIPTION_MIN
        else None,
        "lien_source": canonical_url(organisation.get_absolute_url()),
        "siret": _digits(organisation.siret, 14),
        "site_web": organisation.website or None,
        "commune": organisation.commune_name or None,
        "code_insee": _five(organisation.commune_code),
        "telephone": None,
        "courriel": None,
        "adresse": None,
        "code_postal": None,
        "complement_adresse": None,
        "longitude": None,
        "latitude": None,
        "horaires_accueil": None,
        "accessibilite_lieu": None,
        "reseaux_porteurs": None,
    }


def di_publics(opportunity: Opportunity) -> list[str]:
    """Our situations as `publics`, `residents-qpv-frr` when QPV residents come first or
    only; `tous-publics` alone when nothing narrows it (the schema forbids mixing it)."""
    publics = _unique(SITUATION_TO_PUBLIC[code] for code in opportunity.situations)
    if opportunity.qpv_priority in (QPVPriority.FIRST, QPVPriority.ONLY):
        publics.append("residents-qpv-frr")
    return publics or ["tous-publics"]


def _age_text(opportunity: Opportunity) -> str:
    low, high = opportunity.age_min, opportunity.age_max
    if low and high:
        return _("De %(min)d à %(max)d ans.") % {"min": low, "max": high}
    if low:
        return _("À partir de %(min)d ans.") % {"min": low}
    if high:
        return _("Jusqu'à %(max)d ans.") % {"max": high}
    return ""


def di_publics_precisions(opportunity: Opportunity) -> str | None:
    """Who it is for, in plain French: age range, QPV priority, and the provider's words."""
    who = [_age_text(opportunity)]
    if opportunity.qpv_priority == QPVPriority.ONLY:
        who.append(_("Réservé aux habitants des quartiers prioritaires."))
    elif opportunity.qpv_priority == QPVPriority.FIRST:
        who.append(_("Les habitants des quartiers prioritaires passent en premier."))
    return _di_text(" ".join(part for part in who if part), opportunity.eligibility_details)


def di_conditions_acces(opportunity: Opportunity) -> str | None:
    """What it takes, in plain French: level, languages, accessibility, seats, deadline."""
    lines = []
    if opportunity.level_required:
        lines.append(
            _("Diplôme demandé : %(level)s.") % {"level": opportunity.get_level_required_display()}
        )
    else:
        lines.append(_("Aucun diplôme demandé."))
    if opportunity.languages:
        labels = [str(Language(code).label) for code in opportunity.languages]
        lines.append(_("Langues parlées : %(languages)s.") % {"languages": ", ".join(labels)})
    if opportunity.accessibility:
        labels = [str(Accessibility(code).label) for code in opportunity.accessibility]
        lines.append(_("Accessibilité : %(items)s.") % {"items": " ; ".join(labels)})
    if opportunity.accessibility_url:
        lines.append(_("Fiche Acceslibre : %(url)s") % {"url": opportunity.accessibility_url})
    if opportunity.seats:
        lines.append(_("%(seats)d places.") % {"seats": opportunity.seats})
    if opportunity.deadline:
        lines.append(
            _("Inscription jusqu'au %(date)s.")
            % {"date": opportunity.deadline.strftime("%d/%m/%Y")}
        )
    return _di_text(opportunity.access_conditions, " ".join(lines))


def _di_zone(opportunity: Opportunity, places: list[OpportunityPlace]) -> list[str] | None:
    zone = list(opportunity.eligibility_zone) or _unique(
        code for code in (_five(place.commune_code) for place in places) if code
    )
    return zone or None


def _di_frais(opportunity: Opportunity) -> tuple[str, str | None]:
    """Free, or paid but covered (free for the person: said in `frais_precisions`)."""
    if opportunity.cost == Cost.PAID:
        return "payant", opportunity.cost_details or None
    if opportunity.cost == Cost.COVERED:
        return "gratuit", _di_text(
            _("Payant, mais pris en charge (rien à payer pour la personne)."),
            opportunity.cost_details,
        )
    return "gratuit", opportunity.cost_details or None


def _di_mobilisation(opportunity: Opportunity) -> dict:
    how = list(opportunity.how_to_go)
    modes = _unique(HOW_TO_GO_TO_DI.get(code, "") for code in how)
    by = []
    if any(code != HowToGo.PROFESSIONAL for code in how):
        by.append("usagers")
    if HowToGo.PROFESSIONAL in how:
        by.append("professionnels")
    precisions = []
    if HowToGo.PROFESSIONAL in how:
        precisions.append(_("Passer par un professionnel (conseiller, travailleur social)."))
    if HowToGo.CALL in how or HowToGo.WRITE in how:
        precisions.append(
            _("Le contact est sur la page de l'opportunité : %(url)s")
            % {"url": opportunity_url(opportunity)}
        )
    return {
        "modes_mobilisation": modes or None,
        "mobilisable_par": by or None,
        "mobilisation_precisions": " ".join(precisions) or None,
        "lien_mobilisation": opportunity.application_url or None,
    }


def di_service(opportunity: Opportunity) -> dict:
    """One of our own items as a data·inclusion `Service` (French texts, whatever the
    reader's language)."""
    places = list(opportunity.places.all())
    first = places[0] if places else None
    description = (opportunity.description or "").strip()
    if len(description) < DI_DESCRIPTION_MIN:
        description = opportunity.summary.strip()
    frais, frais_precisions = _di_frais(opportunity)
    modes_accueil = (["en-presentiel"] if places else []) + (
        ["a-distance"] if opportunity.is_remote else []
    )
    with override("fr"):
        publics_precisions = di_publics_precisions(opportunity)
        conditions_acces = di_conditions_acces(opportunity)
        mobilisation = _di_mobilisation(opportunity)
    return {
        "source": DI_SOURCE,
        "id": di_id(opportunity.slug),
        "structure_id": di_id(opportunity.organisation.slug),
        "nom": _di_name(opportunity.title),
        "description": description[:DI_DESCRIPTION_MAX].ljust(DI_DESCRIPTION_MIN, "."),
        "date_maj": timezone.localdate(opportunity.last_updated_at).isoformat(),
        "lien_source": opportunity_url(opportunity),
        "type": KIND_TO_DI_TYPE[OpportunityKind(opportunity.kind)],
        "thematiques": list(opportunity.themes) or None,
        "frais": frais,
        "frais_precisions": frais_precisions,
        "publics": di_publics(opportunity),
        "publics_precisions": publics_precisions,
        "conditions_acces": conditions_acces,
        "zone_eligibilite": _di_zone(opportunity, places),
        "modes_accueil": modes_accueil or None,
        **mobilisation,
        "horaires_accueil": opportunity.opening_hours or None,
        "volume_horaire_hebdomadaire": opportunity.hours_per_week,
        "nombre_semaines": opportunity.weeks or None,
        "contact_nom_prenom": None,
        "courriel": None,
        "telephone": None,
        "adresse": (first.address or None) if first else None,
        "complement_adresse": (first.address_details or None) if first else None,
        "code_postal": _digits(first.postcode, 5) if first else None,
        "commune": (first.commune_name or None) if first else None,
        "code_insee": _five(first.commune_code) if first else None,
        "longitude": first.longitude if first else None,
        "latitude": first.latitude if first else None,
    }


def di_services(opportunities: Iterable[Opportunity] | None = None) -> list[dict]:
    items = di_opportunities() if opportunities is None else opportunities
    return [di_service(opportunity) for opportunity in items]


def di_structures(opportunities: Iterable[Opportunity] | None = None) -> list[dict]:
    """The organisations that offer the exported services, each once, by name."""
    items = di_opportunities() if opportunities is None else opportunities
    organisations = {item.organisation_id: item.organisation for item in items}
    return [
        di_structure(organisation)
        for organisation in sorted(organisations.values(), key=lambda o: (o.name, o.pk))
    ]
