"""The défis' choices, and the transition table of each status field, right after them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.workflows import Transition, Workflow

# Défis use the same theme code list as projects.
from quartiers40.projects.enums import Theme  # noqa: F401

_WHO = "quartiers40.challenges.permissions."


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    BEING_ADDRESSED = "being_addressed", _("En cours de traitement")
    SOLVED = "solved", _("Résolu")
    CLOSED = "closed", _("Fermé sans solution")


# open ─accept an offer─▶ being_addressed ─record the outcome─▶ solved
#   └──────────────┴──────close (reason)──▶ closed ─reopen (the team)─▶ open
CHALLENGE_WORKFLOW = Workflow(
    name="challenge",
    title=_("Défi"),
    field="status",
    states=ChallengeStatus,
    initial=(ChallengeStatus.OPEN,),
    invalid_message=_("Cette action n'est pas possible pour un défi « %(status)s »."),
    transitions=(
        Transition(
            "accept_offer",
            sources={ChallengeStatus.OPEN},
            target=ChallengeStatus.BEING_ADDRESSED,
            who=_WHO + "can_decide_offer",
            log="challenge_offer_accepted",
            description="An offer of help is accepted: the défi is being addressed.",
        ),
        Transition(
            "solve",
            sources={ChallengeStatus.BEING_ADDRESSED},
            target=ChallengeStatus.SOLVED,
            who=_WHO + "can_record_outcome",
            log="challenge_solved",
            description="The outcome is recorded.",
        ),
        Transition(
            "close",
            sources={ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED},
            target=ChallengeStatus.CLOSED,
            who=_WHO + "can_close_challenge",
            log="challenge_closed",
            description="Closed without a solution, with a reason.",
        ),
        Transition(
            "reopen",
            sources={ChallengeStatus.CLOSED},
            target=ChallengeStatus.OPEN,
            who=_WHO + "can_reopen_challenge",
            log="challenge_reopened",
            description="The coordination team reopens a défi closed by mistake.",
        ),
    ),
)


class ModerationState(models.TextChoices):
    PENDING = "pending", _("En attente de modération")
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Masqué")


# A new account's défi starts pending; anybody else's starts visible.
MODERATION_WORKFLOW = Workflow(
    name="challenge_moderation",
    title=_("Modération d'un défi"),
    field="moderation",
    states=ModerationState,
    initial=(ModerationState.PENDING, ModerationState.VISIBLE),
    invalid_message=_("Cette action n'est pas possible pour un défi « %(status)s »."),
    transitions=(
        Transition(
            "approve",
            sources={ModerationState.PENDING},
            target=ModerationState.VISIBLE,
            who=_WHO + "can_moderate_challenge",
            log="challenge_approved",
            invalid_message=_("Ce défi n'attend pas de modération."),
            description="The first défi of a new account is approved.",
        ),
        Transition(
            "hide",
            sources={ModerationState.PENDING, ModerationState.VISIBLE},
            target=ModerationState.HIDDEN,
            who=_WHO + "can_moderate_challenge",
            log="challenge_hidden",
            invalid_message=_("Ce défi est déjà masqué."),
            description="Hidden, with a reason sent to the author.",
        ),
        Transition(
            "unhide",
            sources={ModerationState.HIDDEN},
            target=ModerationState.VISIBLE,
            who=_WHO + "can_moderate_challenge",
            log="challenge_unhidden",
            invalid_message=_("Ce défi n'est pas masqué."),
            description="Shown again.",
        ),
    ),
)


class OfferState(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")
    WITHDRAWN = "withdrawn", _("Retirée")


OFFER_WORKFLOW = Workflow(
    name="challenge_offer",
    title=_("Proposition d'aide sur un défi"),
    field="state",
    states=OfferState,
    initial=(OfferState.PENDING,),
    invalid_message=_("Cette proposition a déjà reçu une réponse."),
    transitions=(
        Transition(
            "accept",
            sources={OfferState.PENDING},
            target=OfferState.ACCEPTED,
            who=_WHO + "can_decide_offer_of",
            log="challenge_offer_decided",
            description="Accepted: the défi is linked to the offer's project (or a new draft).",
        ),
        Transition(
            "decline",
            sources={OfferState.PENDING},
            target=OfferState.DECLINED,
            who=_WHO + "can_decide_offer_of",
            log="challenge_offer_decided",
            description="Declined, with an optional note.",
        ),
        Transition(
            "withdraw",
            sources={OfferState.PENDING},
            target=OfferState.WITHDRAWN,
            who=_WHO + "can_withdraw_offer",
            log="challenge_offer_withdrawn",
            description="The offering organisation withdraws it.",
        ),
    ),
)


class ReportTarget(models.TextChoices):
    CHALLENGE = "challenge", _("Défi")
    COMMENT = "comment", _("Commentaire")
