"""The opportunities part of the fictional demo dataset (used by `manage.py load_demo`).

About 150 opportunities across the demo QPVs, all marked fictional:
- about 100 offered by the demo's member organisations (every kind, status and kind of
  eligibility, a few interests with their outcomes), written through the services;
- about 50 imported through the real importers from files this module generates in the
  data·inclusion v1 (JSON) and LHEO 2.3 (XML) formats, so the demo exercises them.
"""

import json
import random
import tempfile
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import timezone

from quartiers40.members.models import Organisation
from quartiers40.plainlanguage.check import is_easy_to_read
from quartiers40.territories.models import QPV

from .demo_data import OFFERS, OPENING_HOURS, PLACE_NAMES, STREETS
from .enums import Accessibility, InterestStatus, OpportunityKind, OpportunityStatus
from .models import Opportunity, OpportunityInterest
from .records import PlaceInput, SessionInput
from .services import opportunity_places_set, opportunity_sessions_set, opportunity_slug

DEPARTMENTS = ["93", "13", "69", "59", "33", "75"]
FICTIONAL_NOTE = "*Opportunité fictive, créée pour la démonstration de la plateforme.*"
DEMO_SOURCE_DI = "demo-data-inclusion"
DEMO_SOURCE_LHEO = "demo-carif-oref"
FIRST_NAMES = ["Awa", "Karim", "Sofia", "Mamadou", "Inès", "Yanis", "Fatou", "Lucas", "Nour"]

STATUS_WEIGHTS = [
    (OpportunityStatus.PUBLISHED, 14),
    (OpportunityStatus.DRAFT, 1),
    (OpportunityStatus.SUBMITTED, 1),
    (OpportunityStatus.EXPIRED, 1),
    (OpportunityStatus.WITHDRAWN, 1),
]


def _qpvs(department: str) -> list[QPV]:
    return list(
        QPV.objects.current()
        .without_geometry_fields()
        .filter(department_code=department)
        .exclude(centroid_lon=None)
        .order_by("code")[:20]
    )


def _near(qpv: QPV, rng: random.Random, *, max_m: float = 1500) -> tuple[float, float]:
    """A point at most `max_m` from the QPV's centroid (lon, lat)."""
    assert qpv.centroid_lon is not None and qpv.centroid_lat is not None
    north, east = rng.uniform(-max_m, max_m), rng.uniform(-max_m, max_m)
    return (
        round(qpv.centroid_lon + east / 73_000, 6),
        round(qpv.centroid_lat + north / 111_132, 6),
    )


def _place(qpv: QPV, rng: random.Random) -> PlaceInput:
    lon, lat = _near(qpv, rng)
    return PlaceInput(
        name=f"{rng.choice(PLACE_NAMES)} {qpv.name}"[:200],
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        postcode="",
        commune_code=qpv.commune_code,
        commune_name=qpv.commune_name,
        longitude=lon,
        latitude=lat,
    )


@transaction.atomic
def _load_member_offers(*, rng: random.Random) -> int:
    now = timezone.now()
    today = timezone.localdate(now)
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    created = 0
    for round_index, department in enumerate(DEPARTMENTS[:4]):
        organisations = list(Organisation.objects.filter(department_code=department).order_by("pk"))
        organisations = organisations or list(Organisation.objects.order_by("pk")[:10])
        qpvs = _qpvs(department)
        if not organisations or not qpvs:
            continue
        for index, (kind, title, summary, themes, cost, how_to_go, eligibility) in enumerate(
            OFFERS
        ):
            organisation = organisations[(index + round_index) % len(organisations)]
            qpv = qpvs[(index * 3 + round_index) % len(qpvs)]
            status = rng.choices(statuses, weights=weights)[0]
            remote = kind in (OpportunityKind.MENTORING,) and rng.random() < 0.5
            starts = today + timedelta(days=rng.randint(5, 60))
            dated = kind in (OpportunityKind.TRAINING, OpportunityKind.WORKSHOP)
            opportunity = Opportunity(
                kind=kind,
                title=f"{title} – {qpv.commune_name or qpv.name}",
                summary=summary,
                description=(
                    f"{summary}\n\nProposé par **{organisation.name}**, près du quartier "
                    f"{qpv.name}.\n\n{FICTIONAL_NOTE}"
                ),
                themes=themes,
                organisation=organisation,
                status=status,
                is_remote=remote,
                cost=cost,
                cost_details="Pris en charge par France Travail ou la Région."
                if cost == "covered"
                else "",
                how_to_go=[h.value for h in how_to_go],
                application_url="https://exemple.fr/inscription" if "link" in how_to_go else "",
                contact_phone="01 23 45 67 89" if "call" in how_to_go else "",
                opening_hours="" if dated else rng.choice(OPENING_HOURS),
                starts_on=starts if dated else None,
                seats=rng.choice([None, 8, 12, 15, 20]),
                deadline=(starts - timedelta(days=2)) if dated and rng.random() < 0.5 else None,
                accessibility=rng.sample([a.value for a in Accessibility], k=rng.randint(0, 2)),
                is_fictional=True,
                last_updated_at=now - timedelta(days=rng.choice([2, 10, 30, 60, 200])),
                published_at=now - timedelta(days=rng.randint(1, 120))
                if status != OpportunityStatus.DRAFT
                else None,
                **eligibility,
            )
            if status == OpportunityStatus.EXPIRED:
                opportunity.starts_on = today - timedelta(days=40)
                opportunity.deadline = today - timedelta(days=45)
                opportunity.expired_at = now - timedelta(days=10)
            if status == OpportunityStatus.WITHDRAWN:
                opportunity.withdrawn_at = now - timedelta(days=5)
            opportunity.slug = opportunity_slug(opportunity.title)
            opportunity.full_clean()
            opportunity.easy_to_read = is_easy_to_read(opportunity.summary)
            opportunity.save()
            if not remote or rng.random() < 0.5:
                places = [_place(qpv, rng)]
                if rng.random() < 0.15 and len(qpvs) > 1:
                    places.append(_place(rng.choice(qpvs), rng))
                opportunity_places_set(
                    opportunity=opportunity, places=places, geocode_missing=False
                )
            if dated and opportunity.starts_on:
                opportunity_sessions_set(
                    opportunity=opportunity,
                    sessions=[
                        SessionInput(starts_on=opportunity.starts_on + timedelta(weeks=4 * n))
                        for n in range(rng.randint(1, 3))
                    ],
                )
            if status == OpportunityStatus.PUBLISHED and rng.random() < 0.3:
                _demo_interests(opportunity, rng=rng)
            created += 1
    return created


def _demo_interests(opportunity: Opportunity, *, rng: random.Random) -> None:
    for n in range(rng.randint(1, 3)):
        name = rng.choice(FIRST_NAMES)
        status = rng.choice(list(InterestStatus))
        OpportunityInterest.objects.create(
            opportunity=opportunity,
            name=f"{name} (fictif)",
            email=f"{name.lower()}.{opportunity.pk}.{n}@demo.quartiers40.fr",
            message="Bonjour, je suis intéressé·e. Pouvez-vous me rappeler ?",
            status=status,
            outcome_at=timezone.now() if status != InterestStatus.NEW else None,
        )


# --- Files in the ecosystem's formats, imported through the real importers -----------

DI_SERVICES = [
    (
        "accompagnement",
        "Accompagnement vers l'emploi des jeunes",
        ["jeunes"],
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        "gratuit",
    ),
    (
        "atelier",
        "Atelier découverte du numérique",
        ["tous-publics"],
        ["numerique--maitriser-les-fondamentaux-du-numerique"],
        "gratuit",
    ),
    (
        "accompagnement",
        "Aide aux démarches administratives en ligne",
        ["tous-publics"],
        ["numerique--acceder-a-des-services-en-ligne"],
        "gratuit",
    ),
    (
        "formation",
        "Cours de français pour adultes",
        ["personnes-exilees", "residents-qpv-frr"],
        ["lecture-ecriture-calcul--maitriser-le-francais"],
        "gratuit",
    ),
    (
        "aide-materielle",
        "Prêt d'ordinateurs portables",
        ["beneficiaires-des-minimas-sociaux"],
        ["numerique--acquerir-un-equipement"],
        "gratuit",
    ),
]


def _di_files(qpvs: list[QPV], rng: random.Random, directory: Path) -> tuple[Path, Path]:
    """A structures file and a services file in the data·inclusion v1 format (JSON lists)."""
    today = timezone.localdate().isoformat()
    structures, services = [], []
    for index, qpv in enumerate(qpvs):
        lon, lat = _near(qpv, rng)
        structure_id = f"{DEMO_SOURCE_DI}--structure-{index}"
        structures.append(
            {
                "source": DEMO_SOURCE_DI,
                "id": structure_id,
                "nom": f"Centre social {qpv.name} (fictif)"[:150],
                "date_maj": today,
                "commune": qpv.commune_name,
                "code_insee": qpv.commune_code,
                "adresse": f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
                "longitude": lon,
                "latitude": lat,
                "telephone": "0123456789",
                "horaires_accueil": rng.choice(OPENING_HOURS),
                "description": "Un centre social fictif de la démonstration, au cœur du quartier.",
            }
        )
        kind, name, publics, themes, frais = DI_SERVICES[index % len(DI_SERVICES)]
        services.append(
            {
                "source": DEMO_SOURCE_DI,
                "structure_id": structure_id,
                "id": f"{DEMO_SOURCE_DI}--service-{index}",
                "nom": f"{name} – {qpv.commune_name or qpv.name}"[:150],
                "description": (
                    f"{name}, au centre social du quartier {qpv.name}. Sans rendez-vous le "
                    "matin, sur rendez-vous l'après-midi. Service fictif de la démonstration."
                ),
                "date_maj": today,
                "type": kind,
                "thematiques": themes,
                "frais": frais,
                "publics": publics,
                "modes_accueil": ["en-presentiel"],
                "modes_mobilisation": ["se-presenter", "telephoner"],
                "mobilisable_par": ["usagers", "professionnels"],
                "commune": qpv.commune_name,
                "code_insee": qpv.commune_code,
                "adresse": f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
                "longitude": lon,
                "latitude": lat,
                "telephone": "0123456789",
                "zone_eligibilite": [qpv.commune_code] if qpv.commune_code else ["france"],
                "horaires_accueil": rng.choice(OPENING_HOURS),
            }
        )
    # Services first: the importer tells the two files apart by their fields, not their order.
    services_path = directory / "services.json"
    structures_path = directory / "structures.json"
    services_path.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    structures_path.write_text(json.dumps(structures, ensure_ascii=False), encoding="utf-8")
    return services_path, structures_path


LHEO_TRAININGS = [
    ("Titre professionnel agent·e de restauration", "0"),
    ("CAP accompagnant éducatif petite enfance", "1"),
    ("Certificat Cléa : les savoirs de base", "0"),
    ("Formation assistant·e de vie aux familles", "1"),
    ("Développeur·se web et web mobile, à distance", "2"),
]


def _lheo_file(qpvs: list[QPV], rng: random.Random, directory: Path) -> Path:
    """Training offers in LHEO 2.3 (one action and its sessions per training)."""
    start = timezone.localdate() + timedelta(days=30)
    formations = []
    for index, qpv in enumerate(qpvs):
        title, mode = LHEO_TRAININGS[index % len(LHEO_TRAININGS)]
        lon, lat = _near(qpv, rng)
        sessions = "".join(
            f'<session numero="{index}-{n}"><periode><debut>'
            f"{(start + timedelta(weeks=8 * n)).strftime('%Y%m%d')}</debut><fin>"
            f"{(start + timedelta(weeks=8 * n + 12)).strftime('%Y%m%d')}</fin></periode></session>"
            for n in range(2)
        )
        city = escape(qpv.commune_name or qpv.name)
        formations.append(
            f"""<formation numero="demo-{index}">
<intitule-formation>{escape(title)} – {city}</intitule-formation>
<objectif-formation>Se former à un métier qui recrute près de chez soi. Formation fictive de la démonstration.</objectif-formation>
<contenu-formation>Des cours en petit groupe et un stage en entreprise.</contenu-formation>
<certifiante>1</certifiante>
<contact-formation><coordonnees><telfixe><numtel>01 23 45 67 89</numtel></telfixe></coordonnees></contact-formation>
<parcours-de-formation>1</parcours-de-formation>
<code-niveau-entree>0</code-niveau-entree>
<action numero="demo-action-{index}">
<rythme-formation>Temps plein</rythme-formation>
<niveau-entree-obligatoire>0</niveau-entree-obligatoire>
<modalites-enseignement>{mode}</modalites-enseignement>
<conditions-specifiques>Être inscrit·e à France Travail.</conditions-specifiques>
<prise-en-charge-frais-possible>1</prise-en-charge-frais-possible>
<lieu-de-formation><coordonnees><ligne>Organisme de formation {city} (fictif)</ligne><adresse><ligne>{rng.randint(1, 90)} {escape(rng.choice(STREETS))}</ligne><codepostal>00000</codepostal><ville>{city}</ville><code-INSEE-commune>{qpv.commune_code}</code-INSEE-commune><geolocalisation><latitude>{lat}</latitude><longitude>{lon}</longitude></geolocalisation></adresse></coordonnees></lieu-de-formation>
<modalites-entrees-sorties>0</modalites-entrees-sorties>
{sessions}
</action>
<organisme-formation-responsable numero="demo-of-{index}">
<numero-activite>11111111111</numero-activite>
<SIRET-organisme-formation><SIRET>00000000000000</SIRET></SIRET-organisme-formation>
<nom-organisme>Organisme de formation {city} (fictif)</nom-organisme>
<raison-sociale>Organisme de formation {city} (fictif)</raison-sociale>
<coordonnees-organisme><coordonnees><adresse><ligne>1 place de la Gare</ligne><codepostal>00000</codepostal><ville>{city}</ville></adresse></coordonnees></coordonnees-organisme>
<contact-organisme><coordonnees><telfixe><numtel>01 23 45 67 89</numtel></telfixe></coordonnees></contact-organisme>
</organisme-formation-responsable>
</formation>"""
        )
    path = directory / "offres.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>'
        + "\n".join(formations)
        + "</offres></lheo>",
        encoding="utf-8",
    )
    return path


def _load_imported(*, rng: random.Random) -> int:
    # The same entry point as `manage.py import_opportunities`.
    from .importers.runner import opportunities_import

    qpvs = [qpv for department in DEPARTMENTS for qpv in _qpvs(department)[:6]]
    if not qpvs:
        return 0
    with tempfile.TemporaryDirectory(prefix="q40-demo-") as tmp:
        directory = Path(tmp)
        di_files = _di_files(qpvs[:30], rng, directory)
        lheo = _lheo_file(qpvs[::2][:20], rng, directory)
        reports = [
            opportunities_import(
                format="data-inclusion", paths=di_files, source=DEMO_SOURCE_DI, is_fictional=True
            ),
            opportunities_import(
                format="lheo", paths=[lheo], source=DEMO_SOURCE_LHEO, is_fictional=True
            ),
        ]
    counts = [report.counts for report in reports]
    return sum(c["created"] + c["updated"] + c["unchanged"] + c["restored"] for c in counts)


def load(*, rng: random.Random) -> dict[str, int]:
    members = _load_member_offers(rng=rng)
    imported = _load_imported(rng=rng)
    return {"opportunities": members + imported}


def reset() -> None:
    """Remove every opportunity and imported structure (used by `load_demo --reset`)."""
    from .models import ImportedStructure

    Opportunity.objects.all().delete()
    ImportedStructure.objects.all().delete()
