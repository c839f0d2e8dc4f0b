"""Open data: the member organisations of the collective as CSV, JSON and GeoJSON.

One flat row per organisation, shared by the three formats (the layout of the projects'
exports). The CSV is described by `docs/schemas/organisations.schema.json`, written from
`table_schema()` (a test keeps the file and the code in step).

Only members of the collective (`members.selectors.organisation_directory`: candidates and
refused organisations are not public, `members.permissions.can_view_organisation`), and only
facts about the structure that its public page shows: never its people, their e-mails or
phones, never who asked to join.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from quartiers40.core.links import canonical_url
from quartiers40.core.opendata import rows_csv, timestamp
from quartiers40.members import selectors
from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation
from quartiers40.members.validators import RNA_RE, SIRET_RE

from .schema import Column
from .schema import table_schema as schema_of

SCHEMA_PATH = "docs/schemas/organisations.schema.json"

COLUMNS: tuple[Column, ...] = (
    (
        "id",
        "string",
        "Identifiant d'adresse de l'organisation.",
        {"required": True, "unique": True},
    ),
    ("name", "string", "Nom.", {"required": True, "maxLength": 200}),
    (
        "kind",
        "string",
        "Type (code) : collectivité, entreprise, association, laboratoire de recherche, "
        "start-up, collectif d'habitants.",
        {"required": True, "enum": list(OrganisationKind.values)},
    ),
    ("description", "string", "Présentation (Markdown).", {}),
    ("website", "string", "Site web.", {}),
    ("siret", "string", "Numéro SIRET.", {"pattern": SIRET_RE.pattern}),
    ("rna", "string", "Numéro RNA d'une association.", {"pattern": RNA_RE.pattern}),
    ("commune_name", "string", "Commune du siège.", {}),
    ("commune_code", "string", "Code INSEE de la commune du siège.", {"pattern": r"^\w{5}$"}),
    ("department_code", "string", "Code du département.", {}),
    (
        "qpv_codes",
        "string",
        "Codes des quartiers prioritaires où elle agit, séparés par « | ».",
        {},
    ),
    ("qpv_names", "string", "Noms des quartiers prioritaires où elle agit, séparés par « | ».", {}),
    ("joined_at", "datetime", "Membre du collectif depuis (UTC).", {}),
    ("updated_at", "datetime", "Dernière mise à jour (UTC).", {"required": True}),
    ("url", "string", "Adresse de la page de l'organisation.", {"required": True}),
)
COLUMN_NAMES = [name for name, *_rest in COLUMNS]
URI_COLUMNS = ("website", "url")


def table_schema() -> dict:
    return schema_of(
        COLUMNS,
        title="Organisations membres du collectif Quartiers 4.0",
        description="Export CSV des organisations membres : UTF-8, virgule, une ligne "
        "d'en-tête. Aucune donnée personnelle : ni les personnes, ni leurs coordonnées.",
        uri_columns=URI_COLUMNS,
    )


def public_organisations() -> QuerySet[Organisation]:
    """Every member organisation with its QPVs (two queries, whatever the count)."""
    return selectors.organisation_directory().prefetch_related(selectors.qpvs_prefetch())


def organisation_row(organisation: Organisation) -> dict:
    qpvs = list(organisation.qpvs.all())
    return {
        "id": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "website": organisation.website or None,
        # As the forms store them, without the spaces a person may have typed.
        "siret": organisation.siret.replace(" ", "") or None,
        "rna": organisation.rna.replace(" ", "").upper() or None,
        "commune_name": organisation.commune_name or None,
        "commune_code": organisation.commune_code or None,
        "department_code": organisation.department_code or None,
        "qpv_codes": [qpv.code for qpv in qpvs],
        "qpv_names": [qpv.name for qpv in qpvs],
        "joined_at": timestamp(organisation.joined_at),
        "updated_at": timestamp(organisation.updated_at),
        "url": canonical_url(organisation.get_absolute_url()),
    }


def organisations_csv(organisations: Iterable[Organisation]) -> str:
    return rows_csv((organisation_row(item) for item in organisations), COLUMN_NAMES)


def organisations_json(organisations: Iterable[Organisation]) -> list[dict]:
    return [organisation_row(organisation) for organisation in organisations]


def organisations_geojson(organisations: Iterable[Organisation]) -> dict:
    """A FeatureCollection: each organisation at the centroid of the first QPV where it acts
    (by name), else without geometry (its commune alone is no point)."""
    features = []
    for organisation in organisations:
        qpvs = list(organisation.qpvs.all())
        first = qpvs[0] if qpvs else None
        geometry = None
        if first is not None and first.centroid_lon is not None and first.centroid_lat is not None:
            geometry = {"type": "Point", "coordinates": [first.centroid_lon, first.centroid_lat]}
        features.append(
            {
                "type": "Feature",
                "id": organisation.slug,
                "geometry": geometry,
                "properties": organisation_row(organisation),
            }
        )
    return {"type": "FeatureCollection", "features": features}
