"""Writes of the AI help: ask for a draft (within the daily budgets), accept a reviewed one.

A draft is only ever a proposal: nothing here publishes or saves content. The content
apps put the draft in a form; when a person saves that form, `ai_draft_accept` records
the provenance of the saved field (model, who reviewed, when) and the action log.

The HTTP call is made outside any transaction (a slow model must not hold a database
lock); the budget is counted in its own short transaction before the call, so a call
that fails still counts (it cost the API as much).
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import cache_version_bump
from quartiers40.core.services import action_log_record
from quartiers40.members.models import Organisation, User

from .clients.chat import ChatError, ChatTimeout, chat_complete, chat_enabled
from .enums import DraftPurpose
from .models import AIDraft, AssistUsage, text_hash
from .redaction import redact_messages

logger = logging.getLogger(__name__)

TOKEN_SALT = "quartiers40.assist.draft"  # noqa: S105 (a signing salt, not a secret)
TOKEN_MAX_AGE = 2 * 24 * 3600  # seconds: a form left open over a weekend still saves
SOURCE_MAX_CHARS = 12000  # what is sent of a long text (minutes, descriptions)
TRANSLATION_LANGUAGES = {"en": "anglais", "ar": "arabe"}

SYSTEM_PROMPT = (
    "Tu aides les membres du collectif Quartiers 4.0 (l'IA dans les quartiers prioritaires) "
    "à écrire. Tu proposes un texte qu'une personne relira. Tu n'inventes aucun fait. "
    "Les mentions entre crochets ([personne], [e-mail], [téléphone]) remplacent des données "
    "personnelles retirées : garde-les telles quelles ou omets-les."
)


class AssistUnavailable(Exception):
    """No draft this time; `message` is what the person reads (French, translated)."""

    def __init__(self, message: str, *, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.reason = reason or message


class AssistBudgetExceeded(AssistUnavailable):
    pass


@dataclass(frozen=True)
class AssistText:
    """A text from the model that is not stored (a translation): its words and its model."""

    text: str
    model_name: str


@dataclass(frozen=True)
class MinutesProposal:
    draft: AIDraft  # the summary, to accept into the minutes' summary field
    action_items: list[str]  # proposed action items, one line each, for the organiser to tick


def assist_enabled() -> bool:
    return chat_enabled()


def _today(now: datetime | None) -> date:
    return timezone.localdate(now or timezone.now())


@transaction.atomic
def assist_budget_consume(*, actor: User, now: datetime | None = None) -> int:
    """Count one call for `actor` today; refuse past the per-person or the global budget.

    Returns the person's calls today, this one included."""
    day = _today(now)
    usage, _created = AssistUsage.objects.get_or_create(day=day, user=actor)
    usage = AssistUsage.objects.select_for_update().get(pk=usage.pk)
    if usage.calls >= settings.ASSIST_DAILY_BUDGET_PER_USER:
        raise AssistBudgetExceeded(
            _("Vous avez utilisé toute l'aide de l'IA prévue pour aujourd'hui. Réessayez demain."),
            reason="person budget",
        )
    total = AssistUsage.objects.filter(day=day).aggregate(total=Sum("calls"))["total"] or 0
    if total >= settings.ASSIST_DAILY_BUDGET_TOTAL:
        raise AssistBudgetExceeded(
            _("L'aide de l'IA a atteint sa limite du jour pour le site. Réessayez demain."),
            reason="global budget",
        )
    AssistUsage.objects.filter(pk=usage.pk).update(calls=F("calls") + 1)
    return usage.calls + 1


def _ask(
    *,
    actor: User,
    instruction: str,
    text: str,
    names: Iterable[str],
    max_tokens: int,
    now: datetime | None = None,
) -> tuple[str, str]:
    """(text, model) of the model's answer; AssistUnavailable on any failure."""
    if not assist_enabled():
        raise AssistUnavailable(_("L'aide de l'IA n'est pas activée sur ce site."), reason="off")
    if not text.strip():
        raise AssistUnavailable(
            _("Écrivez d'abord un texte de départ : l'IA s'appuie dessus."), reason="empty"
        )
    assist_budget_consume(actor=actor, now=now)
    messages = redact_messages(
        [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"{instruction}\n\n---\n{text[:SOURCE_MAX_CHARS]}"},
        ],
        names=names,
    )
    try:
        result = chat_complete(messages, max_tokens=max_tokens)
    except ChatTimeout as error:
        raise AssistUnavailable(
            _(
                "L'IA n'a pas répondu à temps. Votre texte est conservé : écrivez-le vous-même "
                "ou réessayez plus tard."
            ),
            reason=error.reason,
        ) from error
    except ChatError as error:
        raise AssistUnavailable(
            _(
                "L'IA n'est pas disponible pour le moment. Votre texte est conservé : "
                "écrivez-le vous-même ou réessayez plus tard."
            ),
            reason=error.reason,
        ) from error
    return result.text, result.model


def _draft_create(
    *, purpose: str, actor: User, text: str, model_name: str, now: datetime | None
) -> AIDraft:
    return AIDraft.objects.create(
        purpose=purpose,
        model_name=model_name[:120],
        text=text,
        requested_by=actor,
        drafted_at=now or timezone.now(),
    )


def assist_summary_draft(
    *,
    actor: User,
    title: str,
    text: str,
    names: Iterable[str] = (),
    max_length: int = 400,
    now: datetime | None = None,
) -> AIDraft:
    """A plain-French summary ("facile à lire") of a project, défi or opportunity."""
    instruction = (
        f"Écris en français facile à lire et à comprendre un résumé de {max_length} "
        "caractères au plus de ce qui suit : des phrases courtes, des mots de tous les jours, "
        "pas de sigle sans explication. Réponds par le résumé seul."
    )
    answer, model = _ask(
        actor=actor,
        instruction=instruction,
        text=f"{title}\n\n{text}",
        names=names,
        max_tokens=300,
        now=now,
    )
    answer = answer[:max_length].strip()
    return _draft_create(
        purpose=DraftPurpose.SUMMARY, actor=actor, text=answer, model_name=model, now=now
    )


ACTIONS_HEADING = re.compile(r"^\s*#*\s*\**\s*actions?\b.*$", re.IGNORECASE | re.MULTILINE)
SUMMARY_HEADING = re.compile(r"^\s*#*\s*\**\s*(résumé|synthèse)\s*\**\s*:?\s*\**\s*", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def _minutes_parse(answer: str) -> tuple[str, list[str]]:
    """The summary and the action items of an answer "RÉSUMÉ : … ACTIONS : - … - …"."""
    match = ACTIONS_HEADING.search(answer)
    summary_part, actions_part = (
        (answer[: match.start()], answer[match.end() :]) if match else (answer, "")
    )
    summary = SUMMARY_HEADING.sub("", summary_part.strip(), count=1).strip()
    items = []
    for line in actions_part.splitlines():
        if BULLET.match(line):
            item = BULLET.sub("", line).strip().strip("*").strip()
            if item:
                items.append(item[:300])
    return summary, items[:20]


def assist_minutes_draft(
    *, actor: User, minutes: str, names: Iterable[str] = (), now: datetime | None = None
) -> MinutesProposal:
    """A summary of an edition's minutes and the action items they imply."""
    instruction = (
        "Voici le compte rendu d'une rencontre. Réponds en deux parties, exactement ainsi :\n"
        "RÉSUMÉ : un résumé en français simple, de 5 phrases au plus.\n"
        "ACTIONS :\n- une décision ou une action à suivre par ligne (qui fait quoi, pour quand "
        "si c'est dit).\nS'il n'y a aucune action, écris « ACTIONS : » sans ligne."
    )
    answer, model = _ask(
        actor=actor, instruction=instruction, text=minutes, names=names, max_tokens=900, now=now
    )
    summary, items = _minutes_parse(answer)
    draft = _draft_create(
        purpose=DraftPurpose.MINUTES, actor=actor, text=summary or answer, model_name=model, now=now
    )
    return MinutesProposal(draft=draft, action_items=items)


def assist_editorial_draft(
    *, actor: User, facts: str, names: Iterable[str] = (), now: datetime | None = None
) -> AIDraft:
    """The editorial of a quarterly report, from the figures and highlights given."""
    instruction = (
        "Écris l'éditorial du bilan trimestriel du collectif, en 2 ou 3 paragraphes, en "
        "français clair, à partir des chiffres et faits suivants seulement. Réponds par "
        "l'éditorial seul."
    )
    answer, model = _ask(
        actor=actor, instruction=instruction, text=facts, names=names, max_tokens=800, now=now
    )
    return _draft_create(
        purpose=DraftPurpose.EDITORIAL, actor=actor, text=answer, model_name=model, now=now
    )


def assist_translate(
    *,
    actor: User,
    text: str,
    language: str,
    names: Iterable[str] = (),
    now: datetime | None = None,
) -> AssistText:
    """`text` (a défi, an opportunity, a project summary) translated into `language` (en, ar).

    Returns the text and the model only: storing translations is the content-translations
    model's job, which labels them with the model name."""
    if language not in TRANSLATION_LANGUAGES:
        raise ValueError(f"no translation into {language!r}")
    instruction = (
        f"Traduis le texte suivant en {TRANSLATION_LANGUAGES[language]}, fidèlement, sans rien "
        "ajouter. Réponds par la traduction seule."
    )
    answer, model = _ask(
        actor=actor, instruction=instruction, text=text, names=names, max_tokens=1200, now=now
    )
    return AssistText(text=answer, model_name=model)


# --- Accepting a draft ------------------------------------------------------------------


def ai_draft_token(draft: AIDraft) -> str:
    """What a form carries (hidden) to say "this field started from that draft"."""
    return signing.dumps({"draft": draft.pk, "by": draft.requested_by_id}, salt=TOKEN_SALT)


def ai_draft_from_token(token: str, *, actor: User) -> AIDraft | None:
    """The pending draft a token names, if it is valid and was asked for by `actor`."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("by") != actor.pk:
        return None
    draft_id = data.get("draft")
    if type(draft_id) is not int:
        return None
    return AIDraft.objects.filter(pk=draft_id, requested_by=actor, reviewed_at__isnull=True).first()


@transaction.atomic
def ai_draft_accept(
    *,
    token: str,
    target: models.Model,
    field_name: str,
    text: str,
    actor: User,
    organisation: Organisation | None = None,
    cache_topic: str = "",
    now: datetime | None = None,
) -> AIDraft | None:
    """Record that `actor` reviewed a draft and saved it (perhaps edited) as `field_name`.

    Nothing happens (None) without a valid token or with an empty text: the field is then
    the person's own. The saved text's hash is kept with the draft, so one can tell later
    whether the person changed it. `cache_topic`: the public pages that show the label (the
    content's own update may have changed nothing, and bumped nothing)."""
    draft = ai_draft_from_token(token, actor=actor)
    if draft is None or not text.strip():
        return None
    draft = AIDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.reviewed_at is not None:
        return None
    draft.target = target
    draft.field_name = field_name
    draft.reviewed_by = actor
    draft.reviewer_organisation = organisation
    draft.reviewed_at = now or timezone.now()
    draft.accepted_text_hash = text_hash(text)
    draft.save()
    action_log_record(
        target=target,
        action="ai_draft_accepted",
        actor=actor,
        reason=f"{field_name} ({draft.model_name}, {draft.get_purpose_display()})",
    )
    if cache_topic:
        cache_version_bump(cache_topic)
    return draft
