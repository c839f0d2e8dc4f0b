"""The projects part of the fictional demo dataset (used by `manage.py load_demo`)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from quartiers40.members.models import Organisation, User
from quartiers40.plainlanguage.check import is_easy_to_read
from quartiers40.territories.models import QPV

from .enums import AICategory as AI
from .enums import Beneficiary as B
from .enums import ProjectStatus, Stage
from .enums import Theme as T
from .models import Project, ProjectUpdate
from .services import project_slug

DEPARTMENTS = ["93", "13", "69", "59", "33", "75"]
FICTIONAL_NOTE = "*Projet fictif, créé pour la démonstration de la plateforme.*"

# (title, one-line summary, easy-read summary, AI category, themes, beneficiaries, personal data)
IDEAS = [
    (
        "Traduire les courriers administratifs",
        "Une traduction des courriers de la CAF et des impôts en dix langues.",
        "Vous recevez une lettre difficile. L'outil la traduit dans votre langue et l'explique.",
        AI.LANGUAGE,
        [T.PUBLIC_SERVICES, T.DIGITAL_INCLUSION],
        [B.RESIDENTS],
        True,
    ),
    (
        "Prévoir les pannes d'ascenseur",
        "Des capteurs et un modèle qui annoncent les pannes avant qu'elles n'arrivent.",
        "Un ordinateur surveille les ascenseurs. Il prévient avant la panne.",
        AI.PREDICTION,
        [T.HOUSING],
        [B.RESIDENTS, B.SENIORS],
        False,
    ),
    (
        "Assistant CV pour les jeunes",
        "Un assistant qui aide à écrire un premier CV et une lettre de motivation.",
        "Vous cherchez un travail. L'outil vous aide à écrire votre CV.",
        AI.GENERATIVE,
        [T.EMPLOYMENT],
        [B.YOUTH, B.JOB_SEEKERS],
        True,
    ),
    (
        "Repérer les dépôts sauvages",
        "L'analyse d'images signale les dépôts d'ordures aux services de propreté.",
        "Des photos montrent les déchets jetés dans la rue. La ville vient les ramasser plus vite.",
        AI.VISION,
        [T.ENVIRONMENT, T.PUBLIC_SERVICES],
        [B.RESIDENTS, B.LOCAL_SERVICES],
        False,
    ),
    (
        "Aide aux devoirs en plusieurs langues",
        "Un tuteur conversationnel qui explique les exercices aux parents et aux enfants.",
        "Votre enfant a des devoirs. L'outil explique l'exercice dans votre langue.",
        AI.LANGUAGE,
        [T.EDUCATION],
        [B.SCHOOLS, B.RESIDENTS],
        False,
    ),
    (
        "Orienter vers les bons droits",
        "Un simulateur qui repère les aides auxquelles un foyer a droit.",
        "Vous répondez à des questions simples. L'outil vous dit quelles aides demander.",
        AI.RECOMMENDATION,
        [T.PUBLIC_SERVICES],
        [B.RESIDENTS],
        True,
    ),
    (
        "Robot d'accueil à la maison France services",
        "Un robot qui oriente le public et réduit l'attente au guichet.",
        "Un robot vous accueille. Il vous dit à quel guichet aller.",
        AI.ROBOTICS,
        [T.PUBLIC_SERVICES],
        [B.RESIDENTS, B.LOCAL_SERVICES],
        False,
    ),
    (
        "Covoiturage vers les zones d'emploi",
        "Des trajets partagés proposés selon les horaires de travail en horaires décalés.",
        "Vous travaillez tôt ou tard. L'outil trouve une voiture qui va au même endroit.",
        AI.RECOMMENDATION,
        [T.MOBILITY, T.EMPLOYMENT],
        [B.JOB_SEEKERS, B.RESIDENTS],
        True,
    ),
    (
        "Sous-titrer les conseils de quartier",
        "La transcription automatique rend les réunions publiques accessibles.",
        "Les paroles de la réunion s'écrivent sur l'écran. Tout le monde peut suivre.",
        AI.LANGUAGE,
        [T.PUBLIC_SERVICES, T.CULTURE],
        [B.RESIDENTS, B.ASSOCIATIONS],
        False,
    ),
    (
        "Économiser l'énergie dans les logements sociaux",
        "Un modèle qui règle le chauffage selon la météo et l'occupation.",
        "Le chauffage s'adapte au temps qu'il fait. Les factures baissent.",
        AI.PREDICTION,
        [T.HOUSING, T.ENVIRONMENT],
        [B.RESIDENTS],
        False,
    ),
    (
        "Boutique en ligne des commerçants du marché",
        "Des fiches produits rédigées automatiquement pour vendre en ligne.",
        "Les commerçants du marché vendent aussi sur internet, facilement.",
        AI.GENERATIVE,
        [T.LOCAL_ECONOMY],
        [B.BUSINESSES],
        False,
    ),
    (
        "Détecter la fracture numérique",
        "Une carte des besoins d'accompagnement numérique à partir de données ouvertes.",
        "Une carte montre où les habitants ont besoin d'aide avec internet.",
        AI.PREDICTION,
        [T.DIGITAL_INCLUSION],
        [B.ASSOCIATIONS, B.LOCAL_SERVICES],
        False,
    ),
    (
        "Prévention santé par SMS",
        "Des rappels de dépistage personnalisés, écrits en français facile.",
        "Vous recevez un message pour penser à votre rendez-vous de santé.",
        AI.LANGUAGE,
        [T.HEALTH],
        [B.RESIDENTS, B.SENIORS],
        True,
    ),
    (
        "Éclairage public intelligent",
        "Des lampadaires qui s'adaptent au passage des piétons.",
        "La lumière s'allume quand quelqu'un passe. La rue est plus sûre.",
        AI.VISION,
        [T.SAFETY, T.ENVIRONMENT],
        [B.RESIDENTS],
        False,
    ),
    (
        "Atelier d'IA générative pour les collégiens",
        "Des ateliers pour comprendre et critiquer les IA qui créent des images.",
        "Les élèves apprennent comment marchent les IA. Ils apprennent à s'en méfier.",
        AI.GENERATIVE,
        [T.EDUCATION, T.CULTURE],
        [B.SCHOOLS, B.YOUTH],
        False,
    ),
    (
        "Recommandation de formations courtes",
        "Des formations proposées selon le parcours et les métiers qui recrutent.",
        "L'outil vous propose une formation courte pour trouver un travail.",
        AI.RECOMMENDATION,
        [T.EMPLOYMENT, T.EDUCATION],
        [B.JOB_SEEKERS],
        True,
    ),
    (
        "Tri des déchets assisté à la recyclerie",
        "Une caméra reconnaît les objets et indique la bonne filière de recyclage.",
        "Une caméra regarde l'objet. Elle dit dans quelle poubelle le mettre.",
        AI.VISION,
        [T.ENVIRONMENT, T.LOCAL_ECONOMY],
        [B.ASSOCIATIONS],
        False,
    ),
    (
        "Signalements vocaux pour le bailleur",
        "Les habitants signalent une panne à l'oral ; le message est classé automatiquement.",
        "Vous dites le problème au téléphone. Le bailleur le reçoit tout de suite.",
        AI.LANGUAGE,
        [T.HOUSING, T.DIGITAL_INCLUSION],
        [B.RESIDENTS],
        True,
    ),
    (
        "Archives sonores du quartier",
        "La mémoire des habitants enregistrée, transcrite et indexée.",
        "Les habitants racontent l'histoire du quartier. On peut écouter et chercher.",
        AI.OTHER,
        [T.CULTURE],
        [B.RESIDENTS, B.ASSOCIATIONS],
        True,
    ),
    (
        "Prévoir l'affluence des centres sociaux",
        "Une prévision de la fréquentation pour mieux organiser les permanences.",
        "Le centre social sait quand il y aura du monde. Il prévoit plus de personnes pour aider.",
        AI.PREDICTION,
        [T.PUBLIC_SERVICES],
        [B.LOCAL_SERVICES, B.ASSOCIATIONS],
        False,
    ),
]

STATUS_WEIGHTS = [
    (ProjectStatus.PUBLISHED, 6),
    (ProjectStatus.DRAFT, 1),
    (ProjectStatus.SUBMITTED, 1),
    (ProjectStatus.RETURNED, 1),
    (ProjectStatus.ARCHIVED, 1),
]


def _organisations_of(department: str) -> list[Organisation]:
    local = list(Organisation.objects.filter(department_code=department).order_by("pk"))
    return local or list(Organisation.objects.order_by("pk")[:10])


@transaction.atomic
def load(*, rng: random.Random) -> dict[str, int]:
    now = timezone.now()
    organisations_by_department = {d: _organisations_of(d) for d in DEPARTMENTS}
    if not any(organisations_by_department.values()):
        return {"projects": 0}
    coordinator = User.objects.filter(is_coordinator=True).order_by("pk").first()
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    created = 0
    for round_index in range(3):
        for index, idea in enumerate(IDEAS):
            title, summary, easy_read, ai_category, themes, beneficiaries, personal = idea
            department = DEPARTMENTS[(index + round_index * 2) % len(DEPARTMENTS)]
            organisations = organisations_by_department[department]
            carrier = rng.choice(organisations)
            qpvs = list(
                QPV.objects.current()
                .without_geometry_fields()
                .filter(department_code=department)
                .order_by("code")[:15]
            )
            commune = carrier.commune_name or department
            status = rng.choices(statuses, weights=weights)[0]
            stage = rng.choice(list(Stage))
            started = (now - timedelta(days=rng.randint(60, 900))).date()
            last_updated = now - timedelta(days=rng.choice([3, 20, 45, 90, 150, 200, 260]))
            project = Project.objects.create(
                title=f"{title} – {commune}",
                slug=project_slug(f"{title}-{commune}-{round_index}"),
                summary=summary,
                easy_read_summary=easy_read,
                easy_to_read=is_easy_to_read(easy_read),
                description=(
                    f"{summary}\n\nPorté par **{carrier.name}** avec les habitants.\n\n"
                    f"{FICTIONAL_NOTE}"
                ),
                problem="Les habitants du quartier nous ont dit rencontrer ce problème au quotidien.",
                beneficiaries=[b.value for b in beneficiaries],
                ai_category=ai_category,
                ai_description="Un programme apprend à partir d'exemples, puis propose une réponse qu'une personne vérifie.",
                data_used=(
                    "Des données personnelles, avec le consentement des personnes, conservées un an."
                    if personal
                    else "Des données ouvertes et anonymes."
                ),
                processes_personal_data=personal,
                stage=stage,
                started_on=None if stage == Stage.IDEA else started,
                ended_on=(now.date() if stage == Stage.STOPPED else None),
                departments=[] if qpvs and rng.random() < 0.85 else [department],
                themes=[t.value for t in themes],
                carrier=carrier,
                funding=rng.choice(["", "Contrat de ville", "France 2030", "Fonds propres"]),
                source_code_url=(
                    f"https://code.example.org/{slugify(title)}" if rng.random() < 0.3 else ""
                ),
                status=status,
                review_comments=(
                    "Merci de préciser les données utilisées et leur durée de conservation."
                    if status == ProjectStatus.RETURNED
                    else ""
                ),
                created_by=coordinator,
                last_updated_at=last_updated,
                submitted_at=None if status == ProjectStatus.DRAFT else last_updated,
                published_at=(
                    last_updated - timedelta(days=30)
                    if status in (ProjectStatus.PUBLISHED, ProjectStatus.ARCHIVED)
                    else None
                ),
                archived_at=last_updated if status == ProjectStatus.ARCHIVED else None,
            )
            if qpvs:
                project.qpvs.set(rng.sample(qpvs, k=min(len(qpvs), rng.randint(1, 3))))
            others = [o for o in Organisation.objects.order_by("pk") if o.pk != carrier.pk]
            if others:
                project.partners.set(rng.sample(others, k=min(len(others), rng.randint(0, 3))))
            if status == ProjectStatus.PUBLISHED and rng.random() < 0.5:
                ProjectUpdate.objects.create(
                    project=project,
                    changed_fields=["stage", "results"],
                    created_at=last_updated,
                )
            created += 1
    return {"projects": created}


def reset() -> None:
    """Remove every project (used by `load_demo --reset`, after the défis and meetings)."""
    Project.objects.all().delete()
