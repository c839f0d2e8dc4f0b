"""data·inclusion schema v1: structures and services, as JSON, API pages or CSV.

Each record is validated with the pinned `data-inclusion-schema` package
(`data_inclusion.schema.v1.Structure` / `Service`); v0 records (`profils`, `types`,
`zone_diffusion_*`, five `frais` values) are converted where it is safe, and the row says
what was converted. `service_item` maps a valid service (and its structure) to an
`ImportedItem`; the API refresh (`tasks.py`) uses it too. See docs/opportunities-import.md.
"""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pydantic
from data_inclusion.schema.v1 import Frais as DIFrais
from data_inclusion.schema.v1 import Public as DIPublic
from data_inclusion.schema.v1 import Service, Structure, TypeService
from django.utils.translation import gettext as _

from ..enums import (
    DI_TO_HOW_TO_GO,
    DI_TYPE_TO_KIND,
    PUBLIC_TO_SITUATION,
    Cost,
    HowToGo,
    OpportunityKind,
    QPVPriority,
)
from ..records import ImportedItem, PlaceInput, StructureRecord
from .base import (
    ImportFileError,
    Row,
    RowError,
    Unit,
    csv_open,
    decimal,
    file_check,
    plain_summary,
    point_read,
    quoted,
    values_text,
)

FORMAT = "data-inclusion"
LIST_FIELDS = {
    "thematiques",
    "publics",
    "modes_accueil",
    "modes_mobilisation",
    "mobilisable_par",
    "zone_eligibilite",
    "reseaux_porteurs",
    # v0
    "profils",
    "types",
    "frais",
    "modes_orientation_beneficiaire",
    "modes_orientation_accompagnateur",
}
NUMBER_FIELDS = {"longitude", "latitude", "volume_horaire_hebdomadaire"}
V0_FIELDS = {"profils", "types", "zone_diffusion_type", "zone_diffusion_code"}
V0_FRAIS = {
    "gratuit": ("gratuit", ""),
    "gratuit-sous-conditions": ("gratuit", "Gratuit sous conditions"),
    "payant": ("payant", ""),
    "adhesion": ("payant", "Adhésion demandée"),
    "pass-numerique": ("payant", "Pass numérique accepté"),
}
# v0 `profils` with a clear v1 `publics` equivalent; the others are kept as text.
V0_PROFIL_TO_PUBLIC = {
    "tous-publics": "tous-publics",
    "seniors-65": "seniors",
    "retraites": "seniors",
    "familles-enfants": "familles",
    "jeunes": "jeunes",
    "jeunes-16-26": "jeunes",
    "femmes": "femmes",
    "etudiants": "etudiants",
    "demandeurs-demploi": "demandeurs-emploi",
    "beneficiaires-rsa": "beneficiaires-des-minimas-sociaux",
    "beneficiaires-des-minimas-sociaux": "beneficiaires-des-minimas-sociaux",
    "personnes-handicapees": "personnes-en-situation-de-handicap",
    "handicaps-psychiques": "personnes-en-situation-de-handicap",
    "handicaps-mentaux": "personnes-en-situation-de-handicap",
    "deficience-visuelle": "personnes-en-situation-de-handicap",
    "surdite": "personnes-en-situation-de-handicap",
    "salaries": "actifs",
    "sans-domicile-fixe": "personnes-en-situation-durgence",
    "victimes": "personnes-en-situation-durgence",
    "personnes-de-nationalite-etrangere": "personnes-exilees",
    "sortants-de-detention": "personnes-en-situation-juridique-specifique",
    "habitants-qpv": "residents-qpv-frr",
    "residents-qpv-frr": "residents-qpv-frr",
}
V1_TYPES = {member.value for member in TypeService}
V1_FRAIS = {member.value for member in DIFrais}


# --- Records: normalised, v0 converted, validated ---------------------------------------


def _list(value: Any) -> Any:
    """A list cell of a CSV file: a JSON array, a PostgreSQL array, or `a,b` / `a|b`."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if text.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    separator = "|" if "|" in text else ","
    return [part.strip().strip('"') for part in text.split(separator) if part.strip()]


def _normalise(raw: dict[str, Any], *, from_csv: bool) -> dict[str, Any]:
    """Empty values are absent; list cells are lists; numbers may use a decimal comma."""
    record: dict[str, Any] = {}
    for key, value in raw.items():
        if key is None:
            continue
        key = key.strip()
        if isinstance(value, str):
            value = value.strip()
        if from_csv and key in LIST_FIELDS:
            value = _list(value)
        if value in ("", [], None):
            continue
        record[key] = value
    return record


def _v0_convert(record: dict[str, Any]) -> tuple[list[str], str]:
    """Convert a v0 record in place; (notes, refusal). A refusal means the row is an error."""
    notes: list[str] = []
    frais = record.get("frais")
    frais_values = frais if isinstance(frais, list) else ([frais] if frais else [])
    is_v0 = bool(V0_FIELDS & record.keys()) or isinstance(frais, list)
    if not is_v0:
        return notes, ""
    notes.append(_("enregistrement au format data·inclusion v0, converti en v1"))
    if "types" in record:
        types = record.pop("types")
        types = types if isinstance(types, list) else [types]
        known = [value for value in types if value in V1_TYPES]
        if not known:
            return notes, _(
                "« types » vaut %(value)s : c'est un fichier de la version 0 du schéma, et "
                "aucun de ces types n'existe en version 1 (%(allowed)s)."
            ) % {"value": quoted(values_text(types)), "allowed": values_text(sorted(V1_TYPES))}
        record.setdefault("type", known[0])
        notes.append(_("types → type « %(value)s »") % {"value": known[0]})
    if frais_values:
        if any(value not in V0_FRAIS for value in frais_values):
            unknown = [value for value in frais_values if value not in V0_FRAIS]
            return notes, _(
                "« frais » vaut %(value)s : valeur inconnue, même en version 0 du schéma."
            ) % {"value": quoted(values_text(unknown))}
        converted = [V0_FRAIS[value] for value in frais_values]
        record["frais"] = "gratuit" if any(v == "gratuit" for v, _p in converted) else "payant"
        precisions = [p for _v, p in converted if p]
        if precisions and not record.get("frais_precisions"):
            record["frais_precisions"] = " ; ".join(precisions)
        notes.append(
            _("frais %(old)s → « %(new)s »")
            % {"old": quoted(values_text(frais_values)), "new": record["frais"]}
        )
    if "profils" in record:
        profils = record.pop("profils")
        profils = profils if isinstance(profils, list) else [profils]
        publics = sorted({V0_PROFIL_TO_PUBLIC[p] for p in profils if p in V0_PROFIL_TO_PUBLIC})
        if len(publics) > 1 and "tous-publics" in publics:
            publics.remove("tous-publics")
        left = [p for p in profils if p not in V0_PROFIL_TO_PUBLIC]
        if publics and "publics" not in record:
            record["publics"] = publics
            notes.append(_("profils → publics %(value)s") % {"value": quoted(values_text(publics))})
        if left:
            text = values_text(left)
            record["publics_precisions"] = (
                f"{record['publics_precisions']} ; {text}"
                if record.get("publics_precisions")
                else text
            )
            notes.append(
                _("profils sans équivalent gardés en précisions : %(value)s") % {"value": text}
            )
    zone_type = record.pop("zone_diffusion_type", None)
    zone_code = record.pop("zone_diffusion_code", None)
    if zone_type and "zone_eligibilite" not in record:
        if zone_type == "pays":
            record["zone_eligibilite"] = ["france"]
        elif zone_type in {"commune", "departement", "epci"} and zone_code:
            record["zone_eligibilite"] = [str(zone_code)]
        else:
            notes.append(
                _("zone_diffusion de type « %(type)s » non convertie (pas d'équivalent sûr)")
                % {"type": zone_type}
            )
        if "zone_eligibilite" in record:
            notes.append(
                _("zone_diffusion → zone_eligibilite %(value)s")
                % {"value": quoted(values_text(record["zone_eligibilite"]))}
            )
    return notes, ""


def _field_label(loc: tuple) -> str:
    return str(loc[0]) if loc else "?"


def validation_messages(error: pydantic.ValidationError) -> list[str]:
    """The schema's errors, one French sentence per field."""
    messages: dict[tuple, str] = {}
    for detail in error.errors(include_url=False):
        loc = detail.get("loc") or ()
        name = _field_label(loc)
        key = tuple(part for part in loc[:2] if isinstance(part, str | int))
        if key in messages:
            continue
        kind = detail.get("type", "")
        ctx = detail.get("ctx") or {}
        value = detail.get("input")
        if kind == "missing":
            text = _("« %(field)s » manque : ce champ est obligatoire.") % {"field": name}
        elif kind == "enum":
            text = _(
                "« %(field)s » vaut %(value)s, valeur inconnue (valeurs possibles : %(allowed)s)."
            ) % {
                "field": name,
                "value": quoted(value),
                "allowed": str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", "),
            }
            if name == "frais" and value in V0_FRAIS:
                text += " " + _("C'est une valeur de la version 0 du schéma.")
        elif kind == "string_too_short":
            text = _("« %(field)s » est trop court (%(min)s caractères au moins).") % {
                "field": name,
                "min": ctx.get("min_length"),
            }
        elif kind == "string_too_long":
            text = _("« %(field)s » est trop long (%(max)s caractères au plus).") % {
                "field": name,
                "max": ctx.get("max_length"),
            }
        elif kind.startswith("url"):
            text = _("« %(field)s » vaut %(value)s : ce n'est pas une adresse web valide.") % {
                "field": name,
                "value": quoted(value),
            }
        elif kind in {"value_error", "assertion_error", "avertissement"}:
            text = _("« %(field)s » : %(message)s") % {
                "field": name,
                "message": str(detail.get("msg", "")).removeprefix("Value error, "),
            }
        elif kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
            bound = next(iter(ctx.values()), "")
            text = (
                _("« %(field)s » vaut %(value)s : il faut au moins %(bound)s.")
                if kind.startswith("greater")
                else _("« %(field)s » vaut %(value)s : il faut au plus %(bound)s.")
            ) % {"field": name, "value": quoted(_number_text(value)), "bound": bound}
        elif kind in {"float_parsing", "int_parsing", "int_from_float", "float_type", "int_type"}:
            text = _("« %(field)s » vaut %(value)s : ce n'est pas un nombre entier ou décimal.") % {
                "field": name,
                "value": quoted(value),
            }
        elif kind in {"too_short", "list_type", "set_type"}:
            text = _("« %(field)s » doit être une liste d'au moins une valeur.") % {"field": name}
        elif kind.startswith(("date", "datetime")):
            text = _("« %(field)s » vaut %(value)s : date illisible (format AAAA-MM-JJ).") % {
                "field": name,
                "value": quoted(value),
            }
        elif kind in {"string_pattern_mismatch", "literal_error"} or len(loc) > 2:
            text = _("« %(field)s » vaut %(value)s : format inconnu.") % {
                "field": name,
                "value": quoted(value),
            }
        else:
            text = _("« %(field)s » vaut %(value)s : %(message)s") % {
                "field": name,
                "value": quoted(value),
                "message": detail.get("msg", ""),
            }
        messages[key] = text
    return list(messages.values())


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def record_kind(record: dict[str, Any]) -> str:
    return "service" if "structure_id" in record else "structure"


def record_read(raw: dict[str, Any], *, from_csv: bool = False):
    """(model or None, notes, errors): one data·inclusion record, checked and converted."""
    if not isinstance(raw, dict):
        return None, [], [_("cet élément n'est pas un objet JSON.")]
    record = _normalise(raw, from_csv=from_csv)
    notes, refusal = _v0_convert(record)
    if refusal:
        return None, notes, [refusal]
    errors: list[str] = []
    for name in ("volume_horaire_hebdomadaire", "nombre_semaines"):
        if name in record:
            try:
                if not isinstance(record[name], int | float):
                    record[name] = decimal(record[name])
            except ValueError:
                errors.append(
                    _("« %(field)s » vaut %(value)s : ce n'est pas un nombre.")
                    % {"field": name, "value": quoted(record[name])}
                )
    if "longitude" in record or "latitude" in record:
        point = point_read(record.pop("longitude", None), record.pop("latitude", None))
        if point.note:
            notes.append(point.note)
        if point.error:
            notes.append(_("point ignoré : %(why)s") % {"why": point.error})
        if point.longitude is not None:
            record["longitude"], record["latitude"] = point.longitude, point.latitude
    if errors:
        return None, notes, errors
    model = Service if record_kind(record) == "service" else Structure
    try:
        return model.model_validate(record), notes, []
    except pydantic.ValidationError as error:
        return None, notes, validation_messages(error)


# --- Mapping to our vocabulary ----------------------------------------------------------


def structure_record(structure: Structure, *, source: str) -> StructureRecord:
    return StructureRecord(
        source=source,
        source_id=structure.id,
        name=structure.nom,
        siret=structure.siret or "",
        website=str(structure.site_web or ""),
        source_url=str(structure.lien_source or ""),
        phone=structure.telephone or "",
        email=structure.courriel or "",
        address=structure.adresse or "",
        postcode=structure.code_postal or "",
        commune_code=structure.code_insee or "",
        commune_name=structure.commune or "",
        longitude=structure.longitude,
        latitude=structure.latitude,
        description=structure.description or "",
        opening_hours=structure.horaires_accueil or "",
        accessibility_url=str(structure.accessibilite_lieu or ""),
        updated_on=structure.date_maj,
    )


def _join(*parts: str | None) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def service_item(
    service: Service, structure: Structure | None, *, source: str, is_fictional: bool = False
) -> ImportedItem:
    """A valid v1 service (and its structure) as an item of ours. See the mapping table."""
    publics = {public.value for public in service.publics or ()}
    modes = {mode.value for mode in service.modes_accueil or ()}
    by = {who.value for who in service.mobilisable_par or ()}
    how_to_go = [
        DI_TO_HOW_TO_GO[mode.value]
        for mode in sorted(service.modes_mobilisation or (), key=lambda mode: mode.value)
        if mode.value in DI_TO_HOW_TO_GO
    ]
    if by == {"professionnels"}:
        how_to_go = [HowToGo.PROFESSIONAL]
    frais = service.frais.value if service.frais else None
    description = service.description.strip()
    place_wanted = "en-presentiel" in modes or not modes
    places: tuple[PlaceInput, ...] = ()
    if place_wanted:
        own = service.adresse or service.code_insee or service.longitude is not None
        where = service if own or structure is None else structure
        place = PlaceInput(
            name=(structure.nom if structure else "")[:200],
            address=where.adresse or "",
            address_details=where.complement_adresse or "",
            postcode=where.code_postal or "",
            commune_code=where.code_insee or "",
            commune_name=where.commune or "",
            longitude=where.longitude,
            latitude=where.latitude,
        )
        if place.located or place.geocoding_query:
            places = (place,)
    fields: dict[str, Any] = {
        "kind": DI_TYPE_TO_KIND.get(service.type.value, OpportunityKind.HELP)
        if service.type
        else OpportunityKind.HELP,
        "title": service.nom[:200],
        "summary": plain_summary(description),
        "description": description[:20000],
        "themes": sorted(theme.value for theme in service.thematiques or ()),
        "is_remote": "a-distance" in modes,
        "opening_hours": (
            service.horaires_accueil or (structure and structure.horaires_accueil) or ""
        )[:500],
        "cost": Cost.PAID if frais == "payant" else Cost.FREE,
        "cost_details": (service.frais_precisions or "")[:500],
        "how_to_go": how_to_go,
        "application_url": str(service.lien_mobilisation or "")[:500],
        "contact_phone": (service.telephone or (structure and structure.telephone) or "")[:40],
        "contact_email": service.courriel or (structure and structure.courriel) or "",
        # residents-qpv-frr first: it is the one public we have a field of our own for.
        "qpv_priority": QPVPriority.FIRST if DIPublic.RESIDENTS_QPV_FRR.value in publics else "",
        "situations": sorted(
            {PUBLIC_TO_SITUATION[public] for public in publics if public in PUBLIC_TO_SITUATION}
        ),
        "eligibility_details": (service.publics_precisions or "")[:2000],
        "access_conditions": _join(service.conditions_acces, service.mobilisation_precisions)[
            :2000
        ],
        "accessibility_url": str((structure and structure.accessibilite_lieu) or "")[:500],
        "eligibility_zone": [code for code in service.zone_eligibilite or () if code][:200],
        "source_url": str(service.lien_source or "")[:500],
        "source_updated_on": service.date_maj,
        "hours_per_week": service.volume_horaire_hebdomadaire,
        "weeks": service.nombre_semaines,
    }
    return ImportedItem(
        source=source,
        source_id=service.id,
        structure=structure_record(structure, source=source) if structure else None,
        fields=fields,
        places=places,
        is_fictional=is_fictional,
    )


# --- Files ------------------------------------------------------------------------------


def _json_records(path: Path) -> list[Any]:
    file_check(path)
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFileError(
            _("Le fichier %(name)s n'est pas un JSON lisible : %(error)s")
            % {"name": path.name, "error": error}
        ) from error
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return data["items"]
    if isinstance(data, list):
        return data
    raise ImportFileError(
        _(
            "Le fichier %(name)s n'est ni une liste JSON, ni une page de l'API data·inclusion "
            '({"items": [...]}).'
        )
        % {"name": path.name}
    )


class _File:
    """One file of records (JSON or CSV), with its kind (structures or services)."""

    def __init__(self, path: Path):
        self.path = path
        self.is_csv = path.suffix.lower() in {".csv", ".txt"}
        if self.is_csv:
            self.csv = csv_open(path)
            names = set(self.csv.header)
            self.total = self.csv.total
            self.records_list: list[Any] | None = None
        else:
            self.records_list = _json_records(path)
            first = next((r for r in self.records_list if isinstance(r, dict)), {})
            names = set(first)
            self.total = len(self.records_list)
        if "structure_id" in names:
            self.kind = "service"
        elif {"id", "nom"} <= names or not names:
            self.kind = "structure"
        else:
            raise ImportFileError(
                _(
                    "Le fichier %(name)s ne ressemble ni à des structures ni à des services "
                    "data·inclusion (il faut au moins les colonnes id et nom)."
                )
                % {"name": path.name}
            )

    def records(self) -> Iterator[tuple[str, dict[str, Any] | Any]]:
        if self.is_csv:
            for line, values in self.csv.rows():
                yield _("ligne %(n)s") % {"n": line}, values
        else:
            assert self.records_list is not None
            for index, record in enumerate(self.records_list, start=1):
                yield _("élément %(n)s") % {"n": index}, record


def _raw_id(raw: Any) -> str:
    return str(raw.get("id") or "").strip() if isinstance(raw, dict) else ""


def units(paths: Iterable[Path], *, source: str, is_fictional: bool = False) -> list[Unit]:
    """Structures files are read first (whatever their order), then each services file."""
    files = [_File(path) for path in paths]
    structures: dict[str, Structure] = {}
    refused: dict[str, str] = {}  # structure id -> where it failed
    structure_units: list[Unit] = []
    for file in files:
        if file.kind != "structure":
            continue
        structure_notes: list[str] = []
        structure_errors: list[RowError] = []
        for where, raw in file.records():
            model, notes, errors = record_read(raw, from_csv=file.is_csv)
            identifier = _raw_id(raw)
            if errors or model is None:
                structure_errors.append(RowError(where, " ".join(errors)))
                if identifier:
                    refused[identifier] = f"{file.path.name}, {where}"
                continue
            if model.id in structures:
                structure_errors.append(
                    RowError(
                        where,
                        _("la structure %(id)s apparaît deux fois ; seule la première est gardée.")
                        % {"id": quoted(model.id)},
                    )
                )
                continue
            structures[model.id] = model
            structure_notes.extend(f"{where} : {note}" for note in notes)
        structure_units.append(
            Unit(
                name=file.path.name,
                total=len(structure_errors),
                rows=lambda errors=tuple(structure_errors): (
                    Row(error.where, error=error) for error in errors
                ),
                notes=structure_notes,
            )
        )

    service_files = [file for file in files if file.kind == "service"]
    if not service_files:
        raise ImportFileError(
            _(
                "Aucun fichier de services data·inclusion : donnez le fichier des services "
                "(avec la colonne structure_id), avec celui des structures."
            )
        )

    def rows_of(file: _File) -> Iterator[Row]:
        seen: set[str] = set()
        for where, raw in file.records():
            identifier = _raw_id(raw)
            model, notes, errors = record_read(raw, from_csv=file.is_csv)
            if not errors and model is not None and model.id in seen:
                errors = [
                    _(
                        "l'identifiant %(id)s apparaît deux fois dans le fichier ; "
                        "cette ligne est ignorée."
                    )
                    % {"id": quoted(model.id)}
                ]
                identifier = ""  # the first one stands
            if not errors and model is not None:
                structure = structures.get(model.structure_id)
                if structure is None:
                    if model.structure_id in refused:
                        errors = [
                            _("sa structure %(id)s est en erreur (%(where)s).")
                            % {
                                "id": quoted(model.structure_id),
                                "where": refused[model.structure_id],
                            }
                        ]
                    else:
                        errors = [
                            _("sa structure %(id)s ne se trouve dans aucun fichier de structures.")
                            % {"id": quoted(model.structure_id)}
                        ]
            if errors or model is None:
                yield Row(
                    where,
                    error=RowError(where, " ".join(errors), source_id=identifier),
                    notes=tuple(notes),
                )
                continue
            seen.add(model.id)
            item = service_item(
                model, structures[model.structure_id], source=source, is_fictional=is_fictional
            )
            yield Row(where, item=item, notes=tuple(notes))

    return structure_units + [
        Unit(name=file.path.name, total=file.total, rows=lambda file=file: rows_of(file))
        for file in service_files
    ]
