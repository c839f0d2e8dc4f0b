"""Action items: what was decided, who does it, by when, where it stands."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from quartiers40.challenges.models import Challenge
from quartiers40.core.db import lock_row
from quartiers40.core.emails import email_each
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.members.models import Organisation, User
from quartiers40.projects.models import Project

from .. import permissions
from ..enums import ACTION_ITEM_STATUS_TRANSITION, ACTION_ITEM_WORKFLOW
from ..models import ActionItem, Edition
from ..selectors import action_item_owner_emails
from ._shared import log

ACTION_FIELDS = (
    "title",
    "description",
    "owner_organisation",
    "owner_user",
    "due_date",
    "project",
    "challenge",
)


def _owner_required() -> str:
    return _("Indiquez qui s'en charge : une organisation ou une personne.")


@bumps_cache_version("meetings")
@transaction.atomic
def action_item_create(
    *,
    edition: Edition,
    actor: User,
    title: str,
    description: str = "",
    owner_organisation: Organisation | None = None,
    owner_user: User | None = None,
    due_date: date | None = None,
    project: Project | None = None,
    challenge: Challenge | None = None,
) -> ActionItem:
    """A new action item; its owners (the person, the organisation's people) are told."""
    if not permissions.can_manage_actions(actor, edition):
        raise PermissionDenied
    item = ActionItem(
        edition=edition,
        created_by=actor,
        title=title,
        description=description,
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        due_date=due_date,
        project=project,
        challenge=challenge,
    )
    if not (item.owner_organisation_id or item.owner_user_id):
        raise ValidationError({"owner_organisation": _owner_required()})
    item.full_clean()
    item.save()
    log(item, action="action_item_created", actor=actor, to_status=item.status)
    email_each(
        to=action_item_owner_emails(item),
        subject=_("Une action vous est confiée : %(title)s") % {"title": item.title},
        template="meetings/emails/action_assigned.txt",
        context={
            "item": item,
            "edition": edition,
            "link": absolute_url(reverse("meetings:action_update", args=[item.pk])),
        },
    )
    return item


@bumps_cache_version("meetings")
@transaction.atomic
def action_item_update(*, item: ActionItem, actor: User, **fields: Any) -> ActionItem:
    """Organisers change what, who, by when (the fields given; a partial update)."""
    if not permissions.can_manage_actions(actor, item.edition):
        raise PermissionDenied
    for name in fields:
        if name not in ACTION_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
    lock_row(item)
    for name, value in fields.items():
        setattr(item, name, value)
    if not (item.owner_organisation_id or item.owner_user_id):
        raise ValidationError({"owner_organisation": _owner_required()})
    item.full_clean()
    item.save()
    log(item, action="action_item_updated", actor=actor, reason=", ".join(fields))
    return item


@bumps_cache_version("meetings")
@transaction.atomic
def action_item_set_status(
    *, item: ActionItem, actor: User, status: str, note: str | None = None
) -> ActionItem:
    """Owners (and organisers) move an action along (`ACTION_ITEM_WORKFLOW`) or say where it
    stands (`note`) without changing its status."""
    if not permissions.can_update_action_item(actor, item):
        raise PermissionDenied
    lock_row(item)
    from_status = item.status
    if note is not None:
        item.status_note = note
    if status != from_status:
        name = ACTION_ITEM_STATUS_TRANSITION.get(status)
        if name is None:
            raise ValidationError(
                {"status": ACTION_ITEM_WORKFLOW.invalid_message}, code="invalid_transition"
            )
        step = ACTION_ITEM_WORKFLOW.check(item, name, actor=actor, locked=True)
        item.full_clean()
        ACTION_ITEM_WORKFLOW.apply(item, step, actor=actor, reason=note or "")
    else:
        item.full_clean()
        # Where the action stands, its status unchanged: the same log name as a transition.
        log(
            item,
            action="action_item_status_changed",
            actor=actor,
            from_status=from_status,
            to_status=from_status,
            reason=note or "",
        )
    item.save()
    return item
