"""Writing an opportunity and moving it through its workflow (people's actions)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row
from quartiers40.core.emails import email_each
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import action_log_record, fields_apply
from quartiers40.members.models import Organisation, User
from quartiers40.notifications.services import notification_record, places_audience
from quartiers40.plainlanguage.check import is_easy_to_read
from quartiers40.territories.models import QPV

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    pass

from .. import permissions
from ..enums import OPPORTUNITY_WORKFLOW
from ..models import (
    OPPORTUNITY_EDITABLE_FIELDS,
    Opportunity,
)
from ..records import PlaceInput, SessionInput
from ._common import (
    _email_provider,
    opportunity_missing_fields,
    opportunity_slug,
)
from .lifecycle import opportunity_is_over
from .places import (
    _places_signature,
    opportunity_places_set,
    opportunity_sessions_set,
)

# --- Writing an opportunity ----------------------------------------------------------


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_create(
    *,
    actor: User,
    organisation: Organisation,
    places: Sequence[PlaceInput] = (),
    sessions: Sequence[SessionInput] = (),
    now: datetime | None = None,
    **fields: Any,
) -> Opportunity:
    """A new draft offered by an organisation the actor belongs to.

    `fields` are among `OPPORTUNITY_EDITABLE_FIELDS` (kind and title at least).
    """
    if not permissions.can_create_opportunity_for(actor, organisation):
        raise PermissionDenied
    unknown = set(fields) - set(OPPORTUNITY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    opportunity = Opportunity(organisation=organisation, created_by=actor, **fields)
    opportunity.slug = opportunity_slug(opportunity.title)
    opportunity.last_updated_at = now or timezone.now()
    opportunity.full_clean()
    opportunity.easy_to_read = is_easy_to_read(opportunity.summary)
    opportunity.save()
    opportunity_places_set(opportunity=opportunity, places=places)
    opportunity_sessions_set(opportunity=opportunity, sessions=sessions)
    action_log_record(
        target=opportunity, action="opportunity_created", actor=actor, to_status=opportunity.status
    )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    actor: User,
    places: Sequence[PlaceInput] | None = None,
    sessions: Sequence[SessionInput] | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> list[str]:
    """Change the fields given (others stay, UNCHANGED is skipped); returns those that changed."""
    if not permissions.can_edit_opportunity(actor, opportunity):
        raise PermissionDenied
    unknown = set(fields) - set(OPPORTUNITY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown opportunity fields: {sorted(unknown)}")
    lock_row(opportunity)
    if not opportunity.is_changeable:
        raise ValidationError(_("Une opportunité retirée ne se modifie plus."))
    changed = fields_apply(opportunity, dict(fields))
    opportunity.full_clean()
    if places is not None:
        before = _places_signature(opportunity)
        opportunity_places_set(opportunity=opportunity, places=places)
        if _places_signature(opportunity) != before:
            changed.append("places")
    if sessions is not None:
        before_sessions = list(opportunity.sessions.values_list("starts_on", "ends_on", "details"))
        opportunity_sessions_set(opportunity=opportunity, sessions=sessions)
        if (
            list(opportunity.sessions.values_list("starts_on", "ends_on", "details"))
            != before_sessions
        ):
            changed.append("sessions")
    if not changed:
        return []
    opportunity.last_updated_at = now or timezone.now()
    opportunity.freshness_reminded_at = None
    opportunity.easy_to_read = is_easy_to_read(opportunity.summary)
    opportunity.save()
    action_log_record(
        target=opportunity, action="opportunity_updated", actor=actor, reason=", ".join(changed)
    )
    return changed


def _notify_new(opportunity: Opportunity) -> None:
    """A first publication: followers of its places' QPVs and communes, and of its
    organisation, hear of it (notifications)."""
    places = opportunity.places.all()
    notification_record(
        kind="opportunity_new",
        item=opportunity,
        title=opportunity.title,
        summary=opportunity.summary[:500],
        audience=places_audience(
            qpvs=QPV.objects.filter(opportunity_places__opportunity=opportunity).distinct(),
            commune_codes=places.values_list("commune_code", flat=True),
            organisations=[opportunity.organisation],
        ),
    )


def _check_publishable(opportunity: Opportunity, *, today: date) -> None:
    missing = opportunity_missing_fields(opportunity)
    if opportunity_is_over(opportunity, today=today):
        missing["deadline"] = _("La date limite ou la dernière session est passée.")
    if missing:
        raise ValidationError(missing)


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_publish(*, opportunity: Opportunity, actor: User) -> Opportunity:
    """Publish now (member organisation or team), or send to the team (new organisation).

    Which of the two happens is the workflow's answer for this actor.
    """
    action = "publish" if permissions.can_publish_directly(actor, opportunity) else "submit"
    step = OPPORTUNITY_WORKFLOW.check(opportunity, action, actor=actor)
    now = timezone.now()
    _check_publishable(opportunity, today=timezone.localdate(now))
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor)
    if action == "publish":
        first_time = opportunity.published_at is None
        opportunity.published_at = opportunity.published_at or now
        opportunity.review_comments = ""
        opportunity.save(update_fields=["status", "published_at", "review_comments"])
        if first_time:
            _notify_new(opportunity)
    else:
        opportunity.save(update_fields=["status"])
        email_each(
            to=User.objects.coordination().values_list("email", flat=True),
            subject=_("Opportunité à relire : %(title)s") % {"title": opportunity.title},
            template="opportunities/emails/submitted.txt",
            context={
                "opportunity": opportunity,
                "opportunity_url": absolute_url(opportunity.get_absolute_url()),
            },
        )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_approve(*, opportunity: Opportunity, actor: User) -> Opportunity:
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "approve", actor=actor)
    now = timezone.now()
    _check_publishable(opportunity, today=timezone.localdate(now))
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor)
    first_time = opportunity.published_at is None
    opportunity.published_at = opportunity.published_at or now
    opportunity.review_comments = ""
    opportunity.save(update_fields=["status", "published_at", "review_comments"])
    if first_time:
        _notify_new(opportunity)
    _email_provider(
        opportunity,
        subject=_("Votre opportunité est publiée : %(title)s") % {"title": opportunity.title},
        template="opportunities/emails/published.txt",
    )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_return(*, opportunity: Opportunity, actor: User, comments: str) -> Opportunity:
    comments = (comments or "").strip()
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "return", actor=actor)
    if not comments:
        raise ValidationError({"comments": _("Expliquez ce qu'il faut compléter.")})
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor, reason=comments)
    opportunity.review_comments = comments
    opportunity.save(update_fields=["status", "review_comments"])
    _email_provider(
        opportunity,
        subject=_("Votre opportunité est à compléter : %(title)s") % {"title": opportunity.title},
        template="opportunities/emails/returned.txt",
        comments=comments,
    )
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_withdraw(*, opportunity: Opportunity, actor: User, reason: str = "") -> Opportunity:
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "withdraw", actor=actor)
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor, reason=reason)
    opportunity.withdrawn_at = timezone.now()
    opportunity.save(update_fields=["status", "withdrawn_at"])
    return opportunity


@bumps_cache_version("opportunities")
@transaction.atomic
def opportunity_reopen(*, opportunity: Opportunity, actor: User) -> Opportunity:
    """An expired item published again, once its provider gave it new dates."""
    step = OPPORTUNITY_WORKFLOW.check(opportunity, "reopen", actor=actor)
    _check_publishable(opportunity, today=timezone.localdate())
    OPPORTUNITY_WORKFLOW.apply(opportunity, step, actor=actor)
    opportunity.expired_at = None
    opportunity.save(update_fields=["status", "expired_at"])
    return opportunity
