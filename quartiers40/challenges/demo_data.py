"""The fictional data of the défis' demo (`demo.py`): the needs, comments, offers, outcomes.

Every text is fictional and says so; the places are the QPVs loaded, by département.
"""

from quartiers40.projects.enums import Theme as T

DEPARTMENTS = ["93", "13", "69", "59", "33", "75", "78", "94", "95"]
FICTIONAL_NOTE = "(Défi fictif, créé pour la démonstration de la plateforme.)"
RESIDENT_EMAIL = "habitant{index:02d}@{domain}"
RESIDENT_NAMES = ["Samia K.", "Bakary T.", "Josiane M.", "Rachid B.", "Linh N.", "Fanta C."]

# (title, the situation in plain words, who is affected, what would count as solved, themes)
NEEDS = [
    (
        "Pas de wifi gratuit dans les halls d'immeuble",
        "Beaucoup de familles n'ont qu'un forfait téléphone avec peu de données. Les enfants "
        "font leurs devoirs dans les halls pour capter le réseau du voisin.",
        "Les familles sans box internet, les collégiens et les lycéens.",
        "Un accès wifi gratuit et sûr dans au moins un lieu ouvert le soir, près des immeubles.",
        [T.DIGITAL_INCLUSION, T.HOUSING],
    ),
    (
        "Les courriers de la CAF sont trop difficiles à comprendre",
        "On reçoit des lettres pleines de mots compliqués. Beaucoup de gens ne répondent pas à "
        "temps et perdent leurs droits pendant des mois.",
        "Les allocataires qui lisent peu le français, les personnes âgées.",
        "Chacun peut faire expliquer un courrier dans sa langue, le jour même.",
        [T.PUBLIC_SERVICES, T.DIGITAL_INCLUSION],
    ),
    (
        "Impossible de prendre rendez-vous en préfecture en ligne",
        "Les créneaux partent en quelques minutes, la nuit. Des personnes paient des inconnus "
        "pour obtenir un rendez-vous.",
        "Les personnes étrangères qui renouvellent leur titre de séjour.",
        "Un rendez-vous obtenu sans payer personne, avec de l'aide si besoin.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "Les parents ne savent pas utiliser l'espace numérique du collège",
        "Les notes, les absences et les messages des professeurs passent par une application. "
        "Beaucoup de parents ne l'ont jamais ouverte.",
        "Les parents d'élèves, surtout ceux qui parlent peu le français.",
        "Les parents consultent seuls les messages du collège chaque semaine.",
        [T.EDUCATION, T.DIGITAL_INCLUSION],
    ),
    (
        "Les ascenseurs restent en panne pendant des semaines",
        "Dans les tours, l'ascenseur tombe en panne presque chaque mois. Les personnes âgées "
        "restent enfermées chez elles en attendant la réparation.",
        "Les personnes âgées, les familles avec poussette, les personnes en fauteuil.",
        "Les pannes sont prévues et réparées en moins de 48 heures.",
        [T.HOUSING],
    ),
    (
        "Trop peu de places en formation numérique pour les femmes",
        "Les formations gratuites sont loin et à des horaires impossibles avec des enfants. "
        "Les femmes du quartier restent à l'écart des métiers du numérique.",
        "Les femmes sans emploi, les mères seules.",
        "Une formation près du quartier, avec garde d'enfants, et des places pour les habitantes.",
        [T.EMPLOYMENT, T.DIGITAL_INCLUSION],
    ),
    (
        "Les seniors isolés ne savent pas faire une téléconsultation",
        "Le médecin le plus proche propose des consultations en vidéo. Les personnes âgées "
        "n'osent pas et renoncent à se soigner.",
        "Les personnes âgées qui vivent seules.",
        "Chaque senior qui le souhaite a fait au moins une téléconsultation accompagné.",
        [T.HEALTH, T.DIGITAL_INCLUSION],
    ),
    (
        "Aucun bus après 21 heures pour rentrer du travail",
        "Les personnes qui travaillent dans la logistique ou le ménage finissent tard. Sans bus, "
        "elles marchent une heure ou refusent le poste.",
        "Les salariés en horaires décalés, les demandeurs d'emploi.",
        "Une solution de transport fiable entre 21 heures et minuit.",
        [T.MOBILITY, T.EMPLOYMENT],
    ),
    (
        "Les dépôts sauvages s'accumulent au pied des immeubles",
        "Des meubles et des sacs sont déposés chaque semaine. Personne ne sait qui prévenir, "
        "les rats arrivent.",
        "Tous les habitants, les enfants qui jouent dehors.",
        "Les dépôts sont signalés facilement et enlevés en moins de trois jours.",
        [T.ENVIRONMENT],
    ),
    (
        "Les collégiens ne trouvent pas de stage de troisième",
        "Sans réseau, les élèves finissent leur stage chez un proche ou nulle part. Ils ne "
        "découvrent aucun métier.",
        "Les élèves de troisième et leurs familles.",
        "Chaque élève trouve un stage qu'il a choisi, en entreprise ou en service public.",
        [T.EDUCATION, T.EMPLOYMENT],
    ),
    (
        "Les commerçants du marché ne vendent pas en ligne",
        "Les clients commandent de plus en plus sur internet. Les commerçants du marché n'ont "
        "ni le temps ni les outils pour le faire.",
        "Les commerçants et artisans du quartier.",
        "Dix commerçants vendent aussi en ligne et gardent leurs clients.",
        [T.LOCAL_ECONOMY],
    ),
    (
        "Les factures d'énergie explosent dans les logements mal isolés",
        "Le chauffage tourne en permanence et il fait froid quand même. Certaines familles "
        "choisissent entre se chauffer et manger.",
        "Les locataires du parc social, les familles nombreuses.",
        "Les factures baissent d'au moins 15 % sans avoir froid.",
        [T.HOUSING, T.ENVIRONMENT],
    ),
    (
        "Pas d'ordinateur à la maison pour faire les devoirs",
        "Les enseignants donnent des exercices en ligne. Dans beaucoup de familles, il n'y a "
        "qu'un téléphone pour quatre enfants.",
        "Les élèves des écoles et collèges du quartier.",
        "Chaque famille qui en a besoin a un ordinateur qui marche et sait s'en servir.",
        [T.EDUCATION, T.DIGITAL_INCLUSION],
    ),
    (
        "Les offres d'emploi demandent des diplômes que personne n'a ici",
        "Les annonces demandent un bac +2 pour des postes qui s'apprennent en quelques "
        "semaines. Les habitants ne postulent même plus.",
        "Les demandeurs d'emploi sans diplôme, les jeunes sortis tôt de l'école.",
        "Des employeurs recrutent sur les compétences et embauchent des habitants.",
        [T.EMPLOYMENT],
    ),
    (
        "Les réunions publiques ne sont pas comprises par tout le monde",
        "Les réunions sur la rénovation du quartier se font en français rapide, avec des "
        "sigles. Beaucoup d'habitants repartent sans avoir compris.",
        "Les habitants qui parlent peu le français, les personnes sourdes.",
        "Chaque réunion est traduite ou sous-titrée, et un résumé simple est publié.",
        [T.PUBLIC_SERVICES, T.CULTURE],
    ),
    (
        "Les signalements au bailleur restent sans réponse",
        "On appelle, on écrit, on ne sait jamais si la demande a été reçue. Les fuites et les "
        "moisissures durent des mois.",
        "Les locataires du parc social.",
        "Chaque signalement reçoit une réponse et une date d'intervention en une semaine.",
        [T.HOUSING],
    ),
    (
        "Le centre social est saturé le lundi matin",
        "La file d'attente commence avant l'ouverture. Les personnes repartent sans avoir été "
        "reçues et reviennent la semaine suivante.",
        "Les personnes qui viennent pour des démarches, les travailleurs sociaux.",
        "Plus personne ne repart sans rendez-vous ni réponse.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "L'éclairage de la passerelle est en panne le soir",
        "La passerelle qui mène à la gare est dans le noir depuis l'hiver. Beaucoup font un long "
        "détour ou n'osent plus sortir le soir.",
        "Les personnes qui rentrent tard, surtout les femmes et les jeunes.",
        "La passerelle est éclairée tous les soirs et les pannes réparées vite.",
        [T.SAFETY],
    ),
    (
        "Apprendre à coder, mais sans garde d'enfants c'est impossible",
        "Des mères du quartier veulent se former au code. Les ateliers ont lieu le soir, sans "
        "solution pour les enfants.",
        "Les mères de jeunes enfants.",
        "Un atelier régulier avec une garde d'enfants sur place.",
        [T.EMPLOYMENT, T.EDUCATION],
    ),
    (
        "Les arnaques par SMS se multiplient chez les personnes âgées",
        "De faux messages de la banque ou de l'Assurance maladie demandent des codes. Plusieurs "
        "voisins ont perdu de l'argent.",
        "Les personnes âgées et les personnes peu à l'aise avec le téléphone.",
        "Les habitants savent reconnaître une arnaque et à qui la signaler.",
        [T.SAFETY, T.DIGITAL_INCLUSION],
    ),
    (
        "Aucun médecin généraliste ne prend de nouveaux patients",
        "Le dernier médecin du quartier est parti à la retraite. Les familles vont aux urgences "
        "pour une fièvre.",
        "Les familles, les personnes âgées, les malades chroniques.",
        "Chaque habitant a un médecin traitant à moins de trente minutes.",
        [T.HEALTH],
    ),
    (
        "Les démarches de retraite en ligne bloquent les anciens travailleurs",
        "Les anciens ouvriers doivent prouver leurs années de travail sur un site compliqué. "
        "Certains touchent leur retraite avec un an de retard.",
        "Les anciens travailleurs immigrés, les personnes proches de la retraite.",
        "Chaque dossier est déposé complet, sans retard de paiement.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "Trouver une place en crèche relève du parcours du combattant",
        "Les dossiers se font en ligne, les critères ne sont pas expliqués. Les mères qui "
        "cherchent un travail n'ont aucune solution de garde.",
        "Les parents de jeunes enfants, surtout les familles monoparentales.",
        "Les familles savent où en est leur demande et ont une solution de garde.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "Les associations passent leurs soirées sur les dossiers de subvention",
        "Les bénévoles remplissent les mêmes informations dans dix formulaires différents. Ils "
        "n'ont plus le temps pour les habitants.",
        "Les petites associations du quartier.",
        "Un dossier rempli une fois sert pour plusieurs financeurs.",
        [T.LOCAL_ECONOMY, T.PUBLIC_SERVICES],
    ),
    (
        "Le terrain de foot est réservé sans que personne ne sache comment",
        "Le city stade est souvent fermé, ou occupé par des clubs de l'extérieur. Les jeunes ne "
        "savent pas comment le réserver.",
        "Les jeunes du quartier, les éducateurs sportifs.",
        "Le planning est public et les jeunes peuvent réserver des créneaux.",
        [T.CULTURE, T.PUBLIC_SERVICES],
    ),
    (
        "Les jeunes diplômés ne sont jamais rappelés après leurs candidatures",
        "Des jeunes avec un BTS envoient des dizaines de CV sans réponse. L'adresse du quartier "
        "sur le CV semble suffire à les écarter.",
        "Les jeunes diplômés du quartier.",
        "Des entretiens obtenus, et des employeurs engagés à recruter sans discriminer.",
        [T.EMPLOYMENT],
    ),
    (
        "La médiathèque ferme trop tôt pour les lycéens",
        "La médiathèque ferme à 18 heures, juste quand les lycéens sortent. Ils n'ont pas "
        "d'endroit calme pour réviser.",
        "Les lycéens et les étudiants du quartier.",
        "Un lieu calme, chauffé et connecté ouvert jusqu'à 21 heures.",
        [T.EDUCATION, T.CULTURE],
    ),
    (
        "Les punaises de lit reviennent dans plusieurs bâtiments",
        "Les traitements se font appartement par appartement et les punaises reviennent. Les "
        "familles jettent leurs meubles et dorment mal.",
        "Les locataires des bâtiments touchés.",
        "Les bâtiments sont traités en même temps et les punaises ne reviennent pas.",
        [T.HOUSING, T.HEALTH],
    ),
    (
        "Personne ne sait où recycler les vieux téléphones",
        "Les tiroirs sont pleins de téléphones cassés. Dans le même temps, des familles n'ont "
        "pas d'appareil qui fonctionne.",
        "Tous les habitants, les familles sans équipement.",
        "Un point de collecte dans le quartier, et des appareils reconditionnés redistribués.",
        [T.ENVIRONMENT, T.DIGITAL_INCLUSION],
    ),
    (
        "Les horaires de la maison France services ne conviennent pas aux salariés",
        "L'accueil est ouvert quand les gens travaillent. Les salariés posent des jours de congé "
        "pour une démarche.",
        "Les salariés, les parents qui travaillent.",
        "Une permanence le soir ou le samedi, au moins une fois par semaine.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "La mémoire du quartier disparaît avec les anciens",
        "Les premiers habitants des tours racontent une histoire que personne n'a écrite. Les "
        "jeunes ne la connaissent pas.",
        "Les anciens, les jeunes, les écoles.",
        "Des récits enregistrés, transcrits et accessibles à tous.",
        [T.CULTURE],
    ),
    (
        "Les chauffeurs du quartier veulent passer à l'électrique",
        "Les chauffeurs VTC et livreurs doivent changer de véhicule avec la zone à faibles "
        "émissions. Ils ne savent pas quelles aides existent.",
        "Les chauffeurs et livreurs indépendants.",
        "Chaque chauffeur connaît ses aides et a un plan pour changer de véhicule.",
        [T.MOBILITY, T.LOCAL_ECONOMY],
    ),
    (
        "Les ateliers numériques sont complets des mois à l'avance",
        "L'unique conseillère numérique du quartier a une liste d'attente de trois mois. Les "
        "démarches, elles, n'attendent pas.",
        "Les personnes qui ont besoin d'aide pour leurs démarches en ligne.",
        "Une aide numérique disponible en moins d'une semaine.",
        [T.DIGITAL_INCLUSION],
    ),
    (
        "Les élèves allophones décrochent en classe",
        "Des enfants arrivés récemment ne comprennent pas les cours. Ils restent silencieux et "
        "prennent du retard.",
        "Les élèves qui apprennent le français, leurs enseignants.",
        "Les élèves suivent les cours avec un soutien dans leur langue.",
        [T.EDUCATION],
    ),
    (
        "Les habitants ne savent pas à quelles aides ils ont droit",
        "Beaucoup de familles ne demandent pas les aides auxquelles elles ont droit, faute de "
        "savoir qu'elles existent.",
        "Les familles à petits revenus, les étudiants, les retraités.",
        "Chaque foyer connaît ses droits et les demande.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "Les petites entreprises du quartier n'ont pas de site internet",
        "Coiffeurs, garages, traiteurs : personne ne les trouve en ligne. Les clients vont dans "
        "les grandes enseignes.",
        "Les commerçants et artisans, les auto-entrepreneurs.",
        "Les entreprises du quartier apparaissent quand on les cherche en ligne.",
        [T.LOCAL_ECONOMY, T.DIGITAL_INCLUSION],
    ),
    (
        "Il fait trop chaud l'été dans les appartements du dernier étage",
        "En juillet, il fait plus de 35 degrés dans les appartements. Les personnes âgées et "
        "les bébés sont en danger.",
        "Les habitants des derniers étages, les personnes fragiles.",
        "Un lieu frais accessible et des logements protégés de la chaleur.",
        [T.HOUSING, T.ENVIRONMENT, T.HEALTH],
    ),
    (
        "Les femmes ne se sentent pas en sécurité au retour du RER",
        "Le chemin entre la gare et les immeubles est long et mal éclairé. Des femmes rentrent "
        "en courant ou ne sortent plus le soir.",
        "Les femmes qui travaillent tard, les étudiantes.",
        "Un trajet sûr, éclairé, et une solution pour rentrer accompagnée.",
        [T.SAFETY, T.MOBILITY],
    ),
    (
        "Pas de permis de conduire, pas de travail",
        "Les offres en entrepôt demandent le permis. Le permis coûte plus de 1 500 euros et "
        "l'auto-école la plus proche est loin.",
        "Les jeunes et les demandeurs d'emploi.",
        "Des jeunes obtiennent leur permis avec une aide et décrochent un emploi.",
        [T.MOBILITY, T.EMPLOYMENT],
    ),
    (
        "Des mois d'attente pour un rendez-vous de santé mentale",
        "Le centre médico-psychologique a six mois d'attente. Les jeunes en souffrance n'ont "
        "personne à qui parler.",
        "Les jeunes, les familles, les personnes isolées.",
        "Une première écoute dans la semaine, et un suivi ensuite.",
        [T.HEALTH],
    ),
    (
        "Les jeunes ne connaissent pas les métiers du numérique",
        "Au collège, personne ne parle des métiers de la donnée ou du développement. Les jeunes "
        "pensent que ce n'est pas pour eux.",
        "Les collégiens et lycéens.",
        "Chaque classe de troisième rencontre des professionnels du numérique.",
        [T.EMPLOYMENT, T.EDUCATION],
    ),
    (
        "Le marché du samedi manque de produits frais à prix accessibles",
        "Les fruits et légumes sont chers et les familles achètent surtout des produits "
        "transformés.",
        "Les familles à petit budget.",
        "Des produits frais à prix solidaire chaque semaine dans le quartier.",
        [T.LOCAL_ECONOMY, T.HEALTH],
    ),
    (
        "Les personnes sourdes ne peuvent pas suivre les permanences d'accueil",
        "Aucun accueil du quartier ne propose d'interprète ou de sous-titrage. Les personnes "
        "sourdes viennent avec un enfant pour traduire.",
        "Les personnes sourdes et malentendantes.",
        "Chaque accueil public propose une solution pour les personnes sourdes.",
        [T.PUBLIC_SERVICES, T.HEALTH],
    ),
    (
        "La file d'attente de la Poste déborde sur le trottoir",
        "Le bureau de poste est le seul service public du quartier. Les jours de versement des "
        "aides, on attend plus d'une heure dehors.",
        "Les personnes qui retirent de l'argent ou envoient des colis.",
        "Moins de vingt minutes d'attente, même les jours d'affluence.",
        [T.PUBLIC_SERVICES],
    ),
    (
        "Les logements vides restent vides pendant des années",
        "Des appartements sont murés depuis longtemps alors que des familles attendent un "
        "logement depuis des années.",
        "Les demandeurs de logement social.",
        "Les logements vides sont connus et remis en location rapidement.",
        [T.HOUSING],
    ),
    (
        "Les jeunes créateurs d'entreprise ne trouvent pas de local",
        "Des jeunes ont des projets de boutique ou d'atelier. Les locaux commerciaux du quartier "
        "sont vides, mais personne ne sait à qui s'adresser.",
        "Les jeunes qui créent leur activité.",
        "Des locaux vides loués à des créateurs du quartier.",
        [T.LOCAL_ECONOMY],
    ),
    (
        "Les clubs de sport refusent du monde faute d'encadrants",
        "Les clubs ont des listes d'attente de plusieurs dizaines d'enfants. Il manque des "
        "éducateurs formés.",
        "Les enfants et les adolescents.",
        "Chaque enfant qui le souhaite a une activité sportive.",
        [T.CULTURE, T.HEALTH],
    ),
    (
        "Les parents ne savent pas limiter le temps d'écran des enfants",
        "Les enfants passent des heures sur les téléphones. Les parents ne savent pas régler "
        "les appareils ni en parler.",
        "Les parents et les enfants de moins de douze ans.",
        "Les parents savent régler les écrans et trouvent des activités à proposer.",
        [T.EDUCATION, T.DIGITAL_INCLUSION],
    ),
    (
        "Les espaces verts sont abîmés et personne ne sait qui s'en occupe",
        "Entre la ville, la métropole et le bailleur, personne ne sait qui doit entretenir les "
        "pelouses et les jeux. Rien n'est réparé.",
        "Les familles, les enfants, les personnes âgées.",
        "Chaque espace a un responsable connu et les réparations sont suivies.",
        [T.ENVIRONMENT],
    ),
    (
        "Les personnes en fauteuil ne peuvent pas atteindre l'arrêt de tram",
        "Le chemin vers l'arrêt passe par des marches et un trottoir trop étroit. Les personnes "
        "en fauteuil restent chez elles.",
        "Les personnes en fauteuil, les parents avec poussette.",
        "Un chemin accessible jusqu'à l'arrêt, et des travaux signalés à l'avance.",
        [T.MOBILITY],
    ),
    (
        "Les associations ne savent pas si leurs ateliers numériques servent",
        "Les associations comptent les présences, mais ne savent pas si les personnes font "
        "ensuite leurs démarches seules.",
        "Les associations de médiation numérique, leurs financeurs.",
        "Une façon simple de mesurer ce que les ateliers changent pour les habitants.",
        [T.DIGITAL_INCLUSION],
    ),
]

COMMENTS = [
    "Chez nous c'est pareil, dans le bâtiment C. On en parle depuis des mois.",
    "Merci d'avoir posté ce défi. Je peux venir témoigner à la prochaine réunion.",
    "Est-ce que la mairie est au courant ? Il faudrait la mettre dans la boucle.",
    "Notre association a déjà essayé quelque chose il y a deux ans, on peut partager ce "
    "qu'on a appris.",
    "Je soutiens. Ma mère est directement concernée.",
    "Il existe peut-être déjà une solution dans une autre ville, quelqu'un a des nouvelles ?",
    "On pourrait commencer petit, avec un seul immeuble pour tester.",
]
REPLIES = [
    "Oui, je confirme, c'est la même chose dans notre rue.",
    "Bonne idée, je transmets au conseil citoyen.",
    "Merci ! On en discute au prochain petit déj de l'IA.",
]
HIDDEN_COMMENT = "Venez acheter mes abonnements pas chers, contactez-moi en privé !"
HIDDEN_REASON = "Publicité sans rapport avec le défi."

PROPOSALS = [
    "Nous animons déjà des ateliers sur ce sujet et pouvons en ouvrir un dans le quartier, "
    "deux fois par mois, dès le trimestre prochain.",
    "Notre équipe peut tester un outil pendant trois mois avec une vingtaine d'habitants, puis "
    "partager les résultats.",
    "Nous pouvons mettre à disposition un local et du matériel, et former deux habitants relais.",
    "Nous proposons une étude de terrain avec les habitants pour mesurer le besoin, puis un "
    "prototype.",
]
DECLINE_NOTES = [
    "Merci, mais la proposition est trop éloignée du quartier.",
    "Une autre proposition correspond mieux aux horaires des habitants.",
]
OUTCOMES = [
    (
        "Un atelier hebdomadaire a été ouvert au centre social ; les habitants y viennent avec "
        "leurs questions et repartent avec une réponse.",
        "Une quarantaine d'habitants accompagnés en six mois.",
    ),
    (
        "L'outil a été testé avec les habitants, corrigé, puis adopté par le bailleur et la ville.",
        "Les délais de réponse ont été divisés par deux.",
    ),
    (
        "Deux habitants relais ont été formés et tiennent une permanence chaque semaine.",
        "Plus aucune personne n'attend plus d'une semaine.",
    ),
]
CLOSED_REASONS = [
    "Le bailleur a lancé des travaux qui règlent le problème : le défi n'a plus lieu d'être.",
    "Après six mois, aucune solution réaliste n'a été trouvée avec les moyens disponibles. "
    "Le sujet sera reposé au prochain contrat de ville.",
    "Doublon d'un défi plus ancien, suivi ailleurs.",
]

# The lifecycle of each défi, by its position in NEEDS (the rest stay open).
BEING_ADDRESSED = {1, 5, 8, 12, 16, 21, 27, 33, 40, 46}
SOLVED = {0, 4, 10, 15, 20, 26, 31, 38}
CLOSED = {7, 19, 36, 44}
PENDING_MODERATION = {49, 50}
ON_BEHALF = {2, 13, 22, 29, 35, 42}
