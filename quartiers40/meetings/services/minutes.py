"""Minutes and resources of an edition (slides, replay, documents)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.members.models import User

from .. import permissions
from ..models import Edition, EditionResource
from ._shared import edition_lock, log

MAX_RESOURCES_PER_EDITION = 20


@bumps_cache_version("meetings")
@transaction.atomic
def edition_minutes_save(
    *,
    edition: Edition,
    actor: User,
    minutes: str,
    replay_url: str = "",
    slides_url: str = "",
    publish: bool = True,
    now: datetime | None = None,
) -> Edition:
    """Save the minutes (Markdown, sanitised when shown); publish them on the edition's page."""
    if not permissions.can_publish_minutes(actor, edition):
        raise PermissionDenied
    edition_lock(edition)
    edition.minutes = minutes
    edition.replay_url = replay_url
    edition.slides_url = slides_url
    if publish and not minutes.strip():
        raise ValidationError({"minutes": _("Le compte rendu est vide.")})
    was_published = edition.minutes_published_at is not None
    edition.minutes_published_at = (
        (edition.minutes_published_at or now or timezone.now()) if publish else None
    )
    edition.full_clean()
    edition.save(
        update_fields=["minutes", "replay_url", "slides_url", "minutes_published_at", "updated_at"]
    )
    if publish and not was_published:
        log(edition, action="edition_minutes_published", actor=actor)
    else:
        log(edition, action="edition_minutes_saved", actor=actor)
    return edition


@bumps_cache_version("meetings")
@transaction.atomic
def edition_minutes_summary_save(*, edition: Edition, actor: User, summary: str) -> Edition:
    """The short summary shown above the minutes (an organiser's, perhaps from an AI draft)."""
    if not permissions.can_publish_minutes(actor, edition):
        raise PermissionDenied
    edition_lock(edition)
    edition.minutes_summary = summary.strip()
    edition.full_clean()
    edition.save(update_fields=["minutes_summary", "updated_at"])
    log(edition, action="edition_minutes_summary_saved", actor=actor)
    return edition


@bumps_cache_version("meetings")
@transaction.atomic
def edition_resource_add(
    *,
    edition: Edition,
    actor: User,
    kind: str,
    title: str,
    url: str = "",
    file: UploadedFile | None = None,
) -> EditionResource:
    if not permissions.can_publish_minutes(actor, edition):
        raise PermissionDenied
    edition_lock(edition)
    if edition.resources.count() >= MAX_RESOURCES_PER_EDITION:
        raise ValidationError(
            _("Une rencontre a %(count)s ressources au plus.")
            % {"count": MAX_RESOURCES_PER_EDITION}
        )
    if bool(url) == bool(file):
        raise ValidationError(_("Donnez un lien ou un fichier (un seul)."))
    resource = EditionResource(
        edition=edition, kind=kind, title=title, url=url or "", created_by=actor
    )
    if file:
        resource.file = file
    resource.full_clean()
    resource.save()
    log(edition, action="edition_resource_added", actor=actor, reason=title)
    return resource


@bumps_cache_version("meetings")
@transaction.atomic
def edition_resource_delete(*, resource: EditionResource, actor: User) -> None:
    if not permissions.can_publish_minutes(actor, resource.edition):
        raise PermissionDenied
    log(resource.edition, action="edition_resource_deleted", actor=actor, reason=resource.title)
    if resource.file:
        resource.file.delete(save=False)
    resource.delete()
