"""The data·inclusion v1 export: validated by the pinned schema package and its JSON Schemas."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from data_inclusion.schema.v1 import Service, Structure

from quartiers40.opportunities import exports
from quartiers40.opportunities.enums import (
    Accessibility,
    Cost,
    HowToGo,
    Language,
    Level,
    OpportunityKind,
    OpportunityStatus,
    QPVPriority,
    Situation,
)
from quartiers40.opportunities.models import ImportedStructure
from tests.members.factories import OrganisationFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory

pytestmark = pytest.mark.django_db

# The reference data beside the repository (read-only, never copied in).
SHARED = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "opportunities"
).resolve()
DI_SCHEMAS = SHARED / "data-inclusion"
STRUCTURES_URL = "/opportunites/export/data-inclusion/structures.json"
SERVICES_URL = "/opportunites/export/data-inclusion/services.json"


def _json_schema(name: str) -> dict:
    path = DI_SCHEMAS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _validator(name: str):
    schema = _json_schema(name)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def _assert_valid(structures: list[dict], services: list[dict]) -> None:
    structure_validator, service_validator = _validator("structure"), _validator("service")
    for structure in structures:
        Structure.model_validate(structure)
        errors = [error.message for error in structure_validator.iter_errors(structure)]
        assert not errors, (structure["id"], errors)
    for service in services:
        Service.model_validate(service)
        errors = [error.message for error in service_validator.iter_errors(service)]
        assert not errors, (service["id"], errors)
    ids = {structure["id"] for structure in structures}
    assert {service["structure_id"] for service in services} <= ids


@pytest.fixture
def items(settings):
    settings.SITE_URL = "https://quartiers40.example"
    settings.DEMO_MODE = False
    organisation = OrganisationFactory(
        name="Clic Solidaire Sevran.",
        slug="clic-solidaire",
        siret="123 456 789 00012",
        website="https://clic.example",
        commune_code="93071",
        description="Une association de médiation numérique à Sevran.",
    )
    full = OpportunityFactory(
        organisation=organisation,
        slug="atelier-cv",
        title="Atelier CV et lettre de motivation.",
        kind=OpportunityKind.WORKSHOP,
        cost=Cost.COVERED,
        cost_details="Financé par la commune.",
        how_to_go=[HowToGo.COME, HowToGo.LINK, HowToGo.PROFESSIONAL, HowToGo.CALL],
        application_url="https://clic.example/inscription",
        contact_email="boite.secrete@exemple.fr",
        contact_phone="0611223344",
        qpv_priority=QPVPriority.ONLY,
        age_min=16,
        age_max=25,
        situations=[Situation.YOUNG, Situation.JOB_SEEKER],
        level_required=Level.CAP,
        languages=[Language.FRENCH, Language.ARABIC],
        accessibility=[Accessibility.WHEELCHAIR, Accessibility.EASY_READ],
        accessibility_url="https://acceslibre.beta.gouv.fr/app/93/erp/clic/",
        seats=12,
        deadline=date(2099, 1, 31),
        opening_hours="Mo-Fr 09:00-12:00",
        hours_per_week=3.5,
        weeks=4,
        is_remote=True,
    )
    PlaceFactory(
        opportunity=full,
        address="3 rue Lafayette",
        address_details="2e étage",
        postcode="93270",
        commune_code="93071",
        commune_name="Sevran",
        longitude=2.53,
        latitude=48.94,
    )
    PlaceFactory(opportunity=full, commune_code="93005", postcode="93600")
    plain = OpportunityFactory(
        organisation=organisation, slug="plain", kind=OpportunityKind.JOB, title="mot " * 50
    )
    PlaceFactory(opportunity=plain)
    remote = OpportunityFactory(
        kind=OpportunityKind.TRAINING,
        slug="remote",
        is_remote=True,
        cost=Cost.PAID,
        eligibility_zone=["93", "france"],
        how_to_go=[],
    )
    structure = ImportedStructure.objects.create(source="dora", source_id="s1", name="Dora")
    OpportunityFactory(organisation=None, structure=structure, source="dora", source_id="x")
    OpportunityFactory(status=OpportunityStatus.DRAFT)
    OpportunityFactory(is_fictional=True, slug="fictive")
    return {"full": full, "plain": plain, "remote": remote}


def _by_id(rows):
    return {row["id"]: row for row in rows}


def test_export_is_valid_against_the_pinned_models_and_the_json_schemas(client, items):
    structures = client.get(STRUCTURES_URL).json()
    services = client.get(SERVICES_URL).json()
    assert len(services) == 3
    _assert_valid(structures, services)


def test_the_validation_catches_a_wrong_value(client, items):
    """The checks above really check: a v0 `frais` value fails both."""
    service = client.get(SERVICES_URL).json()[0]
    broken = {**service, "frais": "gratuit-sous-conditions"}
    with pytest.raises(ValueError):
        Service.model_validate(broken)
    assert list(_validator("service").iter_errors(broken))
    mixed = {**service, "publics": ["tous-publics", "jeunes"]}
    with pytest.raises(ValueError):
        Service.model_validate(mixed)


def test_only_our_own_published_real_items(client, items):
    ids = set(_by_id(client.get(SERVICES_URL).json()))
    assert ids == {"quartiers-4-0--atelier-cv", "quartiers-4-0--plain", "quartiers-4-0--remote"}


def test_fictional_items_only_in_demo_mode(client, items, settings):
    settings.DEMO_MODE = True
    assert "quartiers-4-0--fictive" in _by_id(client.get(SERVICES_URL).json())


def test_structures_are_our_member_organisations(client, items):
    structures = _by_id(client.get(STRUCTURES_URL).json())
    clic = structures["quartiers-4-0--clic-solidaire"]
    assert clic["source"] == "quartiers-4-0"
    assert clic["nom"] == "Clic Solidaire Sevran"  # no final full stop
    assert clic["siret"] == "12345678900012"
    assert clic["code_insee"] == "93071"
    assert clic["lien_source"] == "https://quartiers40.example/organisations/clic-solidaire/"
    assert clic["telephone"] is None and clic["courriel"] is None
    assert len(structures) == 2  # Clic, and the remote item's organisation


def test_service_fields(client, items):
    service = _by_id(client.get(SERVICES_URL).json())["quartiers-4-0--atelier-cv"]
    assert service["source"] == "quartiers-4-0"
    assert service["structure_id"] == "quartiers-4-0--clic-solidaire"
    assert service["nom"] == "Atelier CV et lettre de motivation"
    assert service["type"] == "atelier"
    assert service["frais"] == "gratuit"
    assert "pris en charge" in service["frais_precisions"]
    assert "Financé par la commune." in service["frais_precisions"]
    assert service["publics"] == ["jeunes", "demandeurs-emploi", "residents-qpv-frr"]
    assert "De 16 à 25 ans." in service["publics_precisions"]
    assert "Réservé aux habitants des quartiers prioritaires." in service["publics_precisions"]
    conditions = service["conditions_acces"]
    for words in ("CAP, BEP", "français, arabe", "fauteuil roulant", "12 places", "31/01/2099"):
        assert words in conditions
    assert "acceslibre" in conditions
    assert service["zone_eligibilite"] == ["93071", "93005"]
    assert service["modes_accueil"] == ["en-presentiel", "a-distance"]
    assert service["modes_mobilisation"] == [
        "se-presenter",
        "utiliser-lien-mobilisation",
        "telephoner",
    ]
    assert service["mobilisable_par"] == ["usagers", "professionnels"]
    assert service["lien_mobilisation"] == "https://clic.example/inscription"
    assert service["horaires_accueil"] == "Mo-Fr 09:00-12:00"
    assert service["volume_horaire_hebdomadaire"] == 3.5
    assert service["nombre_semaines"] == 4
    assert service["adresse"] == "3 rue Lafayette"
    assert service["complement_adresse"] == "2e étage"
    assert service["code_postal"] == "93270"
    assert service["commune"] == "Sevran"
    assert service["code_insee"] == "93071"
    assert (service["longitude"], service["latitude"]) == (2.53, 48.94)
    assert service["lien_source"] == "https://quartiers40.example/opportunites/atelier-cv/"


def test_no_contact_of_a_member_leaves(client, items):
    body = client.get(SERVICES_URL).content.decode() + client.get(STRUCTURES_URL).content.decode()
    assert "boite.secrete@exemple.fr" not in body
    assert "0611223344" not in body


def test_defaults_when_nothing_narrows_it(client, items):
    services = _by_id(client.get(SERVICES_URL).json())
    plain = services["quartiers-4-0--plain"]
    assert plain["publics"] == ["tous-publics"]
    assert plain["type"] == "information"  # a job has no type of its own in v1
    assert len(plain["nom"]) <= 150 and plain["nom"].endswith("…")
    assert plain["zone_eligibilite"] == ["75056"]  # the place's commune
    assert plain["conditions_acces"] == "Aucun diplôme demandé."
    remote = services["quartiers-4-0--remote"]
    assert remote["frais"] == "payant"
    assert remote["zone_eligibilite"] == ["93", "france"]
    assert remote["modes_accueil"] == ["a-distance"]
    assert remote["modes_mobilisation"] is None and remote["mobilisable_par"] is None
    assert remote["adresse"] is None


def test_texts_are_french_whatever_the_language(client, items):
    client.cookies["django_language"] = "en"
    service = _by_id(client.get(SERVICES_URL, HTTP_ACCEPT_LANGUAGE="en").json())[
        "quartiers-4-0--atelier-cv"
    ]
    assert "De 16 à 25 ans." in service["publics_precisions"]


def test_how_to_go_codes_are_the_schema_values():
    from data_inclusion.schema.v1 import ModeMobilisation

    from quartiers40.opportunities.enums import DI_TO_HOW_TO_GO, HOW_TO_GO_TO_DI

    assert set(HOW_TO_GO_TO_DI.values()) <= set(ModeMobilisation)
    assert DI_TO_HOW_TO_GO["utiliser-lien-mobilisation"] == HowToGo.LINK


def test_kinds_situations_and_themes_map_to_schema_values():
    from data_inclusion.schema.v1 import Public, Thematique, TypeService

    from quartiers40.opportunities.enums import KIND_TO_DI_TYPE, SITUATION_TO_PUBLIC, THEME_CODES

    assert set(KIND_TO_DI_TYPE.values()) <= set(TypeService)
    assert set(SITUATION_TO_PUBLIC.values()) <= set(Public)
    assert set(Thematique) == THEME_CODES
    assert exports.di_id("abc") == "quartiers-4-0--abc"
