"""The provenance of texts an AI drafted and a person reviewed (assist/), in every output."""

from datetime import datetime

from ninja import Field, Schema


class AIProvenanceOut(Schema):
    """One field whose text started from an AI draft that a person reviewed and saved."""

    field: str = Field(description="Le champ concerné (easy_read_summary…).")
    model: str = Field(
        description="Le modèle d'IA qui a proposé le texte.", examples=["albert-large"]
    )
    drafted_at: datetime = Field(description="Quand l'IA l'a proposé.")
    reviewed_by: str = Field(description="Qui l'a relu : l'organisation, sinon la personne.")
    reviewed_at: datetime = Field(description="Quand le texte relu a été enregistré.")
    label: str = Field(
        description="La mention affichée : « Proposé par une IA (modèle), relu par … le … »."
    )


AI_PROVENANCE_DESCRIPTION = (
    "Les champs dont le texte a été proposé par une IA puis relu et enregistré par une "
    "personne (vide sinon)."
)
