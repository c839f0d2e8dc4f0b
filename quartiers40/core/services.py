from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ActionLog


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
