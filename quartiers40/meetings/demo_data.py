"""Texts of the meetings demo (venues, speakers, decisions, minutes): fictional, and say so."""

from .enums import ActionItemStatus

# (city, place, address, accessibility) for the past editions, oldest first, then the next.
VENUES = [
    (
        "Paris",
        "Maison des initiatives étudiantes",
        "50 rue des Tournelles, 75003 Paris (adresse fictive)",
        "Accès de plain-pied, ascenseur, boucle magnétique à l'accueil.",
    ),
    (
        "Marseille",
        "Cité des associations",
        "93 La Canebière, 13001 Marseille (adresse fictive)",
        "Ascenseur ; places réservées au premier rang ; métro Noailles.",
    ),
    (
        "Lyon",
        "Médiathèque du Point du Jour",
        "10 rue Joliot-Curie, 69005 Lyon (adresse fictive)",
        "Accès de plain-pied ; sous-titrage en direct pour la diffusion en ligne.",
    ),
    (
        "Saint-Denis",
        "Maison de la jeunesse",
        "12 place du Caquet, 93200 Saint-Denis (adresse fictive)",
        "Accès de plain-pied, toilettes adaptées, interprète LSF sur demande.",
    ),
    (
        "Roubaix",
        "La Condition publique",
        "14 place du Général Faidherbe, 59100 Roubaix (adresse fictive)",
        "Accès de plain-pied, boucle magnétique ; métro Eurotéléport.",
    ),
]

# Speakers are typed names, published on the agenda: full names, so that none is ever the
# "First L." name of a demo member whose profile is private.
SPEAKERS = [
    "Nadia Benkirane",
    "Yanis Kaci",
    "Fatou Diop",
    "Thomas Lefèvre",
    "Inès Moreau",
    "Moussa Sylla",
    "Léa Roux",
]

# (what, months after the edition it is due, status) per past edition.
ACTIONS = [
    [
        ("Publier la carte des lieux de médiation numérique", 2, ActionItemStatus.DONE),
        ("Recenser les besoins en traduction des centres sociaux", 3, ActionItemStatus.DONE),
        ("Organiser un atelier « IA et emploi » avec France Travail", 4, ActionItemStatus.DROPPED),
    ],
    [
        (
            "Partager un modèle de convention de données avec les bailleurs",
            2,
            ActionItemStatus.DONE,
        ),
        (
            "Monter un groupe de travail sur l'accessibilité des outils",
            3,
            ActionItemStatus.IN_PROGRESS,
        ),
        (
            "Trouver un financement pour le covoiturage en horaires décalés",
            3,
            ActionItemStatus.OPEN,
        ),
    ],
    [
        (
            "Tester le sous-titrage automatique dans deux conseils de quartier",
            2,
            ActionItemStatus.IN_PROGRESS,
        ),
        ("Rédiger une charte d'usage de l'IA pour les associations", 4, ActionItemStatus.OPEN),
        (
            "Présenter les résultats de l'aide aux devoirs à la prochaine rencontre",
            2,
            ActionItemStatus.DONE,
        ),
    ],
    [
        ("Ouvrir les données de fréquentation des centres sociaux", 1, ActionItemStatus.OPEN),
        ("Former dix médiateurs aux assistants conversationnels", 4, ActionItemStatus.IN_PROGRESS),
        ("Relancer l'appel à défis auprès des conseils citoyens", 5, ActionItemStatus.OPEN),
        ("Évaluer l'outil de tri des déchets de la recyclerie", 2, ActionItemStatus.DROPPED),
    ],
]

MINUTES = """## Ce que nous avons retenu

{pitches}

## Les échanges

Les participantes et participants, sur place et en ligne, ont surtout parlé de la
confiance : qui voit les données, combien de temps elles sont gardées, et comment un
habitant peut dire non. Plusieurs associations demandent des outils en français facile.

## Décisions

Les actions décidées sont listées plus bas, avec la personne ou l'organisation qui s'en
charge et une échéance. Nous ferons le point au début de la prochaine rencontre.

{note}
"""
