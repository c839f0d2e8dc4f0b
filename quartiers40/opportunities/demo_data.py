"""Fictional opportunities of the demo dataset: what a resident may find near home.

Each entry: (kind, title, summary, themes, cost, how_to_go, eligibility). Plain French,
the way a provider who knows residents would write it.
"""

from .enums import Cost, HowToGo, Level, OpportunityKind, QPVPriority, Situation

K = OpportunityKind
S = Situation
H = HowToGo

# (kind, title, summary, themes, cost, how to go, eligibility dict)
OFFERS = [
    (
        K.TRAINING,
        "Premiers pas sur l'ordinateur",
        "Vous n'avez jamais utilisé d'ordinateur ? En dix séances, vous apprenez à écrire un "
        "courriel, chercher sur internet et ranger vos documents.",
        ["numerique--maitriser-les-fondamentaux-du-numerique"],
        Cost.FREE,
        [H.COME, H.CALL],
        {"situations": [], "level_required": Level.NONE, "languages": ["fr", "ar"]},
    ),
    (
        K.TRAINING,
        "Formation agent·e de sécurité (CQP APS)",
        "Une formation de 8 semaines pour devenir agent·e de sécurité. Elle est payée par "
        "France Travail si vous êtes inscrit·e.",
        ["choisir-un-metier--confirmer-son-choix-de-metier"],
        Cost.COVERED,
        [H.PROFESSIONAL, H.LINK],
        {"situations": [S.JOB_SEEKER], "age_min": 18, "level_required": Level.NONE},
    ),
    (
        K.TRAINING,
        "Découvrir les métiers du numérique",
        "Quatre semaines pour essayer le code, le graphisme et l'assistance informatique. "
        "Pour les jeunes qui ne savent pas encore quel métier choisir.",
        ["choisir-un-metier--identifier-ses-points-forts-et-ses-competences"],
        Cost.FREE,
        [H.LINK, H.PROFESSIONAL],
        {"situations": [S.YOUNG], "age_min": 16, "age_max": 25, "qpv_priority": QPVPriority.FIRST},
    ),
    (
        K.TRAINING,
        "Français à l'oral pour le travail",
        "Des cours de français pour parler avec des collègues et des clients. Trois matinées par "
        "semaine, en petit groupe.",
        ["lecture-ecriture-calcul--maitriser-le-francais"],
        Cost.FREE,
        [H.COME, H.CALL],
        {"situations": [S.REFUGEE, S.JOB_SEEKER], "languages": ["fr", "en", "ar"]},
    ),
    (
        K.TRAINING,
        "Titre professionnel développeur·se web",
        "Une formation de 9 mois pour devenir développeur·se web, avec un stage en entreprise. "
        "Le bac est demandé.",
        ["choisir-un-metier--confirmer-son-choix-de-metier"],
        Cost.COVERED,
        [H.LINK],
        {"situations": [S.JOB_SEEKER], "level_required": Level.BAC, "age_min": 18},
    ),
    (
        K.JOB,
        "Employé·e de caisse à temps partiel",
        "Le supermarché du quartier recrute deux personnes en CDI, 24 heures par semaine. "
        "Débutant·es acceptés, vous serez formé·e.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        Cost.FREE,
        [H.COME, H.WRITE],
        {"age_min": 18, "qpv_priority": QPVPriority.FIRST},
    ),
    (
        K.JOB,
        "Agent·e d'entretien des espaces verts",
        "Un chantier d'insertion recrute pour entretenir les parcs du quartier. Contrat de "
        "6 mois, renouvelable, avec un accompagnement.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        Cost.FREE,
        [H.PROFESSIONAL, H.CALL],
        {"situations": [S.JOB_SEEKER, S.RSA], "qpv_priority": QPVPriority.ONLY},
    ),
    (
        K.JOB,
        "Annotateur·rice de données pour l'IA",
        "Une start-up du quartier cherche des personnes pour trier et décrire des images. "
        "Travail sur ordinateur, formation au début.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        Cost.FREE,
        [H.LINK, H.WRITE],
        {"age_min": 18, "level_required": Level.NONE, "qpv_priority": QPVPriority.FIRST},
    ),
    (
        K.JOB,
        "Médiateur·rice numérique",
        "La mairie recrute une personne pour aider les habitants à faire leurs démarches en "
        "ligne. Savoir utiliser un ordinateur et aimer le contact.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        Cost.FREE,
        [H.LINK],
        {"level_required": Level.BAC},
    ),
    (
        K.INTERNSHIP,
        "Stage de 3e dans une entreprise du numérique",
        "Une semaine de stage pour les élèves de 3e : découvrir comment on fabrique un site "
        "internet et une application.",
        ["choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"],
        Cost.FREE,
        [H.WRITE, H.CALL],
        {"age_min": 14, "age_max": 16, "qpv_priority": QPVPriority.FIRST},
    ),
    (
        K.INTERNSHIP,
        "Alternance technicien·ne support informatique",
        "Un contrat en alternance de 2 ans : une semaine à l'école, deux semaines en "
        "entreprise. Vous êtes payé·e pendant la formation.",
        ["choisir-un-metier--confirmer-son-choix-de-metier"],
        Cost.FREE,
        [H.LINK],
        {"age_min": 16, "age_max": 29, "situations": [S.YOUNG], "level_required": Level.CAP},
    ),
    (
        K.WORKSHOP,
        "Atelier CV et lettre de motivation",
        "Chaque mardi après-midi, une personne vous aide à écrire votre CV. Apportez vos "
        "documents, ou venez les mains vides.",
        ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
        Cost.FREE,
        [H.COME],
        {"situations": [S.JOB_SEEKER]},
    ),
    (
        K.WORKSHOP,
        "Comprendre l'intelligence artificielle",
        "Deux heures pour comprendre ce qu'est une IA, l'essayer et apprendre à s'en méfier. "
        "Pour tout le monde, sans connaissances.",
        ["numerique--maitriser-les-fondamentaux-du-numerique"],
        Cost.FREE,
        [H.COME, H.LINK],
        {},
    ),
    (
        K.WORKSHOP,
        "Atelier smartphone pour les seniors",
        "Apprendre à envoyer des photos, passer un appel vidéo et éviter les arnaques. "
        "Venez avec votre téléphone.",
        ["numerique--maitriser-les-fondamentaux-du-numerique"],
        Cost.FREE,
        [H.COME, H.CALL],
        {"situations": [S.SENIOR], "age_min": 60},
    ),
    (
        K.WORKSHOP,
        "Préparer un entretien d'embauche",
        "Un atelier pour s'entraîner à parler de soi devant un recruteur, avec des "
        "professionnels des ressources humaines.",
        ["trouver-un-emploi--convaincre-un-recruteur-en-entretien"],
        Cost.FREE,
        [H.COME, H.LINK],
        {"situations": [S.JOB_SEEKER, S.YOUNG]},
    ),
    (
        K.WORKSHOP,
        "Parents et écrans",
        "Un temps d'échange entre parents : les réseaux sociaux, les jeux vidéo, le temps "
        "d'écran des enfants. Garde d'enfants sur place.",
        ["famille--soutien-a-la-parentalite-et-a-leducation"],
        Cost.FREE,
        [H.COME],
        {"situations": [S.PARENT]},
    ),
    (
        K.MENTORING,
        "Un parrain ou une marraine pour trouver un emploi",
        "Une personne qui travaille vous accompagne pendant 6 mois : conseils, réseau, "
        "préparation des entretiens.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        Cost.FREE,
        [H.LINK, H.PROFESSIONAL],
        {"situations": [S.JOB_SEEKER, S.YOUNG], "qpv_priority": QPVPriority.FIRST},
    ),
    (
        K.MENTORING,
        "Mentorat pour créer son entreprise",
        "Vous avez une idée d'entreprise ? Un chef d'entreprise vous aide à la tester et à "
        "trouver un financement.",
        ["creer-une-entreprise--definir-son-projet-de-creation-dentreprise"],
        Cost.FREE,
        [H.LINK, H.CALL],
        {"age_min": 18},
    ),
    (
        K.MENTORING,
        "Mentorat étudiant : réussir ses études",
        "Un étudiant ou une étudiante plus âgé·e vous aide une heure par semaine : "
        "organisation, devoirs, orientation.",
        ["choisir-un-metier--identifier-ses-points-forts-et-ses-competences"],
        Cost.FREE,
        [H.LINK],
        {"situations": [S.STUDENT, S.YOUNG], "age_min": 15, "age_max": 25},
    ),
    (
        K.HELP,
        "Aide aux démarches en ligne",
        "Une personne vous aide à faire vos démarches sur internet : CAF, impôts, France "
        "Travail, Ameli. Avec ou sans rendez-vous.",
        ["numerique--acceder-a-des-services-en-ligne"],
        Cost.FREE,
        [H.COME, H.CALL],
        {"languages": ["fr", "ar", "snk"]},
    ),
    (
        K.HELP,
        "Ordinateurs et imprimante en accès libre",
        "Des ordinateurs, une imprimante et un scanner pour vos documents. Une personne est "
        "là pour aider si besoin.",
        ["numerique--acquerir-un-equipement"],
        Cost.FREE,
        [H.COME],
        {},
    ),
    (
        K.HELP,
        "Un ordinateur reconditionné à petit prix",
        "Des ordinateurs réparés, vendus 50 euros avec une formation de prise en main. Pour "
        "les personnes qui touchent une aide sociale.",
        ["numerique--acquerir-un-equipement"],
        Cost.PAID,
        [H.COME, H.PROFESSIONAL],
        {"situations": [S.RSA, S.JOB_SEEKER, S.STUDENT]},
    ),
    (
        K.HELP,
        "Permanence écrivain public",
        "Une personne vous aide à lire et à écrire vos courriers : bailleur, banque, "
        "administration. Gratuit et confidentiel.",
        ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        Cost.FREE,
        [H.COME],
        {"languages": ["fr", "ar", "tr"]},
    ),
    (
        K.HELP,
        "Conseiller emploi sans rendez-vous",
        "Chaque jeudi matin, un conseiller répond à vos questions sur l'emploi, la formation "
        "et les aides. Sans rendez-vous.",
        ["trouver-un-emploi--repondre-a-des-offres-demploi"],
        Cost.FREE,
        [H.COME],
        {"situations": [S.JOB_SEEKER, S.YOUNG, S.RSA]},
    ),
    (
        K.HELP,
        "Internet à la maison à tarif social",
        "On vous aide à choisir une offre internet à petit prix et à faire la demande. "
        "Apportez votre attestation CAF.",
        ["numerique--acceder-a-une-connexion-internet"],
        Cost.FREE,
        [H.COME, H.CALL],
        {"situations": [S.RSA]},
    ),
]

PLACE_NAMES = [
    "Maison de quartier",
    "Centre social",
    "Médiathèque",
    "Maison France services",
    "Espace public numérique",
    "Local associatif",
    "Mission locale",
    "Tiers-lieu",
]
STREETS = [
    "rue de la République",
    "avenue Jean-Jaurès",
    "place du Marché",
    "rue Victor-Hugo",
    "allée des Tilleuls",
    "boulevard Pablo-Picasso",
    "rue Paul-Éluard",
    "rue des Écoles",
]
OPENING_HOURS = [
    "Mo-Fr 09:00-12:00,14:00-17:00",
    "Tu,Th 14:00-18:00",
    "Mo-Sa 10:00-19:00",
    "We 14:00-17:00; Sa 09:30-12:30",
    "Mo-Fr 09:00-17:00; PH off",
]
