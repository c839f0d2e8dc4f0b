import pytest
from data_inclusion.schema.v1 import Service

from quartiers40.opportunities.enums import Cost, HowToGo, OpportunityKind, QPVPriority, Situation
from quartiers40.opportunities.importers.base import plain_summary
from quartiers40.opportunities.importers.data_inclusion import record_read, service_item
from quartiers40.opportunities.models import ImportedStructure, Opportunity

from .conftest import DI_SERVICES, DI_STRUCTURES, run, service, structure

pytestmark = pytest.mark.django_db


def test_the_real_api_samples_in_any_order_with_a_report_per_bad_row():
    report, text = run("data-inclusion", DI_SERVICES, DI_STRUCTURES)
    counts = report.counts
    assert counts["created"] == 5
    assert counts["errors"] == 4
    assert "api-example-structures.json, élément 2 : « nom » manque" in text
    assert "« siret » est trop court" in text
    assert "élément 6 : sa structure « dora--blacklisted-siren-structure » est en erreur" in text
    assert not report.refused
    dora = Opportunity.objects.get(source_id="dora--46f7ea19-c97b-4f45-90a9-027b44cad927")
    assert dora.kind == OpportunityKind.WORKSHOP
    assert dora.is_remote and not dora.places.exists()
    assert dora.how_to_go == [HowToGo.LINK]
    assert dora.application_url.startswith("https://dora.inclusion.gouv.fr/services/")
    assert dora.eligibility_zone == ["france"]
    assert Situation.JOB_SEEKER in dora.situations and Situation.SENIOR in dora.situations
    assert dora.structure.name == "PLATEFORME DE L'INCLUSION"
    assert dora.structure.siret == "13003013300016"
    assert "**" not in dora.summary and len(dora.summary) <= 400
    # Same records the other way round: nothing changes.
    again, _text = run("data-inclusion", DI_STRUCTURES, DI_SERVICES)
    assert again.counts["unchanged"] == 5 and again.counts["created"] == 0


def test_mapping_of_a_service(write_json):
    record = service(
        publics=["residents-qpv-frr", "jeunes", "personnes-en-situation-durgence"],
        frais="payant",
        frais_precisions="5 € par mois",
        modes_accueil=["a-distance", "en-presentiel"],
        mobilisable_par=["professionnels"],
        horaires_accueil="Tu 09:00-12:00",
        zone_eligibilite=["93066", "93"],
        volume_horaire_hebdomadaire=3.5,
        nombre_semaines=10,
        lien_source="https://exemple.fr/a1",
        courriel="atelier@exemple.fr",
        thematiques=["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
    )
    model, notes, errors = record_read(record)
    assert errors == [] and notes == []
    item = service_item(model, None, source="data-inclusion")
    fields = item.fields
    assert fields["qpv_priority"] == QPVPriority.FIRST
    assert fields["situations"] == [Situation.YOUNG]
    assert fields["cost"] == Cost.PAID and fields["cost_details"] == "5 € par mois"
    assert fields["is_remote"] is True and len(item.places) == 1
    assert fields["how_to_go"] == [HowToGo.PROFESSIONAL]
    assert fields["opening_hours"] == "Tu 09:00-12:00"
    assert fields["eligibility_zone"] == ["93066", "93"]
    assert (fields["hours_per_week"], fields["weeks"]) == (3.5, 10)
    assert fields["contact_email"] == "atelier@exemple.fr"
    assert str(fields["source_updated_on"]) == "2025-02-14"


def test_summary_is_plain_and_short():
    text = "## **Titre**\n\n" + "Une phrase courte. " * 40 + "\n\n<!-- -->"
    summary = plain_summary(text)
    assert summary.startswith("Titre Une phrase courte.")
    assert len(summary) <= 400 and summary.endswith(".")
    assert plain_summary("mot " * 200).endswith("…")


def test_unknown_enum_value_and_missing_field_are_row_errors(write_json):
    services = write_json(
        "services.json",
        [
            service(id="test--a1", frais="gratuit-sous-conditions"),
            service(id="test--a2", description=None),
            service(id="test--a3"),
        ],
    )
    structures = write_json("structures.json", [structure()])
    report, text = run("data-inclusion", services, structures)
    assert report.counts["created"] == 1
    assert (
        "élément 1 : « frais » vaut « gratuit-sous-conditions », valeur inconnue "
        "(valeurs possibles : gratuit, payant). C'est une valeur de la version 0 du schéma."
    ) in text
    assert "élément 2 : « description » manque : ce champ est obligatoire." in text
    assert list(Opportunity.objects.values_list("source_id", flat=True)) == ["test--a3"]


def test_duplicate_ids_and_missing_structure(write_json):
    services = write_json(
        "services.json",
        [service(), service(nom="Autre nom"), service(id="test--a2", structure_id="test--nulle")],
    )
    structures = write_json("structures.json", {"items": [structure(), structure(nom="Double")]})
    _report, text = run("data-inclusion", structures, services)
    assert "élément 2 : l'identifiant « test--a1 » apparaît deux fois" in text
    assert "élément 3 : sa structure « test--nulle » ne se trouve dans aucun fichier" in text
    assert "structures.json, élément 2 : la structure « test--s1 » apparaît deux fois" in text
    assert Opportunity.objects.get().title == "Atelier CV"
    assert ImportedStructure.objects.get().name == "Centre social des Tilleuls"


def test_v0_records_are_converted_and_say_so(write_json):
    v0 = service(
        types=["atelier", "numerique"],
        frais=["gratuit-sous-conditions"],
        profils=["jeunes-16-26", "habitants-qpv", "adultes"],
        zone_diffusion_type="commune",
        zone_diffusion_code="93066",
    )
    v0.pop("type")
    services = write_json("services.json", [v0, service(id="test--a2", types=["inconnu"])])
    structures = write_json("structures.json", [structure()])
    _report, text = run("data-inclusion", services, structures)
    assert "élément 1 : enregistrement au format data·inclusion v0, converti en v1" in text
    assert "profils sans équivalent gardés en précisions : adultes" in text
    assert "élément 2 : « types » vaut « inconnu » : c'est un fichier de la version 0" in text
    item = Opportunity.objects.get()
    assert item.kind == OpportunityKind.WORKSHOP
    assert item.cost == Cost.FREE and item.cost_details == "Gratuit sous conditions"
    assert item.qpv_priority == QPVPriority.FIRST and item.situations == [Situation.YOUNG]
    assert item.eligibility_zone == ["93066"]


def test_lambert93_and_comma_decimals_in_csv(write_text):
    structures = write_text(
        "structures.csv",
        "id;source;nom;date_maj;adresse;code_postal;commune\n"
        "test--s1;test;Centre social;2025-02-14;1 rue A;75018;Paris\n",
    )
    services = write_text(
        "services.csv",
        "id;source;structure_id;nom;description;date_maj;type;thematiques;modes_accueil;"
        "longitude;latitude;volume_horaire_hebdomadaire\n"
        "test--l93;test;test--s1;Atelier CV;Un atelier pour écrire son CV.;2025-02-14;atelier;"
        '"[""numerique--acceder-a-des-services-en-ligne""]";en-presentiel;652469;6862035;\n'
        "test--comma;test;test--s1;Atelier lettre;Un atelier pour écrire sa lettre.;2025-02-14;"
        'atelier;"{numerique--acquerir-un-equipement,numerique--acceder-a-une-connexion-internet}";'
        '"a-distance,en-presentiel";"2,354";"48,886";"2,5"\n',
    )
    report, text = run("data-inclusion", services, structures)
    assert report.counts["created"] == 2, text
    assert "ligne 2 : coordonnées Lambert-93 (652469 ; 6862035) converties" in text
    l93 = Opportunity.objects.get(source_id="test--l93").places.get()
    assert l93.longitude == pytest.approx(2.3522, abs=1e-3)
    assert l93.latitude == pytest.approx(48.8566, abs=1e-3)
    comma = Opportunity.objects.get(source_id="test--comma")
    assert comma.is_remote and comma.hours_per_week == 2.5
    assert comma.places.get().longitude == pytest.approx(2.354)
    assert comma.themes == [
        "numerique--acceder-a-une-connexion-internet",
        "numerique--acquerir-un-equipement",
    ]


def test_structures_alone_or_unreadable_file_refused(write_json, write_text):
    structures = write_json("structures.json", [structure()])
    report, text = run("data-inclusion", structures)
    assert report.refused and "Aucun fichier de services" in text
    broken = write_text("services.json", '[{"id": "x", ')
    report, text = run("data-inclusion", broken, structures)
    assert report.refused and "n'est pas un JSON lisible" in text
    assert not Opportunity.objects.exists() and not ImportedStructure.objects.exists()


def test_validation_uses_the_pinned_schema():
    model, _notes, errors = record_read(service())
    assert isinstance(model, Service) and errors == []


def test_our_how_to_go_slugs_are_the_schemas():
    """Foundation fix: the schema's slug is `utiliser-lien-mobilisation`."""
    from data_inclusion.schema.v1 import ModeMobilisation

    from quartiers40.opportunities.enums import HOW_TO_GO_TO_DI

    assert set(HOW_TO_GO_TO_DI.values()) <= {mode.value for mode in ModeMobilisation}
