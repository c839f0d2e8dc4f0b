"""Défis as the API shows them: a neighbourhood's need, never the resident who lives it.

The author is the public label decided by `challenges.permissions.challenge_public_author`
(an organisation, a public profile, or an anonymous "Un·e habitant·e"); a défi posted by a
mediator for a resident names the mediator's organisation only. Comment authors go through
`comment_public_author`. No e-mail, no account id.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quartiers40.challenges import permissions
from quartiers40.challenges.enums import (
    CHALLENGE_WORKFLOW,
    MODERATION_WORKFLOW,
    ChallengeStatus,
    Theme,
)
from quartiers40.challenges.models import Challenge, ChallengeComment, ChallengeOffer
from quartiers40.core.links import absolute_url
from quartiers40.core.markdown import render_markdown

from .common import (
    ACTIONS_DESCRIPTION,
    MAX_ID,
    Choice,
    actions_for,
    choice,
    translations_field,
    translations_of,
)
from .organisations import QPVBriefOut
from .projects import OrganisationRefOut, ProjectRefOut


class ChallengeFilters(Schema):
    theme: Theme | None = Field(None, description="Thème (les mêmes codes que les projets).")
    status: ChallengeStatus | None = Field(None, description="Statut du défi.")
    qpv: str | None = Field(
        None, max_length=16, description="Code d'un quartier prioritaire (QN09301M…)."
    )
    department: str | None = Field(
        None, max_length=3, description="Code du département (93, 2A, 971…)."
    )
    q: str | None = Field(
        None, max_length=100, description="Recherche dans le titre, la situation et le public."
    )
    sort: Literal["supports", "newest"] = Field(
        "supports", description="« supports » : les plus soutenus d'abord ; « newest » : récents."
    )


class OutcomeOut(Schema):
    """What came of a solved défi."""

    text: str = Field(description="Ce qui a été fait.")
    result: str = Field(description="Le résultat en une ligne.")
    project: ProjectRefOut | None = Field(description="Le projet qui a répondu, s'il y en a un.")


def _public_project(project):
    """Only a published project is named: a draft stays private to its carrier."""
    from quartiers40.projects.enums import ProjectStatus

    if project is None or project.status != ProjectStatus.PUBLISHED:
        return None
    return project


class ChallengeOut(Schema):
    id: str = Field(description="Identifiant public du défi.")
    slug: str
    title: str
    situation: str = Field(description="La situation, en mots simples.")
    affected: str = Field(description="Qui est concerné.")
    solved_when: str = Field(description="Ce qui voudrait dire que c'est résolu.")
    themes: list[Choice]
    qpvs: list[QPVBriefOut] = Field(description="Quartiers prioritaires concernés.")
    commune_insee: str | None
    commune_name: str
    department: str | None
    status: Choice
    supports_count: int
    comments_count: int = Field(description="Commentaires publics.")
    offers_count: int = Field(description="Propositions d'aide (hors retirées).")
    author: str = Field(
        description="Qui a posté le défi, tel qu'affiché publiquement (jamais un habitant)."
    )
    on_behalf_of_resident: bool = Field(
        description="Posté par un médiateur pour un habitant qui a donné son accord."
    )
    organisation: OrganisationRefOut | None = Field(
        description="L'organisation qui a posté le défi, s'il y en a une."
    )
    outcome: OutcomeOut | None = Field(description="Pour un défi résolu : ce qui en est sorti.")
    closed_reason: str | None = Field(description="Pour un défi fermé sans solution : pourquoi.")
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime | None
    url: str = Field(description="Adresse absolue de sa page sur le site.")

    @staticmethod
    def resolve_id(challenge: Challenge) -> str:
        return challenge.public_id

    @staticmethod
    def resolve_themes(challenge: Challenge) -> list[Choice]:
        return [
            choice(code, Theme(code).label) for code in challenge.themes if code in Theme.values
        ]

    @staticmethod
    def resolve_qpvs(challenge: Challenge) -> list:
        return list(challenge.qpvs.all())  # prefetched by the endpoints

    @staticmethod
    def resolve_commune_insee(challenge: Challenge) -> str | None:
        return challenge.commune_insee or None

    @staticmethod
    def resolve_department(challenge: Challenge) -> str | None:
        if challenge.department:
            return challenge.department
        qpvs = list(challenge.qpvs.all())
        return qpvs[0].department_code if qpvs else None

    @staticmethod
    def resolve_status(challenge: Challenge) -> Choice:
        return choice(challenge.status, challenge.get_status_display())

    @staticmethod
    def resolve_comments_count(challenge: Challenge) -> int:
        return getattr(challenge, "public_comments_count", 0)

    @staticmethod
    def resolve_offers_count(challenge: Challenge) -> int:
        return getattr(challenge, "public_offers_count", 0)

    @staticmethod
    def resolve_author(challenge: Challenge) -> str:
        return str(permissions.challenge_public_author(challenge, None))

    @staticmethod
    def resolve_outcome(challenge: Challenge) -> OutcomeOut | None:
        if challenge.status != ChallengeStatus.SOLVED:
            return None
        project = _public_project(challenge.outcome_project)
        return OutcomeOut(
            text=challenge.outcome_text,
            result=challenge.outcome_result,
            project=ProjectRefOut.from_orm(project) if project else None,
        )

    @staticmethod
    def resolve_closed_reason(challenge: Challenge) -> str | None:
        if challenge.status != ChallengeStatus.CLOSED:
            return None
        return challenge.closed_reason

    @staticmethod
    def resolve_url(challenge: Challenge) -> str:
        return absolute_url(challenge.get_absolute_url())


class ReplyOut(Schema):
    id: int
    author: str = Field(description="Le nom public de la personne, ou « Un·e habitant·e ».")
    body: str
    body_html: str = Field(description="Le commentaire en HTML assaini.")
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_author(comment: ChallengeComment) -> str:
        return str(permissions.comment_public_author(comment, None))

    @staticmethod
    def resolve_body_html(comment: ChallengeComment) -> str:
        return str(render_markdown(comment.body))


class CommentOut(ReplyOut):
    replies: list[ReplyOut] = Field(description="Les réponses publiques (un seul niveau).")

    @staticmethod
    def resolve_replies(comment: ChallengeComment) -> list:
        return list(getattr(comment, "visible_replies", []))


class OfferOut(Schema):
    """An organisation's "we can help": who, what, and what the author answered."""

    id: int
    organisation: OrganisationRefOut
    proposal: str
    state: Choice
    project: ProjectRefOut | None = Field(description="Le projet lié, une fois acceptée.")
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_state(offer: ChallengeOffer) -> Choice:
        return choice(offer.state, offer.get_state_display())

    @staticmethod
    def resolve_project(offer: ChallengeOffer):
        return _public_project(offer.project)


class ChallengeDetailOut(ChallengeOut):
    comments: list[CommentOut] = Field(description="Commentaires publics, avec leurs réponses.")
    offers: list[OfferOut] = Field(description="Propositions d'aide (hors retirées).")
    actions: list[str] = Field(description=ACTIONS_DESCRIPTION, examples=[["close"]])

    @staticmethod
    def resolve_actions(challenge: Challenge, context) -> list[str]:
        return actions_for([CHALLENGE_WORKFLOW, MODERATION_WORKFLOW], challenge, context)

    @staticmethod
    def resolve_comments(challenge: Challenge) -> list:
        return list(getattr(challenge, "public_comments", []))

    @staticmethod
    def resolve_offers(challenge: Challenge) -> list:
        return list(getattr(challenge, "public_offers", []))

    translations: dict[str, dict[str, str]] = translations_field()

    @staticmethod
    def resolve_translations(challenge: Challenge) -> dict[str, dict[str, str]]:
        return translations_of(challenge)


class ChallengeOwnOut(ChallengeDetailOut):
    """What the author reads back after a write: the défi may still wait for moderation."""

    moderation: Choice = Field(
        description="« pending » : en attente de l'équipe de coordination ; « visible » : public."
    )

    @staticmethod
    def resolve_moderation(challenge: Challenge) -> Choice:
        return choice(challenge.moderation, challenge.get_moderation_display())


class ChallengePatchIn(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=3, max_length=160)
    situation: str | None = Field(None, min_length=1, max_length=4000)
    affected: str | None = Field(None, min_length=1, max_length=1000)
    solved_when: str | None = Field(None, min_length=1, max_length=1000)
    themes: list[Theme] | None = None
    qpvs: list[Annotated[str, Field(max_length=16)]] | None = Field(
        None, max_length=20, description="Codes des QPV."
    )
    commune_insee: str | None = Field(None, max_length=5)
    commune_name: str | None = Field(None, max_length=120)

    def changes(self) -> dict:
        """The fields sent, as the model stores them (codes, "" for an emptied text)."""
        changes = {}
        for name, value in self.model_dump(exclude_unset=True).items():
            if name in ("themes", "qpvs"):
                value = [str(item).strip() for item in value or []]
            else:
                value = str(value or "").strip()
            changes[name] = value
        return changes


class ChallengeCreateIn(Schema):
    """A new défi. It may wait for the coordination team before being public."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=160)
    situation: str = Field(
        min_length=1, max_length=4000, description="La situation, en mots simples."
    )
    affected: str = Field(min_length=1, max_length=1000, description="Qui est concerné.")
    solved_when: str = Field(
        min_length=1, max_length=1000, description="Ce qui voudrait dire que c'est résolu."
    )
    themes: list[Theme] = Field(default_factory=list)
    qpvs: list[Annotated[str, Field(max_length=16)]] = Field(
        default_factory=list, max_length=20, description="Codes des QPV."
    )
    commune_insee: str = Field("", max_length=5)
    commune_name: str = Field("", max_length=120)
    organisation: str | None = Field(
        None,
        max_length=220,
        description="Identifiant (slug) d'une organisation dont vous êtes, pour poster en son nom.",
    )
    on_behalf_of_resident: bool = Field(
        False, description="Vous postez pour un·e habitant·e (médiation numérique)."
    )
    resident_consent: bool = Field(
        False,
        description="Obligatoire avec on_behalf_of_resident : l'habitant·e a donné son accord.",
    )


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=4000)
    parent: int | None = Field(
        None, ge=1, le=MAX_ID, description="Identifiant du commentaire auquel répondre."
    )


class SupportOut(Schema):
    supported: bool
    supports_count: int
