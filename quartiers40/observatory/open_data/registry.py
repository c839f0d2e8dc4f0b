"""Every open dataset of the platform, in one list: what the catalogue page, the ZIP and the
DCAT-AP catalogue describe.

A dataset is a title and a description in French, its Table Schema (a JSON file under
`docs/schemas/`, served at `/donnees-ouvertes/schemas/<file>`), the topics whose changes
change it (`core.pagecache`), the column of its rows that says when each one last changed,
and its distributions: one per format, each with the address it is downloaded from and the
*builder* that writes the file. The builder calls the owning app's export (`<app>/exports.py`,
or this package's `organisations.py` and `meetings.py` for the datasets that had none), the
same function its download address calls: a file in the ZIP is byte for byte the file at its
address, and its size is the size of what a harvester downloads (a test keeps them equal).

Every dataset is under the Licence Ouverte 2.0 (Etalab-2.0).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from quartiers40.challenges import exports as challenge_exports
from quartiers40.opportunities import exports as opportunity_exports
from quartiers40.projects import exports as project_exports

from . import figures, meetings, organisations

LICENCE = {
    "title": "Licence Ouverte / Open Licence version 2.0",
    "spdx": "etalab-2.0",
    # The address data.gouv.fr knows the licence by (its `lov2`).
    "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
}
DATA_INCLUSION_SCHEMA_URL = "https://github.com/gip-inclusion/data-inclusion-schema"

CSV = "text/csv; charset=utf-8"
JSON = "application/json"
GEOJSON = "application/geo+json"


def json_text(payload) -> str:
    """A JSON file as every export address writes it (UTF-8 as is, no spaces)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Format:
    key: str  # "csv", "json", "geojson"
    label: str  # what a person reads: "CSV"
    media_type: str  # the IANA type, without parameters
    content_type: str  # the HTTP header
    eu_file_type: str  # the EU vocabulary's code (DCAT-AP's dct:format)


FORMATS = {
    "csv": Format("csv", "CSV", "text/csv", CSV, "CSV"),
    "json": Format("json", "JSON", "application/json", JSON, "JSON"),
    "geojson": Format("geojson", "GeoJSON", "application/geo+json", GEOJSON, "GEOJSON"),
}


@dataclass(frozen=True)
class Distribution:
    key: str  # unique within its dataset: "csv", "data-inclusion-services"
    format: Format
    url_name: str  # reversed for its download address
    filename: str  # its name in the ZIP and in Content-Disposition
    build: Callable[[], str]
    label: str | Promise = ""  # beside the format's label when a dataset has two of a format
    conforms_to: str = ""  # an outside schema (data·inclusion); else the dataset's own

    @property
    def title(self) -> str:
        return f"{self.format.label} ({self.label})" if self.label else self.format.label


@dataclass(frozen=True)
class Dataset:
    key: str  # stable: the DCAT identifier, the anchor on the page, the names in the ZIP
    title: str | Promise
    description: str | Promise
    schema_path: str  # docs/schemas/…
    modified_column: str  # in the JSON rows: when each one last changed
    topics: tuple[str, ...]  # the page-cache topics whose changes change it
    keywords: tuple[str, ...]
    distributions: tuple[Distribution, ...] = field(default=())

    @property
    def schema_name(self) -> str:
        return Path(self.schema_path).name

    def distribution(self, key: str) -> Distribution:
        return next(item for item in self.distributions if item.key == key)


def _three(
    stem: str,
    *,
    csv: Callable[[], str],
    rows: Callable[[], object],
    geojson: Callable[[], object] | None,
    url_names: tuple[str, str, str | None],
) -> tuple[Distribution, ...]:
    """CSV always, JSON, and GeoJSON where the items have a place."""
    items = [
        Distribution("csv", FORMATS["csv"], url_names[0], f"{stem}.csv", csv),
        Distribution(
            "json", FORMATS["json"], url_names[1], f"{stem}.json", lambda: json_text(rows())
        ),
    ]
    if geojson is not None and url_names[2]:
        items.append(
            Distribution(
                "geojson",
                FORMATS["geojson"],
                url_names[2],
                f"{stem}.geojson",
                lambda: json_text(geojson()),
            )
        )
    return tuple(items)


def _projects() -> Dataset:
    published = project_exports.published_projects
    return Dataset(
        key="projets",
        title=_("Projets d'IA dans les quartiers prioritaires"),
        description=_(
            "Les projets d'intelligence artificielle publiés par les membres du collectif : "
            "ce qu'ils font, pour qui, leur étape, leurs quartiers prioritaires et leur "
            "organisation porteuse. Ni les personnes qui les écrivent, ni leurs adresses."
        ),
        schema_path=project_exports.SCHEMA_PATH,
        modified_column="last_updated_at",
        topics=("projects", "members", "territories"),
        keywords=("intelligence artificielle", "politique de la ville", "QPV", "projets"),
        distributions=_three(
            "projets",
            csv=lambda: project_exports.projects_csv(published()),
            rows=lambda: project_exports.projects_json(published()),
            geojson=lambda: project_exports.projects_geojson(published()),
            url_names=(
                "api:project_export_csv",
                "api:project_export_json",
                "api:project_export_geojson",
            ),
        ),
    )


def _challenges() -> Dataset:
    published = challenge_exports.public_challenges
    return Dataset(
        key="defis",
        title=_("Défis des quartiers prioritaires"),
        description=_(
            "Les besoins des quartiers prioritaires, postés par leurs habitants, leurs "
            "associations et leurs collectivités : la situation, qui est concerné, le statut "
            "et ce qui a été fait. Jamais le nom d'un habitant."
        ),
        schema_path=challenge_exports.SCHEMA_PATH,
        modified_column="updated_at",
        topics=("challenges", "projects", "members", "territories"),
        keywords=("politique de la ville", "QPV", "besoins", "défis"),
        distributions=_three(
            "defis",
            csv=lambda: challenge_exports.challenges_csv(published()),
            rows=lambda: challenge_exports.challenges_json(published()),
            geojson=lambda: challenge_exports.challenges_geojson(published()),
            url_names=(
                "api:challenge_export_csv",
                "api:challenge_export_json",
                "api:challenge_export_geojson",
            ),
        ),
    )


def _opportunities() -> Dataset:
    published = opportunity_exports.published_opportunities
    return Dataset(
        key="opportunites",
        title=_("Opportunités pour les habitants"),
        description=_(
            "Formations, emplois, stages et alternances, ateliers, mentorat et aides près des "
            "quartiers prioritaires : pour qui, où, quand, à quel coût. Aussi au format "
            "data·inclusion (structures et services de nos membres)."
        ),
        schema_path=opportunity_exports.SCHEMA_PATH,
        modified_column="last_updated_at",
        topics=("opportunities", "members", "territories"),
        keywords=("inclusion", "emploi", "formation", "QPV", "data·inclusion"),
        distributions=(
            *_three(
                "opportunites",
                csv=lambda: opportunity_exports.opportunities_csv(published()),
                rows=lambda: opportunity_exports.opportunities_json(published()),
                geojson=lambda: opportunity_exports.opportunities_geojson(published()),
                url_names=(
                    "opportunities_open_data:export_csv",
                    "opportunities_open_data:export_json",
                    "opportunities_open_data:export_geojson",
                ),
            ),
            Distribution(
                "data-inclusion-structures",
                FORMATS["json"],
                "opportunities_open_data:data_inclusion_structures",
                "opportunites-data-inclusion-structures.json",
                lambda: json_text(
                    opportunity_exports.di_structures(list(opportunity_exports.di_opportunities()))
                ),
                label=_("data·inclusion, structures"),
                conforms_to=DATA_INCLUSION_SCHEMA_URL,
            ),
            Distribution(
                "data-inclusion-services",
                FORMATS["json"],
                "opportunities_open_data:data_inclusion_services",
                "opportunites-data-inclusion-services.json",
                lambda: json_text(
                    opportunity_exports.di_services(opportunity_exports.di_opportunities())
                ),
                label=_("data·inclusion, services"),
                conforms_to=DATA_INCLUSION_SCHEMA_URL,
            ),
        ),
    )


def _editions() -> Dataset:
    published = meetings.public_editions
    return Dataset(
        key="rencontres",
        title=_("Rencontres : les éditions"),
        description=_(
            "Les éditions publiques du petit déj de l'IA et des rencontres locales : quand, "
            "où, sous quel format, leur ordre du jour et leur compte rendu une fois publié. "
            "Ni les inscrits, ni le lien de connexion."
        ),
        schema_path=meetings.EDITIONS_SCHEMA_PATH,
        modified_column="updated_at",
        topics=("meetings", "members"),
        keywords=("rencontres", "petit déj de l'IA", "intelligence artificielle"),
        distributions=_three(
            "rencontres",
            csv=lambda: meetings.editions_csv(published()),
            rows=lambda: meetings.editions_json(published()),
            geojson=None,
            url_names=("open_data:editions_csv", "open_data:editions_json", None),
        ),
    )


def _action_items() -> Dataset:
    published = meetings.public_action_items
    return Dataset(
        key="actions-de-suivi",
        title=_("Rencontres : les actions de suivi"),
        description=_(
            "Les décisions prises aux rencontres : quoi, qui s'en charge, pour quand, où en "
            "est-on. Le nom d'une personne seulement si son profil est public."
        ),
        schema_path=meetings.ACTION_ITEMS_SCHEMA_PATH,
        modified_column="updated_at",
        topics=("meetings", "members", "projects", "challenges"),
        keywords=("rencontres", "actions", "suivi"),
        distributions=_three(
            "actions-de-suivi",
            csv=lambda: meetings.action_items_csv(published()),
            rows=lambda: meetings.action_items_json(published()),
            geojson=None,
            url_names=("open_data:action_items_csv", "open_data:action_items_json", None),
        ),
    )


def _organisations() -> Dataset:
    published = organisations.public_organisations
    return Dataset(
        key="organisations",
        title=_("Organisations membres du collectif"),
        description=_(
            "Les collectivités, entreprises, associations, laboratoires, start-up et "
            "collectifs d'habitants membres de Quartiers 4.0 : leur type, leur commune et les "
            "quartiers prioritaires où elles agissent. Ni leurs membres, ni leurs coordonnées."
        ),
        schema_path=organisations.SCHEMA_PATH,
        modified_column="updated_at",
        topics=("members", "territories"),
        keywords=("organisations", "collectif", "QPV"),
        distributions=_three(
            "organisations",
            csv=lambda: organisations.organisations_csv(published()),
            rows=lambda: organisations.organisations_json(published()),
            geojson=lambda: organisations.organisations_geojson(published()),
            url_names=(
                "open_data:organisations_csv",
                "open_data:organisations_json",
                "open_data:organisations_geojson",
            ),
        ),
    )


def _observatory_figures() -> Dataset:
    return Dataset(
        key="observatoire-qpv-trimestre",
        title=_("Chiffres de l'observatoire par quartier prioritaire et par trimestre"),
        description=_(
            "Ce que l'IA apporte à chaque quartier prioritaire, trimestre par trimestre : "
            "membres qui y agissent, projets, défis et leur résolution, opportunités et "
            "intérêts reçus, rencontres et participation, actions de suivi, suggestions. Les "
            "nombres de personnes inférieurs à 5 ne sont jamais publiés."
        ),
        schema_path=figures.SCHEMA_PATH,
        modified_column="computed_at",
        topics=("observatory",),
        keywords=("observatoire", "indicateurs", "QPV", "politique de la ville"),
        distributions=(
            Distribution(
                "csv",
                FORMATS["csv"],
                "open_data:observatory_figures_csv",
                "observatoire-qpv-trimestre.csv",
                figures.figures_csv,
            ),
            Distribution(
                "json",
                FORMATS["json"],
                "open_data:observatory_figures_json",
                "observatoire-qpv-trimestre.json",
                lambda: json_text(figures.figures_json()),
            ),
        ),
    )


DATASETS: tuple[Dataset, ...] = (
    _projects(),
    _challenges(),
    _opportunities(),
    _editions(),
    _action_items(),
    _organisations(),
    _observatory_figures(),
)


def dataset_get(key: str) -> Dataset | None:
    return next((dataset for dataset in DATASETS if dataset.key == key), None)


def dataset_by_schema(name: str) -> Dataset | None:
    return next((dataset for dataset in DATASETS if dataset.schema_name == name), None)
