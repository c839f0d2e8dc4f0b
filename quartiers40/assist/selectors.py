"""Reads of the AI help: which fields of which objects an AI drafted, and their label."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from quartiers40.members.permissions import person_public_label

from .models import AIDraft

CACHE_ATTRIBUTE = "_ai_provenance"
PREFETCH_ATTRIBUTE = "_ai_drafts_accepted"


def _latest_per_field(drafts: Iterable[AIDraft]) -> dict[tuple[int, str], AIDraft]:
    latest: dict[tuple[int, str], AIDraft] = {}
    for draft in drafts:  # newest accepted first (the model's ordering)
        latest.setdefault((draft.object_id or 0, draft.field_name), draft)
    return latest


def ai_provenance_prefetch(objects: Sequence[models.Model]) -> None:
    """Load the provenance of every object of a list in one query (same model each)."""
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(objects[0])
    drafts = (
        AIDraft.objects.accepted()
        .filter(content_type=content_type, object_id__in=[obj.pk for obj in objects])
        .select_related("reviewed_by", "reviewer_organisation")
    )
    latest = _latest_per_field(drafts)
    for obj in objects:
        setattr(
            obj,
            CACHE_ATTRIBUTE,
            {field: draft for (pk, field), draft in latest.items() if pk == obj.pk},
        )


def ai_provenance_prefetched(
    queryset: models.QuerySet, *, relation: str = "ai_drafts"
) -> models.QuerySet:
    """`queryset` with the accepted drafts of its objects, in one more query for a whole list
    or page. The model declares `ai_drafts = GenericRelation("assist.AIDraft")`."""
    return queryset.prefetch_related(ai_drafts_prefetch(relation))


def ai_drafts_prefetch(relation: str = "ai_drafts") -> models.Prefetch:
    """The Prefetch of `ai_provenance_prefetched`, for a list of prefetches of one's own."""
    drafts = AIDraft.objects.accepted().select_related("reviewed_by", "reviewer_organisation")
    return models.Prefetch(relation, queryset=drafts, to_attr=PREFETCH_ATTRIBUTE)


def ai_provenance_for(obj: models.Model) -> dict[str, AIDraft]:
    """{field name: the newest accepted draft} of one object (cached on it)."""
    if obj.pk is None:
        return {}
    if not hasattr(obj, CACHE_ATTRIBUTE) and hasattr(obj, PREFETCH_ATTRIBUTE):
        latest = _latest_per_field(
            sorted(
                getattr(obj, PREFETCH_ATTRIBUTE),
                key=lambda draft: (draft.reviewed_at, draft.pk),
                reverse=True,
            )
        )
        setattr(obj, CACHE_ATTRIBUTE, {field: draft for (_pk, field), draft in latest.items()})
    if not hasattr(obj, CACHE_ATTRIBUTE):
        ai_provenance_prefetch([obj])
    return getattr(obj, CACHE_ATTRIBUTE)


def ai_field_draft(obj: models.Model, field_name: str) -> AIDraft | None:
    """The draft a field's current text came from, if it came from one (and is not empty)."""
    if not getattr(obj, field_name, ""):
        return None
    return ai_provenance_for(obj).get(field_name)


def ai_reviewer_label(draft: AIDraft) -> str:
    """Who reviewed: the organisation's name, else the person's public label."""
    if draft.reviewer_organisation is not None:
        return draft.reviewer_organisation.name
    return str(person_public_label(draft.reviewed_by))


def ai_label_text(draft: AIDraft) -> str:
    """« Proposé par une IA (albert-large), relu par … le 7 décembre 2026 »."""
    return _("Proposé par une IA (%(model)s), relu par %(reviewer)s le %(date)s") % {
        "model": draft.model_name,
        "reviewer": ai_reviewer_label(draft),
        "date": formats.date_format(draft.reviewed_at, "DATE_FORMAT") if draft.reviewed_at else "",
    }


def ai_provenance_data(obj: models.Model) -> list[dict[str, Any]]:
    """The provenance as exports and the API give it: one entry per AI-drafted field."""
    entries = []
    for field_name, draft in sorted(ai_provenance_for(obj).items()):
        if not getattr(obj, field_name, ""):
            continue
        entries.append(
            {
                "field": field_name,
                "model": draft.model_name,
                "drafted_at": draft.drafted_at,
                "reviewed_by": ai_reviewer_label(draft),
                "reviewed_at": draft.reviewed_at,
                "label": ai_label_text(draft),
            }
        )
    return entries


def ai_provenance_labels(obj: models.Model) -> list[str]:
    """ "field: label" per AI-drafted field: one CSV cell (joined by « | »), a JSON list."""
    return [f"{entry['field']}: {entry['label']}" for entry in ai_provenance_data(obj)]


def assist_names_to_remove(
    *, organisations: Iterable[Any] = (), people: Iterable[Any] = ()
) -> list[str]:
    """The names redaction removes for a text of these organisations: their people's names
    and those of `people` (the author, the registrants…)."""
    from quartiers40.members.models import User

    names = {getattr(person, "display_name", "") for person in people if person is not None}
    organisation_ids = [organisation.pk for organisation in organisations if organisation]
    if organisation_ids:
        names.update(
            User.objects.filter(memberships__organisation__in=organisation_ids)
            .values_list("display_name", flat=True)
            .distinct()
        )
    return sorted(name for name in names if name)
