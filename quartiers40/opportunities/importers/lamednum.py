"""LaMednum's standard of digital-inclusion places (v1.0.x): one place, one help service.

A CSV file with the standard's columns (lists separated by `|`), or a producer's own JSON
list with its column mapping beside it (`<name>.config.json`, the mednum-cli format: a
column per field, or "these terms in these columns give this value").
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ..enums import Cost, HowToGo, Language, OpportunityKind, Situation
from ..records import ImportedItem, PlaceInput, StructureRecord
from .base import (
    ImportFileError,
    Row,
    RowError,
    Unit,
    csv_open,
    date_read,
    file_check,
    https,
    per_file,
    plain_summary,
    point_read,
    quoted,
    values_text,
)

FORMAT = "lamednum"
# Required by the standard (`pivot`, a SIRET, is not: we do not use it).
REQUIRED = ("id", "nom", "commune", "code_postal", "adresse", "date_maj")
SERVICE_TO_THEME = {
    "Aide aux démarches administratives": "numerique--acceder-a-des-services-en-ligne",
    "Maîtrise des outils numériques du quotidien": (
        "numerique--maitriser-les-fondamentaux-du-numerique"
    ),
    "Insertion professionnelle via le numérique": (
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi"
    ),
    "Utilisation sécurisée du numérique": "numerique--maitriser-les-fondamentaux-du-numerique",
    "Parentalité et éducation avec le numérique": (
        "numerique--maitriser-les-fondamentaux-du-numerique"
    ),
    "Loisirs et créations numériques": "numerique--maitriser-les-fondamentaux-du-numerique",
    "Compréhension du monde numérique": "numerique--maitriser-les-fondamentaux-du-numerique",
    "Accès internet et matériel informatique": "numerique--acceder-a-une-connexion-internet",
    "Acquisition de matériel informatique à prix solidaire": "numerique--acquerir-un-equipement",
}
PUBLIC_TO_SITUATION = {
    "Jeunes": Situation.YOUNG,
    "Étudiants": Situation.STUDENT,
    "Familles et/ou enfants": Situation.PARENT,
    "Seniors": Situation.SENIOR,
    "Femmes": Situation.WOMAN,
}
ACCESS_TO_HOW = {
    "Se présenter": HowToGo.COME,
    "Téléphoner": HowToGo.CALL,
    "Contacter par mail": HowToGo.WRITE,
    "Prendre un RDV en ligne": HowToGo.LINK,
    "Envoyer un mail avec une fiche de prescription": HowToGo.PROFESSIONAL,
}
FRAIS = {"Gratuit", "Gratuit sous condition", "Payant"}
SUPPORT = {"Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme"}
SUPPORT |= {"Langues étrangères (anglais)", "Langues étrangères (autres)", "Déficience visuelle"}
ACCOMPANIMENT = {"En autonomie", "Accompagnement individuel", "Dans un atelier collectif"}
ACCOMPANIMENT |= {"À distance"}
ENUMS = {
    "services": set(SERVICE_TO_THEME),
    "publics_specifiquement_adresses": set(PUBLIC_TO_SITUATION),
    "modalites_acces": set(ACCESS_TO_HOW) | {"Ce lieu n'accueille pas de public"},
    "frais_a_charge": FRAIS,
    "prise_en_charge_specifique": SUPPORT,
    "modalites_accompagnement": ACCOMPANIMENT,
}


def _values(record: dict[str, Any], name: str) -> list[str]:
    value = record.get(name) or ""
    if isinstance(value, list):
        return [str(part).strip() for part in value if str(part).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


def place_item(
    record: dict[str, Any], *, source: str, is_fictional: bool
) -> tuple[ImportedItem | None, list[str], list[str]]:
    """(item, notes, errors) for one place of the standard."""
    record = {
        key: (str(value).strip() if value is not None else "") for key, value in record.items()
    }
    notes: list[str] = []
    errors = [
        _("« %(field)s » manque : ce champ est obligatoire.") % {"field": name}
        for name in REQUIRED
        if not record.get(name)
    ]
    for name, allowed in ENUMS.items():
        unknown = [value for value in _values(record, name) if value not in allowed]
        if unknown:
            errors.append(
                _(
                    "« %(field)s » vaut %(value)s, valeur inconnue "
                    "(valeurs possibles : %(allowed)s)."
                )
                % {
                    "field": name,
                    "value": quoted(values_text(unknown)),
                    "allowed": values_text(sorted(allowed)),
                }
            )
    if record.get("code_postal") and not re.fullmatch(r"\d{5}", record["code_postal"]):
        errors.append(
            _("« code_postal » vaut %(value)s : il faut 5 chiffres.")
            % {"value": quoted(record["code_postal"])}
        )
    try:
        updated = date_read(record.get("date_maj"))
    except ValueError:
        errors.append(
            _("« date_maj » vaut %(value)s : date illisible (format AAAA-MM-JJ).")
            % {"value": quoted(record.get("date_maj"))}
        )
        updated = None
    point = point_read(record.get("longitude"), record.get("latitude"))
    if point.note:
        notes.append(point.note)
    if point.error:
        notes.append(_("point ignoré : %(why)s") % {"why": point.error})
    if errors:
        return None, notes, errors

    services = _values(record, "services")
    frais = set(_values(record, "frais_a_charge"))
    access = _values(record, "modalites_acces")
    accompaniment = _values(record, "modalites_accompagnement")
    support = _values(record, "prise_en_charge_specifique")
    emails = _values(record, "courriels")
    websites = _values(record, "site_web")
    name = record["nom"]
    intro = record.get("presentation_resume") or ""
    detail = record.get("presentation_detail") or ""
    lines = [intro, detail]
    if services:
        lines.append(_("Ce lieu propose :") + "\n" + "\n".join(f"- {s}" for s in services))
    if accompaniment:
        lines.append(_("Comment : %(how)s.") % {"how": values_text(accompaniment).lower()})
    description = "\n\n".join(line for line in lines if line)
    if not description:
        description = _("Un lieu d'aide au numérique : %(name)s.") % {"name": name}
    languages = []
    if "Langues étrangères (anglais)" in support:
        languages = [Language.FRENCH, Language.ENGLISH]
    place = PlaceInput(
        name=name[:200],
        address=record.get("adresse", "")[:300],
        address_details=record.get("complement_adresse", "")[:300],
        postcode=record.get("code_postal", "")[:5],
        commune_code=record.get("code_insee", "")[:5],
        commune_name=record.get("commune", "")[:200],
        longitude=point.longitude,
        latitude=point.latitude,
    )
    siret = record.get("pivot", "")
    structure = StructureRecord(
        source=source,
        source_id=record["id"][:300],
        name=name[:300],
        siret=siret if re.fullmatch(r"\d{14}", siret) else "",
        website=https(websites[0]) if websites else "",
        phone=record.get("telephone", "")[:40],
        email=emails[0] if emails else "",
        address=place.address,
        postcode=place.postcode,
        commune_code=place.commune_code,
        commune_name=place.commune_name,
        longitude=place.longitude,
        latitude=place.latitude,
        description=intro,
        opening_hours=record.get("horaires", "")[:500],
        accessibility_url=https(record.get("fiche_acces_libre", "")),
        updated_on=updated,
    )
    fields = {
        "kind": OpportunityKind.HELP,
        "title": (_("Aide au numérique : %(name)s") % {"name": name})[:200],
        "summary": plain_summary(intro or description),
        "description": description[:20000],
        "themes": sorted({SERVICE_TO_THEME[s] for s in services})
        or ["numerique--maitriser-les-fondamentaux-du-numerique"],
        "is_remote": "À distance" in accompaniment,
        "opening_hours": record.get("horaires", "")[:500],
        "schedule_details": record.get("horaires_texte", "")[:500],
        "cost": Cost.PAID if frais == {"Payant"} else Cost.FREE,
        "cost_details": (values_text(sorted(frais)) if frais - {"Gratuit"} else "")[:500],
        "how_to_go": list(dict.fromkeys(ACCESS_TO_HOW[a] for a in access if a in ACCESS_TO_HOW)),
        "application_url": https(record.get("prise_rdv", ""))[:500],
        "contact_phone": record.get("telephone", "")[:40],
        "contact_email": emails[0] if emails else "",
        "situations": sorted(
            {
                PUBLIC_TO_SITUATION[p]
                for p in _values(record, "publics_specifiquement_adresses")
                if p in PUBLIC_TO_SITUATION
            }
        ),
        "eligibility_details": (
            _("Accompagnement adapté : %(list)s.") % {"list": values_text(support)}
            if support
            else ""
        ),
        "languages": languages,
        "accessibility_url": https(record.get("fiche_acces_libre", ""))[:500],
        "source_updated_on": updated,
    }
    item = ImportedItem(
        source=source,
        source_id=record["id"][:300],
        structure=structure,
        fields=fields,
        places=(place,),
        is_fictional=is_fictional,
    )
    return item, notes, []


def _rows(records: Iterator[tuple[str, dict[str, Any]]], *, source: str, is_fictional: bool):
    seen: set[str] = set()
    for where, record in records:
        identifier = str(record.get("id") or "").strip()
        if identifier and identifier in seen:
            message = _("l'identifiant %(id)s apparaît deux fois ; cette ligne est ignorée.") % {
                "id": quoted(identifier)
            }
            yield Row(where, error=RowError(where, message))
            continue
        item, notes, errors = place_item(record, source=source, is_fictional=is_fictional)
        if identifier:
            seen.add(identifier)
        if errors or item is None:
            yield Row(
                where, error=RowError(where, " ".join(errors), identifier), notes=tuple(notes)
            )
        else:
            yield Row(where, item=item, notes=tuple(notes))


# --- A producer's own columns, mapped with its config (mednum-cli) ---------------------


def mapped_record(raw: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """A producer's row in the standard's columns, following its mapping."""
    record: dict[str, Any] = {}
    for name, rule in config.items():
        if isinstance(rule, dict) and "colonne" in rule:
            value = raw.get(rule["colonne"])
            record[name] = "" if value is None else str(value)
        elif isinstance(rule, list):
            values = []
            for choice in rule:
                cells = {
                    str(raw.get(column) or "").strip() for column in choice.get("colonnes", ())
                }
                if cells & set(choice.get("termes", ())) and choice.get("cible") not in values:
                    values.append(choice["cible"])
            record[name] = "|".join(values)
        elif name == "horaires" and isinstance(rule, dict):
            # Free text ("lundi 9h-12h"), not the OpenStreetMap syntax: kept as details.
            record["horaires_texte"] = " ".join(
                str(raw.get(column) or "") for column in rule.values()
            ).strip()
    if record.get("date_maj"):
        record["date_maj"] = record["date_maj"][:10]
    return record


def _json_units(path: Path, *, source: str, is_fictional: bool) -> list[Unit]:
    config_path = path.with_name(f"{path.stem}.config.json")
    file_check(path)
    if not config_path.is_file():
        raise ImportFileError(
            _(
                "Le fichier %(name)s n'est pas un CSV du standard : pour un fichier JSON à "
                "colonnes propres, placez sa correspondance %(config)s à côté."
            )
            % {"name": path.name, "config": config_path.name}
        )
    try:
        records = json.loads(path.read_bytes())
        config = json.loads(config_path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFileError(
            _("Le fichier %(name)s n'est pas un JSON lisible : %(error)s")
            % {"name": path.name, "error": error}
        ) from error
    if not isinstance(records, list) or not isinstance(config, dict):
        raise ImportFileError(
            _("Le fichier %(name)s doit être une liste JSON de lieux.") % {"name": path.name}
        )

    def rows():
        mapped = (
            (_("élément %(n)s") % {"n": index}, mapped_record(raw, config))
            for index, raw in enumerate(records, start=1)
            if isinstance(raw, dict)
        )
        return _rows(mapped, source=source, is_fictional=is_fictional)

    unit = Unit(name=path.name, total=len(records), rows=rows)
    unit.notes.append(
        _("colonnes du producteur lues avec %(config)s") % {"config": config_path.name}
    )
    return [unit]


def _csv_units(path: Path, *, source: str, is_fictional: bool) -> list[Unit]:
    if path.suffix.lower() == ".json":
        return _json_units(path, source=source, is_fictional=is_fictional)
    table = csv_open(path, delimiters=",;")
    missing = [name for name in ("id", "nom") if name not in table.header]
    if missing:
        raise ImportFileError(
            _(
                "Le fichier %(name)s n'a pas les colonnes du standard LaMednum "
                "(manque : %(missing)s)."
            )
            % {"name": path.name, "missing": values_text(missing)}
        )

    def rows():
        records = ((_("ligne %(n)s") % {"n": line}, values) for line, values in table.rows())
        return _rows(records, source=source, is_fictional=is_fictional)

    return [Unit(name=path.name, total=table.total, rows=rows)]


def units(paths: list[Path], *, source: str, is_fictional: bool = False) -> list:
    return per_file(paths, lambda path: _csv_units(path, source=source, is_fictional=is_fictional))
