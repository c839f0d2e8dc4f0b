"""Every write of the projects domain: the catalogue, its workflow, follows and reminders."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from quartiers40.core.emails import absolute_url, email_each
from quartiers40.core.services import action_log_record
from quartiers40.members.models import Organisation, User

from . import permissions, selectors
from .enums import ProjectStatus
from .models import (
    MAX_DOCUMENTS_PER_PROJECT,
    MAX_IMAGES_PER_PROJECT,
    PROJECT_EDITABLE_FIELDS,
    Project,
    ProjectDocument,
    ProjectFollow,
    ProjectImage,
    ProjectUpdate,
)

# Fields a project needs before it goes to the coordination team, and stays needing.
REQUIRED_FOR_SUBMISSION = (
    "title",
    "summary",
    "easy_read_summary",
    "description",
    "problem",
    "beneficiaries",
    "ai_category",
    "ai_description",
    "data_used",
    "themes",
)


# Slugs that would shadow a page of the catalogue (/projets/nouveau/, /projets/carte/).
RESERVED_SLUGS = {"nouveau", "carte"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "projet"
    if base in RESERVED_SLUGS:
        base = f"projet-{base}"
    slug = base
    index = 2
    while Project.objects.filter(slug=slug).exists():
        slug = f"{base}-{index}"
        index += 1
    return slug


def _check_fields(fields: dict) -> None:
    for name in fields:
        if name not in PROJECT_EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _refresh(project: Project, locked: Project) -> Project:
    """Give the caller's instance the locked row's values."""
    for field in Project._meta.concrete_fields:
        setattr(project, field.attname, getattr(locked, field.attname))
    return project


def project_missing_fields(project: Project) -> dict[str, str]:
    """What is missing before submission or publication: {field: message}."""
    errors = {}
    for name in REQUIRED_FOR_SUBMISSION:
        value = getattr(project, name)
        if not (value.strip() if isinstance(value, str) else value):
            errors[name] = _("Ce champ est obligatoire pour soumettre le projet.")
    if project.pk and not project.qpvs.exists() and not project.departments:
        errors["qpvs"] = _("Indiquez au moins un quartier prioritaire ou un département.")
    return errors


def _email_people(
    *, people, subject: str, template: str, project: Project, reply_to: str = "", **context
) -> None:
    """Each person gets their own message: nobody sees another's address."""
    email_each(
        to=people.values_list("email", flat=True),
        subject=subject,
        template=template,
        context={
            "project": project,
            "project_url": absolute_url(project.get_absolute_url()),
            **context,
        },
        reply_to=reply_to,
    )


def _email_followers(project: Project, *, actor, subject: str, template: str, **context) -> None:
    """Each follower gets their own e-mail (addresses are not shared), the actor none."""
    email_each(
        to=selectors.project_followers(project)
        .exclude(pk=getattr(actor, "pk", None))
        .values_list("email", flat=True),
        subject=subject,
        template=template,
        context={
            "project": project,
            "project_url": absolute_url(project.get_absolute_url()),
            **context,
        },
    )


def _email_owners(project: Project, *, subject: str, template: str, **context) -> None:
    _email_people(
        people=selectors.project_owners(project),
        subject=subject,
        template=template,
        project=project,
        **context,
    )


# --- Writing a project ------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: User,
    carrier: Organisation,
    qpvs=(),
    partners=(),
    now: datetime | None = None,
    **fields,
) -> Project:
    """A new draft, carried by an organisation the actor belongs to."""
    if not permissions.can_create_project_for(actor, carrier):
        raise PermissionDenied
    _check_fields(fields)
    project = Project(carrier=carrier, created_by=actor, **fields)
    project.slug = _unique_slug(project.title)
    project.last_updated_at = now or timezone.now()
    project.full_clean()
    project.save()
    project.qpvs.set(qpvs)
    project.partners.set([partner for partner in partners if partner.pk != carrier.pk])
    action_log_record(
        target=project, action="project_created", actor=actor, to_status=project.status
    )
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    actor: User,
    qpvs=None,
    partners=None,
    now: datetime | None = None,
    **fields,
) -> list[str]:
    """Change a project; returns the names of the fields that changed.

    A published project shows the change at once and records it in its public timeline.
    """
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    _check_fields(fields)
    locked = _locked(project)
    if locked.status == ProjectStatus.ARCHIVED:
        raise ValidationError(_("Un projet archivé ne se modifie plus."))
    changed = []
    for name, value in fields.items():
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    locked.full_clean()
    if qpvs is not None and {q.pk for q in qpvs} != set(locked.qpvs.values_list("pk", flat=True)):
        changed.append("qpvs")
    if partners is not None:
        partners = [partner for partner in partners if partner.pk != locked.carrier_id]
        if {p.pk for p in partners} != set(locked.partners.values_list("pk", flat=True)):
            changed.append("partners")
    if not changed:
        return []
    moment = now or timezone.now()
    locked.last_updated_at = moment
    locked.save()
    if "qpvs" in changed:
        locked.qpvs.set(qpvs)
    if "partners" in changed:
        locked.partners.set(partners)
    if locked.status == ProjectStatus.PUBLISHED:
        update = ProjectUpdate.objects.create(
            project=locked, changed_fields=changed, actor=actor, created_at=moment
        )
        _email_followers(
            locked,
            actor=actor,
            subject=_("Du nouveau sur le projet « %(title)s »") % {"title": locked.title},
            template="projects/emails/follower_updated.txt",
            changed=update.changed_labels(),
        )
    action_log_record(
        target=locked, action="project_updated", actor=actor, reason=", ".join(changed)
    )
    _refresh(project, locked)
    return changed


def _transition(
    *, project: Project, allowed_from: tuple[str, ...], to_status: str
) -> tuple[Project, str]:
    """Lock the row, check its current status, move it; the caller saves, logs, notifies."""
    locked = _locked(project)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Cette action n'est pas possible pour un projet « %(status)s ».")
            % {"status": locked.get_status_display()},
            code="invalid_transition",
        )
    from_status = locked.status
    locked.status = to_status
    return locked, from_status


def _record(locked: Project, *, actor, action: str, from_status: str, reason: str = "") -> None:
    action_log_record(
        target=locked,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=locked.status,
        reason=reason,
    )


@transaction.atomic
def project_submit(*, project: Project, actor: User) -> Project:
    if not permissions.can_submit_project(actor, project):
        raise PermissionDenied
    locked, from_status = _transition(
        project=project,
        allowed_from=(ProjectStatus.DRAFT, ProjectStatus.RETURNED),
        to_status=ProjectStatus.SUBMITTED,
    )
    missing = project_missing_fields(locked)
    if missing:
        raise ValidationError(missing)
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at"])
    _record(locked, actor=actor, action="project_submitted", from_status=from_status)
    _email_people(
        people=User.objects.coordination(),
        subject=_("Projet à relire : %(title)s") % {"title": locked.title},
        template="projects/emails/submitted.txt",
        project=locked,
    )
    return _refresh(project, locked)


@transaction.atomic
def project_publish(*, project: Project, actor: User) -> Project:
    if not permissions.can_publish_project(actor, project):
        raise PermissionDenied
    locked, from_status = _transition(
        project=project,
        allowed_from=(ProjectStatus.SUBMITTED,),
        to_status=ProjectStatus.PUBLISHED,
    )
    missing = project_missing_fields(locked)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    locked.published_at = locked.published_at or now
    locked.review_comments = ""
    locked.last_updated_at = now
    locked.save(update_fields=["status", "published_at", "review_comments", "last_updated_at"])
    _record(locked, actor=actor, action="project_published", from_status=from_status)
    _email_owners(
        locked,
        subject=_("Votre projet est publié : %(title)s") % {"title": locked.title},
        template="projects/emails/published.txt",
    )
    return _refresh(project, locked)


@transaction.atomic
def project_return(*, project: Project, actor: User, comments: str) -> Project:
    """Send a submitted project back to its owners with the team's comments."""
    if not permissions.can_return_project(actor, project):
        raise PermissionDenied
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": _("Expliquez ce qu'il faut compléter.")})
    locked, from_status = _transition(
        project=project,
        allowed_from=(ProjectStatus.SUBMITTED,),
        to_status=ProjectStatus.RETURNED,
    )
    locked.review_comments = comments
    locked.save(update_fields=["status", "review_comments"])
    _record(
        locked, actor=actor, action="project_returned", from_status=from_status, reason=comments
    )
    _email_owners(
        locked,
        subject=_("Votre projet est à compléter : %(title)s") % {"title": locked.title},
        template="projects/emails/returned.txt",
        comments=comments,
    )
    return _refresh(project, locked)


@transaction.atomic
def project_archive(*, project: Project, actor: User, reason: str = "") -> Project:
    if not permissions.can_archive_project(actor, project):
        raise PermissionDenied
    locked, from_status = _transition(
        project=project,
        allowed_from=(
            ProjectStatus.DRAFT,
            ProjectStatus.SUBMITTED,
            ProjectStatus.PUBLISHED,
            ProjectStatus.RETURNED,
        ),
        to_status=ProjectStatus.ARCHIVED,
    )
    locked.archived_at = timezone.now()
    locked.save(update_fields=["status", "archived_at"])
    _record(locked, actor=actor, action="project_archived", from_status=from_status, reason=reason)
    _email_owners(
        locked,
        subject=_("Projet archivé : %(title)s") % {"title": locked.title},
        template="projects/emails/archived.txt",
        reason=reason,
    )
    if from_status == ProjectStatus.PUBLISHED:
        _email_followers(
            locked,
            actor=actor,
            subject=_("Projet archivé : %(title)s") % {"title": locked.title},
            template="projects/emails/follower_archived.txt",
            reason=reason,
        )
    return _refresh(project, locked)


# --- Images and result files (bounded) ---------------------------------------


@transaction.atomic
def project_image_add(*, project: Project, actor: User, image, alt_text: str) -> ProjectImage:
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    locked = _locked(project)
    if locked.images.count() >= MAX_IMAGES_PER_PROJECT:
        raise ValidationError(
            _("Un projet a %(count)s images au plus.") % {"count": MAX_IMAGES_PER_PROJECT}
        )
    item = ProjectImage(
        project=locked, image=image, alt_text=alt_text, position=locked.images.count()
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def project_document_add(*, project: Project, actor: User, file, title: str) -> ProjectDocument:
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    locked = _locked(project)
    if locked.documents.count() >= MAX_DOCUMENTS_PER_PROJECT:
        raise ValidationError(
            _("Un projet a %(count)s documents au plus.") % {"count": MAX_DOCUMENTS_PER_PROJECT}
        )
    document = ProjectDocument(project=locked, file=file, title=title)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def project_image_remove(*, image: ProjectImage, actor: User) -> None:
    if not permissions.can_edit_project(actor, image.project):
        raise PermissionDenied
    _locked(image.project)
    image.image.delete(save=False)
    image.delete()


@transaction.atomic
def project_document_remove(*, document: ProjectDocument, actor: User) -> None:
    if not permissions.can_edit_project(actor, document.project):
        raise PermissionDenied
    _locked(document.project)
    document.file.delete(save=False)
    document.delete()


# --- Contact ------------------------------------------------------------------


def project_contact_send(
    *, project: Project, name: str, email: str, message: str, sender: User | None = None
) -> None:
    """A visitor writes to the project's people: they answer by replying to the e-mail.

    The visitor never sees an address; the project's people see the visitor's only
    because the visitor gives it to be answered.
    """
    if not permissions.can_contact_project(sender, project):
        raise PermissionDenied
    email_each(
        to=selectors.project_owners(project).values_list("email", flat=True),
        subject=_("Message à propos du projet « %(title)s »") % {"title": project.title},
        template="projects/emails/contact.txt",
        context={
            "project": project,
            "name": name,
            "email": email,
            "message": message,
            "signed_in": sender is not None and sender.is_authenticated,
        },
        reply_to=email,
    )
    action_log_record(
        target=project,
        action="project_contacted",
        actor=sender if sender is not None and sender.is_authenticated else None,
    )


# --- Follows ------------------------------------------------------------------


def project_follow(*, project: Project, user: User) -> ProjectFollow:
    if not permissions.can_follow_project(user, project):
        raise PermissionDenied
    follow, _created = ProjectFollow.objects.get_or_create(user=user, project=project)
    return follow


def project_unfollow(*, project: Project, user: User) -> None:
    if user.is_authenticated:
        ProjectFollow.objects.filter(user=user, project=project).delete()


# --- Freshness ----------------------------------------------------------------


def project_freshness_remind(*, now: datetime) -> int:
    """Remind the owners of each stale published project, once until it is updated again.

    Each project in its own transaction: one failure does not resend the others.
    """
    sent = 0
    for project_id in list(selectors.projects_stale(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            project = (
                selectors.projects_stale(now=now).select_for_update().filter(pk=project_id).first()
            )
            if project is None:  # updated or reminded meanwhile
                continue
            project.freshness_reminded_at = now
            project.save(update_fields=["freshness_reminded_at"])
            action_log_record(target=project, action="project_freshness_reminded")
            _email_owners(
                project,
                subject=_("Votre projet est-il toujours à jour ? %(title)s")
                % {"title": project.title},
                template="projects/emails/freshness_reminder.txt",
                months=selectors.FRESHNESS_DAYS // 30,
            )
            sent += 1
    return sent
