"""data·inclusion records read one by one: normalised (CSV lists, comma decimals, Lambert-93),
v0 converted or refused, validated with the pinned schema package, errors said in French."""

import json
from typing import Any

import pydantic
from data_inclusion.schema.v1 import Frais as DIFrais
from data_inclusion.schema.v1 import Service, Structure, TypeService
from django.utils.translation import gettext as _

from .base import (
    decimal,
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
