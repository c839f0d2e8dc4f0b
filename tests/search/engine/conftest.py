import pytest

from quartiers40.search.engine import SourceDocument
from quartiers40.search.engine.harness import MemoryIndex

DOCS = [
    SourceDocument(
        title="Atelier numérique pour les seniors",
        body="Des ateliers d'initiation à l'ordinateur et à internet pour les personnes âgées.",
        tags=("Etre initié aux outils numériques",),
        places=("Mérignac", "Bordeaux Métropole", "Gironde"),
    ),
    SourceDocument(
        title="Espace public numérique",
        body="Accès libre aux ordinateurs, imprimante et scanner. Aide aux démarches en ligne.",
        tags=("Accès à Internet en autonomie",),
        places=("Villenave-d'Ornon", "Bordeaux Métropole", "Gironde"),
    ),
    SourceDocument(
        title="Mission locale des Graves",
        body="Accompagnement des jeunes de 16 à 25 ans vers l'emploi et la formation.",
        tags=("Travail / Emploi", "Jeunesse"),
        places=("Talence", "Bordeaux Métropole", "Gironde"),
    ),
    SourceDocument(
        title="Point information jeunesse",
        body="Informations sur le logement, l'emploi et les loisirs pour les jeunes.",
        tags=("Jeunesse",),
        places=("Saint-André-de-Cubzac", "CC du Grand Cubzaguais", "Gironde"),
    ),
    SourceDocument(
        title="Non au harcèlement",
        body="Un service pour aider les élèves harcelés au collège et au lycée.",
        tags=("Education", "Jeunesse"),
        places=(),
    ),
    SourceDocument(
        title="Emplois francs",
        body="Une aide financière à l'embauche de demandeurs d'emploi des quartiers prioritaires.",
        tags=("Travail / Emploi", "entreprise"),
        places=(),
    ),
    SourceDocument(
        title="Albert",
        body="Un assistant d'intelligence artificielle générative pour les agents publics.",
        tags=("Intelligence artificielle", "agents publics"),
        places=(),
    ),
    SourceDocument(
        title="Epicerie solidaire du quartier",
        body="Produits à petits prix pour les familles aux revenus modestes, aide alimentaire.",
        tags=("Social",),
        places=("Bordeaux", "Bordeaux Métropole", "Gironde"),
    ),
]


@pytest.fixture(scope="module")
def index():
    idx = MemoryIndex()
    for number, doc in enumerate(DOCS, 1):
        idx.add(number, doc)
    return idx
