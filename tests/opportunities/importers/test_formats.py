"""LHEO, LaMednum and our CSV template, on the real samples and on broken files."""

from datetime import date

import pytest

from quartiers40.opportunities.enums import Cost, HowToGo, OpportunityKind, QPVPriority, Situation
from quartiers40.opportunities.models import Opportunity
from tests.territories.conftest import REPO_ROOT

from .conftest import DATA, run

pytestmark = pytest.mark.django_db

LHEO_SAMPLE = DATA / "lheo" / "exemple-bts-onisep_lheo2.2.xml"
EXAMPLE_CSV = REPO_ROOT / "docs" / "examples" / "opportunites-modele.csv"


def test_lheo_sample():
    report, text = run("lheo", LHEO_SAMPLE)
    assert report.counts["created"] == 1, text
    training = Opportunity.objects.get()
    assert training.kind == OpportunityKind.TRAINING
    assert training.title == "BTS négociation et relation client"
    assert (training.starts_on, training.ends_on) == (date(2015, 9, 1), date(2017, 8, 31))
    assert training.sessions.count() == 1
    assert not training.is_remote
    place = training.places.get()
    assert (place.latitude, place.commune_code) == (47.882108, "29233")
    assert training.structure.name == "Lycée Kerneuzec"
    assert training.structure.siret == "19290076900014"
    assert training.cost == Cost.COVERED
    assert training.application_url == "https://lyceedekerneuzec.fr"
    assert "<p>" not in training.description and "&lt;" not in training.summary


LHEO_23 = """<?xml version="1.0" encoding="UTF-8"?>
<lheo xmlns="{ns}"><offres><formation numero="F1">
<intitule-formation>Découvrir le numérique</intitule-formation>
<objectif-formation>Apprendre à se servir d'un ordinateur.</objectif-formation>
<action numero="A1"><modalites-enseignement>{mode}</modalites-enseignement>
<session><periode><debut>20270105</debut><fin>20270301</fin></periode></session>
<session><periode><debut>20270401</debut><fin>99999999</fin></periode></session>
</action>
<action numero="A1"><modalites-enseignement>0</modalites-enseignement></action>
<organisme-formation-responsable numero="O1"><nom-organisme>Greta</nom-organisme>
</organisme-formation-responsable>
</formation></offres></lheo>"""


@pytest.mark.parametrize("namespace", ["http://lheo.gouv.fr/2.3", "http://www.lheo.org/2.2", ""])
def test_lheo_namespaces_remote_mode_and_duplicates(write_text, namespace):
    text = LHEO_23.format(ns=namespace, mode=2)
    if not namespace:
        text = text.replace(' xmlns=""', "")
    report, output = run("lheo", write_text("offre.xml", text))
    assert report.counts["created"] == 1
    assert "action 2 (A1) : l'identifiant « A1 » apparaît deux fois" in output
    training = Opportunity.objects.get()
    assert training.is_remote and not training.places.exists()
    assert [s.ends_on for s in training.sessions.all()] == [date(2027, 3, 1), None]


def test_invalid_xml_imports_nothing(write_text):
    good = write_text("bon.xml", LHEO_23.format(ns="http://lheo.gouv.fr/2.3", mode=1))
    broken = write_text("casse.xml", "<lheo><offres><formation></offres>")
    report, text = run("lheo", good, broken)
    assert "Le fichier casse.xml n'est pas un XML valide (ligne 1, colonne" in text
    assert [file.name for file in report.refused] == ["casse.xml"]
    assert report.withdrawal_skipped  # a file missing: nothing is withdrawn
    assert Opportunity.objects.count() == 1  # the good file is imported
    bomb = write_text(
        "bombe.xml",
        '<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY a "aaaa">]><lheo>&a;</lheo>',
    )
    report, text = run("lheo", bomb)
    assert report.refused and "entités" in text


def test_lamednum_example_and_angers_with_its_mapping():
    report, text = run("lamednum", DATA / "lamednum" / "lamednum_exemple-valide.csv")
    assert report.counts["created"] == 1, text
    place = Opportunity.objects.get()
    assert place.kind == OpportunityKind.HELP and place.title == "Aide au numérique : Anonymal"
    assert "numerique--maitriser-les-fondamentaux-du-numerique" in place.themes
    assert place.opening_hours == "Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"
    assert place.how_to_go == [HowToGo.COME, HowToGo.CALL] and place.is_remote
    assert "Insertion professionnelle via le numérique" in place.description
    assert place.accessibility_url.startswith("https://acceslibre.beta.gouv.fr/")
    assert set(place.situations) == {Situation.YOUNG, Situation.WOMAN}

    report, text = run("lamednum", DATA / "lamednum" / "angers.json", source="mednum-angers")
    assert report.counts["created"] == 61 and report.counts["errors"] == 2, text
    assert "élément 15 : « courriel de contact » : Saisissez une adresse" in text
    angers = Opportunity.objects.filter(source="mednum-angers")
    assert angers.filter(places__commune_name="Angers").count() == 61
    assert angers.filter(themes__icontains="acceder-a-des-services-en-ligne").exists()


def test_lamednum_unknown_value_and_missing_field(write_text):
    header = "id,nom,commune,code_postal,adresse,date_maj,services\n"
    report, text = run(
        "lamednum",
        write_text(
            "lieux.csv",
            header
            + "l1,Lieu,Reims,51100,1 rue A,2024-04-02,Jardinage\n"
            + "l2,Lieu 2,Reims,,1 rue B,2024-04-02,\n",
        ),
    )
    assert "ligne 2 : « services » vaut « Jardinage », valeur inconnue" in text
    assert "ligne 3 : « code_postal » manque" in text
    assert report.counts["created"] == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_the_documented_csv_example_imports_cleanly(write_text, encoding):
    path = write_text("modele.csv", EXAMPLE_CSV.read_text(encoding="utf-8"), encoding=encoding)
    report, text = run("csv", path, source="clic-solidaire")
    assert report.counts["created"] == 2 and report.counts["errors"] == 0, text
    workshop = Opportunity.objects.get(source_id="atelier-cv")
    assert workshop.places.count() == 2  # the second row adds a place
    assert workshop.qpv_priority == QPVPriority.FIRST and workshop.age_min == 16
    assert workshop.places.first().latitude == pytest.approx(48.9386)
    training = Opportunity.objects.get(source_id="initiation-ia")
    assert training.cost == Cost.COVERED and training.deadline == date(2027, 1, 10)
    assert training.is_remote and training.structure.name == "Association Clic Solidaire"


def test_csv_template_bad_rows(write_text):
    path = write_text(
        "modele.csv",
        "identifiant,type,titre,description,coût\n"
        "a,atelier,Atelier,Un atelier.,gratuit-sous-conditions\n"
        "b,cours,Cours,Un cours.,gratuit\n"
        ",atelier,Sans identifiant,Un atelier.,\n"
        "c,atelier,Bon atelier,Un atelier pour tous.,\n",
    )
    report, text = run("csv", path)
    assert "ligne 2 : « cout » vaut « gratuit-sous-conditions », valeur inconnue" in text
    assert "ligne 3 : « type » vaut « cours », valeur inconnue" in text
    assert "ligne 4 : « identifiant » manque" in text
    assert report.counts["created"] == 1
    missing = write_text("autre.csv", "nom,adresse\nx,y\n")
    report, text = run("csv", missing)
    assert report.refused and "n'a pas les colonnes du modèle" in text
