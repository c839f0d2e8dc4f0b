from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ActionLog


class Unchanged:
    """The default of an update service's fields: not sent, left as it is.

        def project_update(*, project, actor, title: str = UNCHANGED, ...):
            if title is not UNCHANGED: project.title = title

    (`None` cannot say it: "no funding" is a value a person may send.)
    """

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = Unchanged()


def fields_apply(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Set on `instance` each value that was sent (not UNCHANGED); return the names of those
    that differ from what it held (for a timeline). A file is always set: two uploads may
    share a name."""
    changed = []
    for name, value in values.items():
        if value is UNCHANGED:
            continue
        if getattr(instance, name) != value:
            changed.append(name)
        setattr(instance, name, value)
    return changed


def action_log_record(
    *,
    target: models.Model,
    action: str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> ActionLog:
    return ActionLog.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
