from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import ActionLog


def action_log_for(target: models.Model) -> QuerySet[ActionLog]:
    return ActionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")
