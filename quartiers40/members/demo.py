"""The members part of the fictional demo dataset (used by `manage.py load_demo`)."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from quartiers40.core.db import unique_slug
from quartiers40.territories.models import QPV

from .enums import MembershipRequestStatus, OrganisationKind, OrganisationStatus, Role
from .models import MembershipRequest, Organisation, OrganisationMembership, User

DEMO_DOMAIN = "demo.quartiers40.fr"
DEMO_PASSWORD = "quartiers40-demo"  # noqa: S105 - fictional demo accounts, printed on purpose
FICTIONAL_NOTE = "*Organisation fictive, créée pour la démonstration de la plateforme.*"

DEMO_ACCOUNTS = [
    # (e-mail, name, what they can do)
    (f"coordination@{DEMO_DOMAIN}", "Camille Coordination", "équipe de coordination"),
    (f"habitante@{DEMO_DOMAIN}", "Awa D.", "habitante d'un QPV, sans organisation"),
    (f"association@{DEMO_DOMAIN}", "Karim Médiateur", "administrateur d'une association"),
    (f"admin@{DEMO_DOMAIN}", "Admin Technique", "superutilisateur (admin Django)"),
]

# (name, kind, department, commune, what it does)
ORGANISATIONS = [
    (
        "Ville de Saint-Denis – Mission numérique",
        OrganisationKind.LOCAL_AUTHORITY,
        "93",
        "Saint-Denis",
        "La mission numérique de la ville accompagne les habitants vers les démarches en ligne et soutient les projets d'IA utiles aux quartiers.",
    ),
    (
        "Plaine Commune – Direction de l'emploi",
        OrganisationKind.LOCAL_AUTHORITY,
        "93",
        "Saint-Denis",
        "L'établissement public territorial finance des actions d'insertion et de formation au numérique.",
    ),
    (
        "Association Clic Solidaire Sevran",
        OrganisationKind.ASSOCIATION,
        "93",
        "Sevran",
        "Ateliers de médiation numérique au pied des immeubles de Montceleux et du Pont-Blanc.",
    ),
    (
        "Les Codeuses d'Aulnay",
        OrganisationKind.ASSOCIATION,
        "93",
        "Aulnay-sous-Bois",
        "Formation au code et à l'IA pour les femmes des quartiers, avec garde d'enfants pendant les ateliers.",
    ),
    (
        "Collectif des habitants de la Rose-des-Vents",
        OrganisationKind.RESIDENTS_GROUP,
        "93",
        "Aulnay-sous-Bois",
        "Un collectif d'habitants qui porte la voix du quartier sur le numérique et les services publics.",
    ),
    (
        "DataBanlieue",
        OrganisationKind.STARTUP,
        "93",
        "Bobigny",
        "Une start-up qui aide les bailleurs sociaux à repérer les pannes d'ascenseur avant qu'elles n'arrivent.",
    ),
    (
        "Lab'IA Paris 8 – Territoires",
        OrganisationKind.RESEARCH_LAB,
        "93",
        "Saint-Denis",
        "Une équipe de recherche qui évalue l'effet des outils d'IA sur l'accès aux droits.",
    ),
    (
        "Ville de Marseille – Direction de la politique de la ville",
        OrganisationKind.LOCAL_AUTHORITY,
        "13",
        "Marseille",
        "Coordonne le contrat de ville et les appels à projets numériques dans les quartiers nord.",
    ),
    (
        "Association Nord Numérique",
        OrganisationKind.ASSOCIATION,
        "13",
        "Marseille",
        "Un espace numérique à La Viste : aide aux démarches, initiation à l'IA, ateliers pour les jeunes.",
    ),
    (
        "Provence Inclusion Tech",
        OrganisationKind.COMPANY,
        "13",
        "Marseille",
        "Une entreprise de services numériques qui recrute et forme des habitants des quartiers prioritaires.",
    ),
    (
        "Les Voisins de Frais-Vallon",
        OrganisationKind.RESIDENTS_GROUP,
        "13",
        "Marseille",
        "Des habitants qui organisent l'entraide numérique dans leur cité.",
    ),
    (
        "IA Méditerranée Lab",
        OrganisationKind.RESEARCH_LAB,
        "13",
        "Marseille",
        "Un laboratoire qui étudie la traduction automatique pour les démarches administratives.",
    ),
    (
        "Transcribo",
        OrganisationKind.STARTUP,
        "13",
        "Aix-en-Provence",
        "Une start-up de traduction vocale pour les accueils de services publics.",
    ),
    (
        "Métropole de Lyon – Délégation inclusion numérique",
        OrganisationKind.LOCAL_AUTHORITY,
        "69",
        "Lyon",
        "Pilote le réseau des médiateurs numériques et le plan d'inclusion de la métropole.",
    ),
    (
        "Vénissieux Connecté",
        OrganisationKind.ASSOCIATION,
        "69",
        "Vénissieux",
        "Accompagne les habitants des Minguettes vers l'emploi dans le numérique.",
    ),
    (
        "Rhône Emploi IA",
        OrganisationKind.COMPANY,
        "69",
        "Villeurbanne",
        "Un cabinet de recrutement qui utilise l'IA pour rapprocher offres et candidats sans diplôme.",
    ),
    (
        "Collectif Mas du Taureau",
        OrganisationKind.RESIDENTS_GROUP,
        "69",
        "Vaulx-en-Velin",
        "Des habitants qui testent et critiquent les outils numériques proposés au quartier.",
    ),
    (
        "Ecole numérique de Vaulx",
        OrganisationKind.ASSOCIATION,
        "69",
        "Vaulx-en-Velin",
        "Une école gratuite qui forme aux métiers de la donnée en neuf mois.",
    ),
    (
        "Kiosque IA",
        OrganisationKind.STARTUP,
        "69",
        "Lyon",
        "Des bornes d'aide aux démarches qui parlent plusieurs langues.",
    ),
    (
        "Ville de Roubaix – Service numérique",
        OrganisationKind.LOCAL_AUTHORITY,
        "59",
        "Roubaix",
        "Déploie des conseillers numériques et des points d'accès au droit dans les quartiers.",
    ),
    (
        "Tourcoing Médiation",
        OrganisationKind.ASSOCIATION,
        "59",
        "Tourcoing",
        "Des médiateurs qui accompagnent les familles sur les outils scolaires et l'orientation.",
    ),
    (
        "Nord Textile Data",
        OrganisationKind.COMPANY,
        "59",
        "Roubaix",
        "Une entreprise qui forme des opérateurs à la maintenance prédictive dans l'industrie textile.",
    ),
    (
        "Université de Lille – Équipe SHS et IA",
        OrganisationKind.RESEARCH_LAB,
        "59",
        "Villeneuve-d'Ascq",
        "Une équipe de chercheurs qui mène des enquêtes de terrain sur l'IA et l'emploi.",
    ),
    (
        "Habitants de l'Alma",
        OrganisationKind.RESIDENTS_GROUP,
        "59",
        "Roubaix",
        "Un groupe d'habitants qui anime un café numérique chaque samedi.",
    ),
    (
        "Lille Sud Solidaire",
        OrganisationKind.ASSOCIATION,
        "59",
        "Lille",
        "Aide aux devoirs et ateliers de programmation pour les collégiens.",
    ),
    (
        "Bordeaux Métropole – Mission inclusion",
        OrganisationKind.LOCAL_AUTHORITY,
        "33",
        "Bordeaux",
        "Finance les lieux de médiation et suit leur fréquentation.",
    ),
    (
        "Les Aubiers Connectés",
        OrganisationKind.ASSOCIATION,
        "33",
        "Bordeaux",
        "Un tiers-lieu numérique aux Aubiers : matériel reconditionné, ateliers, permanence emploi.",
    ),
    (
        "Garonne IA",
        OrganisationKind.STARTUP,
        "33",
        "Mérignac",
        "Une start-up qui simplifie les courriers administratifs en français facile.",
    ),
    (
        "Collectif Saige Ensemble",
        OrganisationKind.RESIDENTS_GROUP,
        "33",
        "Pessac",
        "Des habitants de Saige qui veulent un accès au wifi gratuit dans les halls.",
    ),
    (
        "Aquitaine Data Formation",
        OrganisationKind.COMPANY,
        "33",
        "Bordeaux",
        "Un organisme de formation aux métiers de l'annotation de données, ouvert aux personnes sans diplôme.",
    ),
    (
        "Ville de Paris – Quartiers populaires et numérique",
        OrganisationKind.LOCAL_AUTHORITY,
        "75",
        "Paris",
        "Accompagne les projets numériques de la Goutte d'Or à la Porte de la Chapelle.",
    ),
    (
        "Goutte d'Or Numérique",
        OrganisationKind.ASSOCIATION,
        "75",
        "Paris",
        "Des ateliers d'initiation à l'IA en plusieurs langues pour les parents du quartier.",
    ),
    (
        "Chapelle Code Club",
        OrganisationKind.ASSOCIATION,
        "75",
        "Paris",
        "Un club de programmation pour les 11–17 ans, ouvert le mercredi et le samedi.",
    ),
    (
        "Orange Solidarité – Île-de-France",
        OrganisationKind.COMPANY,
        "75",
        "Paris",
        "Des ateliers numériques et du mentorat pour les demandeurs d'emploi.",
    ),
    (
        "Institut Villes et IA",
        OrganisationKind.RESEARCH_LAB,
        "75",
        "Paris",
        "Un institut qui publie des évaluations indépendantes de projets d'IA territoriaux.",
    ),
    (
        "Poissy Saint-Exupéry en action",
        OrganisationKind.RESIDENTS_GROUP,
        "78",
        "Poissy",
        "Un collectif d'habitants du quartier Saint-Exupéry engagé pour l'accès aux droits.",
    ),
    (
        "Mantes Numérique Jeunes",
        OrganisationKind.ASSOCIATION,
        "78",
        "Mantes-la-Jolie",
        "Orientation et stages dans le numérique pour les jeunes du Val Fourré.",
    ),
    (
        "Créteil Innovation Sociale",
        OrganisationKind.STARTUP,
        "94",
        "Créteil",
        "Un assistant conversationnel qui aide à remplir les dossiers de logement social.",
    ),
    (
        "Val-de-Marne Insertion Numérique",
        OrganisationKind.ASSOCIATION,
        "94",
        "Champigny-sur-Marne",
        "Un chantier d'insertion qui reconditionne des ordinateurs pour les familles.",
    ),
    (
        "Argenteuil Tremplin",
        OrganisationKind.ASSOCIATION,
        "95",
        "Argenteuil",
        "Coaching vers l'emploi et ateliers de préparation aux entretiens en visio.",
    ),
]

CANDIDATES = [
    (
        "Start-up Voix des Quartiers",
        OrganisationKind.STARTUP,
        "93",
        "Pantin",
        "Une application de signalement vocal des problèmes du quartier.",
    ),
    (
        "Association Pas à Pas Numérique",
        OrganisationKind.ASSOCIATION,
        "13",
        "Marseille",
        "Des ateliers pour les seniors des quartiers nord.",
    ),
]

FIRST_NAMES = [
    "Nadia",
    "Yacine",
    "Fatou",
    "Julien",
    "Sofia",
    "Mamadou",
    "Inès",
    "Thomas",
    "Leïla",
    "Hugo",
    "Aïcha",
    "Mehdi",
    "Chloé",
    "Samir",
    "Mariam",
    "Lucas",
    "Amina",
    "Kevin",
    "Sarah",
    "Ousmane",
]
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTV"


def _qpv_candidates(department: str) -> list[QPV]:
    return list(QPV.objects.filter(department_code=department).order_by("code")[:12])


@transaction.atomic
def load(*, rng: random.Random) -> dict[str, int]:
    now = timezone.now()
    # Hash the shared demo password once: Argon2 is slow on purpose.
    hashed = make_password(DEMO_PASSWORD)
    coordinator = User.objects.create_user(
        email=DEMO_ACCOUNTS[0][0],
        password=None,
        display_name=DEMO_ACCOUNTS[0][1],
        is_coordinator=True,
        is_staff=True,
        email_verified_at=now,
        profile_public=True,
    )
    User.objects.create_user(
        email=DEMO_ACCOUNTS[1][0],
        password=None,
        display_name=DEMO_ACCOUNTS[1][1],
        is_resident=True,
        email_verified_at=now,
    )
    mediator = User.objects.create_user(
        email=DEMO_ACCOUNTS[2][0],
        password=None,
        display_name=DEMO_ACCOUNTS[2][1],
        email_verified_at=now,
        profile_public=True,
        show_email_to_members=True,
    )
    User.objects.create_superuser(
        email=DEMO_ACCOUNTS[3][0], password=None, display_name=DEMO_ACCOUNTS[3][1]
    )

    organisations = []
    for index, (name, kind, department, commune, summary) in enumerate(ORGANISATIONS):
        joined = now - timedelta(days=20 + index * 9)
        organisation = Organisation.objects.create(
            name=name,
            slug=unique_slug(Organisation, name, fallback="organisation"),
            kind=kind,
            status=OrganisationStatus.MEMBER,
            joined_at=joined,
            department_code=department,
            commune_name=commune,
            description=f"{summary}\n\n{FICTIONAL_NOTE}",
            website=f"https://{slugify(name)[:40]}.example.org",
        )
        qpvs = _qpv_candidates(department)
        if qpvs:
            organisation.qpvs.set(rng.sample(qpvs, k=min(len(qpvs), rng.randint(1, 3))))
        organisations.append(organisation)

    people = 0
    # Each name once: a public member never shares the name of a private one, so a name on a
    # page always says whose it is (and the privacy tests can look for it).
    used = {name for _email, name, _what in DEMO_ACCOUNTS}
    for index, organisation in enumerate(organisations):
        size = rng.randint(1, 3)
        for position in range(size):
            name = ""
            while not name or name in used:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."
            used.add(name)
            person = User.objects.create_user(
                email=f"membre{index:02d}-{position}@{DEMO_DOMAIN}",
                password=None,
                display_name=name,
                email_verified_at=now,
                profile_public=rng.random() < 0.6,
            )
            OrganisationMembership.objects.create(
                organisation=organisation,
                user=person,
                role=Role.ADMIN if position == 0 else Role.MEMBER,
            )
            if position == 0:
                MembershipRequest.objects.create(
                    requester=person,
                    organisation=organisation,
                    status=MembershipRequestStatus.ACCEPTED,
                    decided_by=coordinator,
                    decided_at=organisation.joined_at,
                    message="Nous souhaitons rejoindre le collectif.",
                )
            people += 1
    # The demo mediator administers the Sevran association.
    OrganisationMembership.objects.create(
        organisation=organisations[2], user=mediator, role=Role.ADMIN
    )

    for index, (name, kind, department, commune, summary) in enumerate(CANDIDATES):
        organisation = Organisation.objects.create(
            name=name,
            slug=unique_slug(Organisation, name, fallback="organisation"),
            kind=kind,
            status=OrganisationStatus.CANDIDATE,
            department_code=department,
            commune_name=commune,
            description=f"{summary}\n\n{FICTIONAL_NOTE}",
        )
        requester = User.objects.create_user(
            email=f"candidat{index}@{DEMO_DOMAIN}",
            password=None,
            display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.",
            email_verified_at=now,
        )
        MembershipRequest.objects.create(
            requester=requester,
            organisation=organisation,
            message="Bonjour, nous aimerions présenter notre projet au prochain petit déj de l'IA.",
        )
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").update(password=hashed)
    return {"organisations": len(organisations) + len(CANDIDATES), "people": people + 4}


def reset() -> None:
    """Remove the organisations and the demo people (used by `load_demo --reset`, last)."""
    Organisation.objects.all().delete()
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
