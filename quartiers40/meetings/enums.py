"""Choices of the meetings domain, each status followed by its transition table.

The tables say from which states, to which state, who may (a predicate of
`permissions.py`, or the platform itself) and what the action log records. Services check
them under the row lock; views, templates and the API ask them which actions to offer.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.workflows import SYSTEM, Transition, Workflow

_WHO = "quartiers40.meetings.permissions."


class SeriesKind(models.TextChoices):
    NATIONAL = "national", _("Rencontre nationale")
    LOCAL = "local", _("Rencontre locale")


class SeriesStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validée")
    REFUSED = "refused", _("Refusée")


SERIES_WORKFLOW = Workflow(
    name="meetings_series",
    title="Meetings: series",
    field="status",
    states=SeriesStatus,
    initial=(SeriesStatus.PENDING, SeriesStatus.APPROVED),
    invalid_message=_("Cette série a déjà été examinée."),
    transitions=(
        Transition(
            "approve",
            sources={SeriesStatus.PENDING},
            target=SeriesStatus.APPROVED,
            who=_WHO + "can_approve_series",
            log="series_approved",
            description="The coordination team approves a local series.",
        ),
        Transition(
            "refuse",
            sources={SeriesStatus.PENDING},
            target=SeriesStatus.REFUSED,
            who=_WHO + "can_approve_series",
            log="series_refused",
            description="The coordination team refuses it, with a reason.",
        ),
    ),
)


class EditionFormat(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    ONLINE = "online", _("En ligne")
    HYBRID = "hybrid", _("Sur place et en ligne")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    CANCELLED = "cancelled", _("Annulée")


EDITION_WORKFLOW = Workflow(
    name="meetings_edition",
    title="Meetings: editions",
    field="status",
    states=EditionStatus,
    initial=(EditionStatus.DRAFT,),
    invalid_message=_("Seul un brouillon peut être publié."),
    transitions=(
        Transition(
            "publish",
            sources={EditionStatus.DRAFT},
            target=EditionStatus.PUBLISHED,
            who=_WHO + "can_organise",
            log="edition_published",
            description="In an approved series; an online edition needs its link.",
        ),
        Transition(
            "cancel",
            sources={EditionStatus.DRAFT, EditionStatus.PUBLISHED},
            target=EditionStatus.CANCELLED,
            who=_WHO + "can_organise",
            log="edition_cancelled",
            invalid_message=_("Cette rencontre est déjà annulée."),
            description="With a reason; everyone registered is told.",
        ),
    ),
)


class Attendance(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    ONLINE = "online", _("En ligne")


class RegistrationStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("E-mail à confirmer")
    CONFIRMED = "confirmed", _("Inscription confirmée")
    WAITING = "waiting", _("Liste d'attente")
    OFFERED = "offered", _("Place proposée, à confirmer")
    CANCELLED = "cancelled", _("Annulée")
    EXPIRED = "expired", _("Proposition expirée")


# Registrations that still count (one per person and edition).
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING_CONFIRMATION,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
# Registrations that hold a seat: an offer keeps the seat until its deadline.
SEAT_HOLDING_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)

REGISTRATION_WORKFLOW = Workflow(
    name="meetings_registration",
    title="Meetings: registrations",
    field="status",
    states=RegistrationStatus,
    # Signed in or registered by a mediator: a seat or the waiting list at once; without
    # an account: the e-mail address is confirmed first.
    initial=(
        RegistrationStatus.PENDING_CONFIRMATION,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    ),
    invalid_message=_("Cette inscription n'est plus active."),
    transitions=(
        Transition(
            "confirm_email",
            sources={RegistrationStatus.PENDING_CONFIRMATION},
            target=RegistrationStatus.CONFIRMED,
            who=_WHO + "holds_registration_link",
            log="registration_email_confirmed",
            description="The link in the e-mail is followed and a seat is free.",
        ),
        Transition(
            "confirm_email_to_waiting_list",
            sources={RegistrationStatus.PENDING_CONFIRMATION},
            target=RegistrationStatus.WAITING,
            who=_WHO + "holds_registration_link",
            log="registration_email_confirmed",
            description="The link is followed but the edition is full (or people wait).",
        ),
        Transition(
            "offer",
            sources={RegistrationStatus.WAITING},
            target=RegistrationStatus.OFFERED,
            who=SYSTEM,
            log="registration_offered",
            description="A seat is freed: the first waiting person may take it until a deadline.",
        ),
        Transition(
            "accept_offer",
            sources={RegistrationStatus.OFFERED},
            target=RegistrationStatus.CONFIRMED,
            who=_WHO + "holds_registration_link",
            log="registration_offer_accepted",
            invalid_message=_("Aucune place ne vous est proposée."),
            description="The offered seat is taken before the deadline.",
        ),
        Transition(
            "expire_offer",
            sources={RegistrationStatus.OFFERED},
            target=RegistrationStatus.EXPIRED,
            who=SYSTEM,
            log="registration_offer_expired",
            description="The deadline passed: the seat goes to the next person.",
        ),
        Transition(
            "cancel",
            sources=set(ACTIVE_REGISTRATION_STATUSES),
            target=RegistrationStatus.CANCELLED,
            who=_WHO + "can_cancel_registration",
            log="registration_cancelled",
            description="Signed in: by the person, the mediator who registered them, an organiser.",
        ),
        Transition(
            "cancel_from_link",
            sources=set(ACTIVE_REGISTRATION_STATUSES),
            target=RegistrationStatus.CANCELLED,
            who=_WHO + "holds_registration_link",
            log="registration_cancelled",
            description="From the link in any e-mail, without signing in.",
        ),
        # Check-in keeps the status: it marks a confirmed person present (or not).
        Transition(
            "check_in",
            sources={RegistrationStatus.CONFIRMED},
            target=RegistrationStatus.CONFIRMED,
            who=_WHO + "can_check_in_registration",
            log="registration_checked_in",
            invalid_message=_("Seules les inscriptions confirmées sont pointées."),
            description="On the day, an organiser marks the person present.",
        ),
        Transition(
            "undo_check_in",
            sources={RegistrationStatus.CONFIRMED},
            target=RegistrationStatus.CONFIRMED,
            who=_WHO + "can_check_in_registration",
            log="registration_check_in_undone",
            invalid_message=_("Seules les inscriptions confirmées sont pointées."),
            description="The presence is withdrawn.",
        ),
    ),
)


class PitchStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Proposée")
    ACCEPTED = "accepted", _("Retenue")
    DECLINED = "declined", _("Non retenue")


PITCH_WORKFLOW = Workflow(
    name="meetings_pitch",
    title="Meetings: pitch applications",
    field="status",
    states=PitchStatus,
    initial=(PitchStatus.SUBMITTED,),
    invalid_message=_("Cette proposition a déjà été examinée."),
    transitions=(
        Transition(
            "accept",
            sources={PitchStatus.SUBMITTED},
            target=PitchStatus.ACCEPTED,
            who=_WHO + "can_decide_pitch",
            log="pitch_accepted",
            description="It becomes an agenda item, at the end.",
        ),
        Transition(
            "decline",
            sources={PitchStatus.SUBMITTED},
            target=PitchStatus.DECLINED,
            who=_WHO + "can_decide_pitch",
            log="pitch_declined",
        ),
    ),
)


class AgendaItemKind(models.TextChoices):
    PITCH = "pitch", _("Présentation")
    TALK = "talk", _("Intervention")
    WORKSHOP = "workshop", _("Atelier")
    BREAK = "break", _("Pause")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Faite")
    DROPPED = "dropped", _("Abandonnée")


OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)

# Owners (and organisers) move an action along: open ⇄ in progress → done, or dropped.
# Each target state is reached by one transition (`ACTION_ITEM_STATUS_TRANSITION`).
ACTION_ITEM_WORKFLOW = Workflow(
    name="meetings_action_item",
    title="Meetings: action items",
    field="status",
    states=ActionItemStatus,
    initial=(ActionItemStatus.OPEN,),
    invalid_message=_("Ce changement de statut n'est pas possible."),
    invalid_field="status",
    transitions=(
        Transition(
            "start",
            sources={ActionItemStatus.OPEN, ActionItemStatus.DONE},
            target=ActionItemStatus.IN_PROGRESS,
            who=_WHO + "can_update_action_item",
            log="action_item_status_changed",
        ),
        Transition(
            "reopen",
            sources={ActionItemStatus.IN_PROGRESS, ActionItemStatus.DROPPED},
            target=ActionItemStatus.OPEN,
            who=_WHO + "can_update_action_item",
            log="action_item_status_changed",
        ),
        Transition(
            "finish",
            sources=set(OPEN_ACTION_STATUSES),
            target=ActionItemStatus.DONE,
            who=_WHO + "can_update_action_item",
            log="action_item_status_changed",
        ),
        Transition(
            "drop",
            sources=set(OPEN_ACTION_STATUSES),
            target=ActionItemStatus.DROPPED,
            who=_WHO + "can_update_action_item",
            log="action_item_status_changed",
        ),
    ),
)
ACTION_ITEM_STATUS_TRANSITION = {t.target: t.name for t in ACTION_ITEM_WORKFLOW.transitions}


class ResourceKind(models.TextChoices):
    SLIDES = "slides", _("Support de présentation")
    REPLAY = "replay", _("Rediffusion")
    DOCUMENT = "document", _("Document")
