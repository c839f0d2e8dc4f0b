"""Our own spreadsheet template for an association: one row per opportunity and place.

French column headers (accents and case ignored), `;` or `,`, UTF-8 with or without BOM
or Windows-1252. Rows sharing an `identifiant` add places to the first one (their other
cells are not read). The columns, values and an example: docs/opportunities-import.md and
docs/examples/opportunites-modele.csv.
"""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from django.utils.translation import gettext as _

from ..enums import THEME_CODES, Cost, HowToGo, OpportunityKind, QPVPriority, Situation
from ..records import ImportedItem, PlaceInput, StructureRecord
from .base import (
    ImportFileError,
    Row,
    RowError,
    Unit,
    csv_open,
    date_read,
    decimal,
    https,
    normalise_name,
    per_file,
    plain_summary,
    point_read,
    quoted,
    values_text,
)

FORMAT = "csv"
REQUIRED = ("identifiant", "type", "titre", "description")
KINDS = {
    "formation": OpportunityKind.TRAINING,
    "emploi": OpportunityKind.JOB,
    "stage": OpportunityKind.INTERNSHIP,
    "alternance": OpportunityKind.INTERNSHIP,
    "atelier": OpportunityKind.WORKSHOP,
    "parrainage": OpportunityKind.MENTORING,
    "mentorat": OpportunityKind.MENTORING,
    "aide": OpportunityKind.HELP,
    "accompagnement": OpportunityKind.HELP,
}
COSTS = {"gratuit": Cost.FREE, "payant": Cost.PAID, "pris_en_charge": Cost.COVERED}
HOW = {
    "venir": HowToGo.COME,
    "telephoner": HowToGo.CALL,
    "ecrire": HowToGo.WRITE,
    "courriel": HowToGo.WRITE,
    "lien": HowToGo.LINK,
    "en_ligne": HowToGo.LINK,
    "professionnel": HowToGo.PROFESSIONAL,
}
QPV = {"": "", "tous": "", "priorite": QPVPriority.FIRST, "reserve": QPVPriority.ONLY}
SITUATIONS = {
    "demandeur_emploi": Situation.JOB_SEEKER,
    "rsa": Situation.RSA,
    "jeune": Situation.YOUNG,
    "etudiant": Situation.STUDENT,
    "salarie": Situation.EMPLOYED,
    "senior": Situation.SENIOR,
    "parent": Situation.PARENT,
    "femme": Situation.WOMAN,
    "handicap": Situation.DISABILITY,
    "refugie": Situation.REFUGEE,
}
YES = {"oui", "o", "yes", "1", "vrai", "x"}
NO = {"", "non", "n", "no", "0", "faux"}


def _list(value: str) -> list[str]:
    separator = "|" if "|" in value else ","
    return [part.strip() for part in value.split(separator) if part.strip()]


def _choice(row, name, table, errors, *, many=False):
    raw = row.get(name, "")
    values = _list(raw) if many else [raw]
    result = []
    for value in values:
        key = normalise_name(value)
        if key not in table:
            errors.append(
                _(
                    "« %(field)s » vaut %(value)s, valeur inconnue "
                    "(valeurs possibles : %(allowed)s)."
                )
                % {
                    "field": name,
                    "value": quoted(value),
                    "allowed": values_text(sorted(k.replace("_", "-") for k in table if k)),
                }
            )
        else:
            result.append(table[key])
    return result if many else (result[0] if result else None)


def _place(row: dict[str, str], notes: list[str]) -> PlaceInput | None:
    point = point_read(row.get("longitude"), row.get("latitude"))
    if point.note:
        notes.append(point.note)
    if point.error:
        notes.append(_("point ignoré : %(why)s") % {"why": point.error})
    place = PlaceInput(
        name=row.get("lieu", "")[:200],
        address=row.get("adresse", "")[:300],
        postcode=row.get("code_postal", "")[:5],
        commune_name=row.get("commune", "")[:200],
        longitude=point.longitude,
        latitude=point.latitude,
    )
    return place if place.located or place.geocoding_query else None


def row_item(
    row: dict[str, str], *, source: str, is_fictional: bool
) -> tuple[ImportedItem | None, list[str], list[str]]:
    notes: list[str] = []
    errors = [
        _("« %(field)s » manque : ce champ est obligatoire.") % {"field": name}
        for name in REQUIRED
        if not row.get(name)
    ]
    kind = _choice(row, "type", KINDS, errors) if row.get("type") else None
    cost = _choice(row, "cout", COSTS, errors) if row.get("cout") else Cost.FREE
    how = _choice(row, "comment_s_inscrire", HOW, errors, many=True)
    situations = _choice(row, "pour_qui", SITUATIONS, errors, many=True)
    qpv = _choice(row, "habitants_qpv", QPV, errors)
    themes = _list(row.get("thematiques", ""))
    unknown = [theme for theme in themes if theme not in THEME_CODES]
    if unknown:
        errors.append(
            _("« thematiques » vaut %(value)s, thématique data·inclusion inconnue.")
            % {"value": quoted(values_text(unknown))}
        )
    remote = normalise_name(row.get("a_distance", ""))
    if remote not in YES | NO:
        errors.append(
            _("« a_distance » vaut %(value)s : répondez oui ou non.")
            % {"value": quoted(row["a_distance"])}
        )
    dates = {}
    for name in ("date_debut", "date_fin", "date_limite"):
        try:
            dates[name] = date_read(row.get(name))
        except ValueError:
            errors.append(
                _("« %(field)s » vaut %(value)s : date illisible (JJ/MM/AAAA).")
                % {"field": name, "value": quoted(row[name])}
            )
    numbers = {}
    for name in ("places_disponibles", "age_min", "age_max"):
        try:
            number = decimal(row.get(name))
        except ValueError:
            number = -1
        if number is not None and (number < 0 or not float(number).is_integer()):
            errors.append(
                _("« %(field)s » vaut %(value)s : il faut un nombre entier.")
                % {"field": name, "value": quoted(row[name])}
            )
        else:
            numbers[name] = int(number) if number is not None else None
    if errors:
        return None, notes, errors
    description = row["description"]
    place = _place(row, notes)
    structure = None
    if row.get("structure"):
        structure = StructureRecord(
            source=source,
            source_id=normalise_name(row["structure"])[:300],
            name=row["structure"][:300],
        )
    fields = {
        "kind": kind,
        "title": row["titre"][:200],
        "summary": plain_summary(row.get("resume") or description),
        "description": description[:20000],
        "themes": themes,
        "is_remote": remote in YES,
        "starts_on": dates.get("date_debut"),
        "ends_on": dates.get("date_fin"),
        "deadline": dates.get("date_limite"),
        "opening_hours": row.get("horaires", "")[:500],
        "cost": cost,
        "cost_details": row.get("precisions_cout", "")[:500],
        "how_to_go": list(dict.fromkeys(how)),
        "application_url": https(row.get("lien_inscription", ""))[:500],
        "contact_phone": row.get("telephone", "")[:40],
        "contact_email": row.get("courriel", "")[:254],
        "seats": numbers.get("places_disponibles"),
        "qpv_priority": qpv or "",
        "age_min": numbers.get("age_min"),
        "age_max": numbers.get("age_max"),
        "situations": sorted(set(situations)),
    }
    item = ImportedItem(
        source=source,
        source_id=row["identifiant"][:300],
        structure=structure,
        fields=fields,
        places=(place,) if place else (),
        is_fictional=is_fictional,
    )
    return item, notes, []


def _units(path: Path, *, source: str, is_fictional: bool) -> list[Unit]:
    table = csv_open(path)
    names = {normalise_name(name): name for name in table.header}
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ImportFileError(
            _(
                "Le fichier %(name)s n'a pas les colonnes du modèle (manque : %(missing)s). "
                "Voyez docs/examples/opportunites-modele.csv."
            )
            % {"name": path.name, "missing": values_text(missing)}
        )

    def rows() -> Iterator[Row]:
        # Rows with the same identifiant add places: an item is complete at the file's end.
        # Kept in order; the file is bounded (OPPORTUNITIES_IMPORT_MAX_BYTES).
        pending: dict[str, tuple[str, ImportedItem, list[str]]] = {}
        failed: set[str] = set()
        for line, values in table.rows():
            row = {normalise_name(key): value for key, value in values.items()}
            where = _("ligne %(n)s") % {"n": line}
            identifier = row.get("identifiant", "")
            if identifier and identifier in pending:
                notes: list[str] = []
                place = _place(row, notes)
                first_where, item, first_notes = pending[identifier]
                if place and place not in item.places:
                    pending[identifier] = (
                        first_where,
                        replace(item, places=(*item.places, place)),
                        first_notes + [f"{where} : {note}" for note in notes],
                    )
                continue
            if identifier in failed:
                continue
            item, notes, errors = row_item(row, source=source, is_fictional=is_fictional)
            if errors or item is None:
                failed.add(identifier)
                yield Row(
                    where, error=RowError(where, " ".join(errors), identifier), notes=tuple(notes)
                )
                continue
            pending[identifier] = (where, item, notes)
        for where, item, notes in pending.values():
            yield Row(where, item=item, notes=tuple(notes))

    return [Unit(name=path.name, total=table.total, rows=rows)]


def units(paths: list[Path], *, source: str, is_fictional: bool = False) -> list:
    return per_file(paths, lambda path: _units(path, source=source, is_fictional=is_fictional))
