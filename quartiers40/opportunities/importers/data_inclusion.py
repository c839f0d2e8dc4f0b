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

from data_inclusion.schema.v1 import Public as DIPublic
from data_inclusion.schema.v1 import Service, Structure
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
    file_check,
    plain_summary,
    quoted,
)
from .data_inclusion_records import (  # noqa: F401 - FORMAT, record_read: this format's API too
    FORMAT,
    _list,
    record_read,
)

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
