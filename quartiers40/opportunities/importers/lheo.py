"""LHEO XML training offers (2.2 and 2.3 namespaces, or none): one action, one training.

`offres > formation > action > session`; the body is the formation's
`organisme-formation-responsable`. Parsed with defusedxml (no entities, no network).
"""

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from ..enums import Cost, HowToGo, Level, OpportunityKind
from ..records import ImportedItem, PlaceInput, SessionInput, StructureRecord
from .base import (
    ImportFileError,
    Row,
    RowError,
    Unit,
    date_read,
    file_check,
    html_to_text,
    https,
    per_file,
    plain_summary,
    point_read,
    quoted,
)

FORMAT = "lheo"
NAMESPACES = {"http://www.lheo.org/2.2", "http://lheo.gouv.fr/2.3", "http://www.lheo.org/2.3"}
# code-niveau-entree (LHEO dictionary) -> the diploma asked for.
ENTRY_LEVEL = {"4": Level.CAP, "5": Level.BAC, "6": Level.BAC2, "7": Level.BAC3, "8": Level.BAC3}
UNKNOWN_DATES = {"00000000", "99999999"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _strip_namespaces(root: Element) -> None:
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = _local(element.tag)


def _text(element: Element | None, path: str = "") -> str:
    found = element.find(path) if element is not None and path else element
    if found is None or found.text is None:
        return ""
    text = found.text.strip()
    return "" if text == "-" else text


def _address(coordinates: Element | None) -> tuple[PlaceInput | None, str]:
    """A place from a `coordonnees` or `adresse` element, and a note about its point."""
    if coordinates is None:
        return None, ""
    address = coordinates if coordinates.tag == "adresse" else coordinates.find("adresse")
    name = _text(coordinates, "ligne") if coordinates.tag == "coordonnees" else ""
    if address is None:
        return None, ""
    lines = [(line.text or "").strip() for line in address.findall("ligne")]
    lines = [line for line in lines if line and line != name]
    point = point_read(
        _text(address, "geolocalisation/longitude"), _text(address, "geolocalisation/latitude")
    )
    place = PlaceInput(
        name=name[:200],
        address=", ".join(lines)[:300],
        postcode=_text(address, "codepostal")[:5],
        commune_code=_text(address, "code-INSEE-commune")[:5],
        commune_name=_text(address, "ville")[:200],
        longitude=point.longitude,
        latitude=point.latitude,
    )
    return place, point.note or point.error


def _structure(formation: Element, *, source: str) -> StructureRecord | None:
    body = formation.find("organisme-formation-responsable")
    if body is None:
        return None
    name = _text(body, "nom-organisme") or _text(body, "raison-sociale")
    siret = _text(body, "SIRET-organisme-formation/SIRET")
    identifier = body.get("numero") or siret or name
    if not name or not identifier:
        return None
    coordinates = body.find("coordonnees-organisme/coordonnees")
    place, _note = _address(coordinates)
    return StructureRecord(
        source=source,
        source_id=f"organisme--{identifier}"[:300],
        name=name[:300],
        siret=siret if len(siret) == 14 and siret.isdigit() else "",
        website=https(_text(coordinates, "web/urlweb"))[:500],
        phone=_text(coordinates, "telfixe/numtel")[:40],
        email=_text(coordinates, "courriel")[:254],
        address=place.address if place else "",
        postcode=place.postcode if place else "",
        commune_code=place.commune_code if place else "",
        commune_name=place.commune_name if place else "",
        longitude=place.longitude if place else None,
        latitude=place.latitude if place else None,
    )


def _session(session: Element) -> tuple[SessionInput | None, str]:
    raw_start, raw_end = _text(session, "periode/debut"), _text(session, "periode/fin")
    try:
        starts = None if raw_start in UNKNOWN_DATES else date_read(raw_start)
        ends = None if raw_end in UNKNOWN_DATES else date_read(raw_end)
    except ValueError as error:
        return None, _("date de session illisible %(value)s (format AAAAMMJJ).") % {
            "value": quoted(error)
        }
    if starts is None:
        return None, ""
    if ends and ends < starts:
        return None, _("une session finit (%(end)s) avant de commencer (%(start)s).") % {
            "end": raw_end,
            "start": raw_start,
        }
    details = _text(session, "adresse-inscription/adresse/ville")
    return SessionInput(starts_on=starts, ends_on=ends, details=details[:300]), ""


def _action_item(
    formation: Element, action: Element, *, source_id: str, source: str, is_fictional: bool
) -> tuple[ImportedItem | None, list[str], list[str]]:
    notes: list[str] = []
    errors: list[str] = []
    title = _text(formation, "intitule-formation")
    if not title:
        errors.append(_("« intitule-formation » manque : ce champ est obligatoire."))
    objective = html_to_text(_text(formation, "objectif-formation"))
    description = "\n\n".join(
        part
        for part in (
            objective,
            html_to_text(_text(formation, "resultats-attendus")),
            html_to_text(_text(formation, "contenu-formation")),
        )
        if part
    )
    if not description:
        errors.append(_("« objectif-formation » manque : ce champ est obligatoire."))
    mode = _text(action, "modalites-enseignement") or "0"
    if mode not in {"0", "1", "2"}:
        errors.append(
            _("« modalites-enseignement » vaut %(value)s, valeur inconnue (0, 1 ou 2).")
            % {"value": quoted(mode)}
        )
    sessions = []
    for session in action.findall("session"):
        parsed, problem = _session(session)
        if problem:
            errors.append(problem)
        elif parsed:
            sessions.append(parsed)
    if errors:
        return None, notes, errors
    places = []
    if mode in {"0", "1"}:
        for coordinates in action.findall("lieu-de-formation/coordonnees"):
            place, note = _address(coordinates)
            if note:
                notes.append(note)
            if place and (place.located or place.geocoding_query):
                places.append(place)
    sessions.sort(key=lambda session: session.starts_on)
    ends = [session.ends_on or session.starts_on for session in sessions]
    structure = _structure(formation, source=source)
    contact = formation.find("organisme-formation-responsable/coordonnees-organisme/coordonnees")
    covered = _text(action, "prise-en-charge-frais-possible") == "1"
    remaining = _text(action, "frais-restants")
    cost = Cost.COVERED if covered else Cost.PAID
    if remaining.replace(",", ".") in {"0", "0.0", "0.00"}:
        cost = Cost.FREE
    level = ENTRY_LEVEL.get(_text(formation, "code-niveau-entree"), Level.NONE)
    url = https(_text(action, "url-action/urlweb") or _text(formation, "url-formation/urlweb"))
    fields = {
        "kind": OpportunityKind.TRAINING,
        "title": title[:200],
        "summary": plain_summary(objective or description),
        "description": description[:20000],
        "themes": ["se-former--trouver-sa-formation"],
        "is_remote": mode in {"1", "2"},
        "starts_on": sessions[0].starts_on if sessions else None,
        "ends_on": max(ends) if ends else None,
        "schedule_details": _text(action, "rythme-formation")[:500],
        "cost": cost,
        "cost_details": (_("Prise en charge des frais possible") if covered else "")[:500],
        "how_to_go": [HowToGo.LINK] if url else [HowToGo.CALL],
        "application_url": url[:500],
        "contact_phone": _text(contact, "telfixe/numtel")[:40],
        "contact_email": _text(contact, "courriel")[:254],
        "level_required": level,
        "access_conditions": _text(action, "conditions-specifiques")[:2000],
    }
    item = ImportedItem(
        source=source,
        source_id=source_id,
        structure=structure,
        fields=fields,
        places=tuple(places[:50]),
        sessions=tuple(sessions[:100]),
        is_fictional=is_fictional,
    )
    return item, notes, []


def _parse(path: Path) -> Element:
    file_check(path)
    try:
        root = SafeET.parse(str(path)).getroot()
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise ImportFileError(
            _(
                "Le fichier %(name)s n'est pas un XML valide (ligne %(line)s, colonne %(column)s) "
                ": rien n'est importé."
            )
            % {"name": path.name, "line": line, "column": column}
        ) from error
    except DefusedXmlException as error:
        raise ImportFileError(
            _("Le fichier %(name)s contient des entités ou une DTD refusées : %(error)s")
            % {"name": path.name, "error": type(error).__name__}
        ) from error
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "lheo" or (namespace and namespace not in NAMESPACES):
        raise ImportFileError(
            _(
                "Le fichier %(name)s n'est pas une offre LHEO (élément racine %(root)s ; attendu "
                "<lheo> dans l'espace de noms LHEO 2.2 ou 2.3)."
            )
            % {"name": path.name, "root": quoted(root.tag)}
        )
    _strip_namespaces(root)
    return root


def units(paths: list[Path], *, source: str, is_fictional: bool = False) -> list:
    return per_file(paths, lambda path: _units(path, source=source, is_fictional=is_fictional))


def _units(path: Path, *, source: str, is_fictional: bool) -> list[Unit]:
    root = _parse(path)
    actions = [
        (formation, action)
        for formation in root.iter("formation")
        for action in formation.findall("action")
    ]

    def rows(actions=actions) -> Iterator[Row]:
        seen: set[str] = set()
        for index, (formation, action) in enumerate(actions, start=1):
            number = action.get("numero") or ""
            where = _("action %(n)s") % {"n": index} + (f" ({number})" if number else "")
            source_id = number or f"{formation.get('numero') or 'formation'}-{index}"
            if source_id in seen:
                message = _("l'identifiant %(id)s apparaît deux fois ; action ignorée.") % {
                    "id": quoted(source_id)
                }
                yield Row(where, error=RowError(where, message))
                continue
            seen.add(source_id)
            item, notes, errors = _action_item(
                formation, action, source_id=source_id, source=source, is_fictional=is_fictional
            )
            if errors or item is None:
                error = RowError(where, " ".join(errors), source_id=source_id)
                yield Row(where, error=error, notes=tuple(notes))
            else:
                yield Row(where, item=item, notes=tuple(notes))

    return [Unit(name=path.name, total=len(actions), rows=rows)]
