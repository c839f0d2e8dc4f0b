"""Every write of the projects domain: the catalogue, its workflow, follows and reminders."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row, unique_slug
from quartiers40.core.emails import email_each
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import UNCHANGED, action_log_record, fields_apply
from quartiers40.members.models import Organisation, User
from quartiers40.notifications.services import notification_record, places_audience
from quartiers40.plainlanguage.check import is_easy_to_read
from quartiers40.territories.models import QPV

from . import permissions, selectors
from .enums import PROJECT_WORKFLOW, ProjectStatus, Stage
from .models import (
    MAX_DOCUMENTS_PER_PROJECT,
    MAX_IMAGES_PER_PROJECT,
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


def project_slug(title: str) -> str:
    return unique_slug(Project, title, fallback="projet", reserved=RESERVED_SLUGS)


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
    *,
    people: QuerySet[User],
    subject: str,
    template: str,
    project: Project,
    reply_to: str = "",
    **context: Any,
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


def _email_followers(
    project: Project, *, actor: User | None, subject: str, template: str, **context: Any
) -> None:
    """Each follower gets their own e-mail (addresses are not shared), the actor none."""
    followers = selectors.project_followers(project)
    if actor is not None:
        followers = followers.exclude(pk=actor.pk)
    email_each(
        to=followers.values_list("email", flat=True),
        subject=subject,
        template=template,
        context={
            "project": project,
            "project_url": absolute_url(project.get_absolute_url()),
            **context,
        },
    )


def _email_owners(project: Project, *, subject: str, template: str, **context: Any) -> None:
    _email_people(
        people=selectors.project_owners(project),
        subject=subject,
        template=template,
        project=project,
        **context,
    )


# --- Writing a project ------------------------------------------------------


@bumps_cache_version("projects")
@transaction.atomic
def project_create(
    *,
    actor: User,
    carrier: Organisation,
    title: str,
    summary: str,
    easy_read_summary: str = "",
    description: str = "",
    problem: str = "",
    beneficiaries: list[str] | None = None,
    ai_category: str = "",
    ai_description: str = "",
    data_used: str = "",
    processes_personal_data: bool = False,
    stage: str = Stage.IDEA,
    started_on: date | None = None,
    ended_on: date | None = None,
    departments: list[str] | None = None,
    themes: list[str] | None = None,
    funding: str = "",
    results: str = "",
    source_code_url: str = "",
    qpvs: Iterable[QPV] = (),
    partners: Iterable[Organisation] = (),
    now: datetime | None = None,
) -> Project:
    """A new draft, carried by an organisation the actor belongs to."""
    if not permissions.can_create_project_for(actor, carrier):
        raise PermissionDenied
    project = Project(
        carrier=carrier,
        created_by=actor,
        title=title,
        summary=summary,
        easy_read_summary=easy_read_summary,
        description=description,
        problem=problem,
        beneficiaries=beneficiaries or [],
        ai_category=ai_category,
        ai_description=ai_description,
        data_used=data_used,
        processes_personal_data=processes_personal_data,
        stage=stage,
        started_on=started_on,
        ended_on=ended_on,
        departments=departments or [],
        themes=themes or [],
        funding=funding,
        results=results,
        source_code_url=source_code_url,
    )
    project.slug = project_slug(project.title)
    project.last_updated_at = now or timezone.now()
    project.full_clean()
    project.easy_to_read = is_easy_to_read(project.easy_read_summary)
    project.save()
    project.qpvs.set(qpvs)
    project.partners.set([partner for partner in partners if partner.pk != carrier.pk])
    action_log_record(
        target=project, action="project_created", actor=actor, to_status=project.status
    )
    return project


@bumps_cache_version("projects")
@transaction.atomic
def project_update(
    *,
    project: Project,
    actor: User,
    title: str = UNCHANGED,
    summary: str = UNCHANGED,
    easy_read_summary: str = UNCHANGED,
    description: str = UNCHANGED,
    problem: str = UNCHANGED,
    beneficiaries: list[str] = UNCHANGED,
    ai_category: str = UNCHANGED,
    ai_description: str = UNCHANGED,
    data_used: str = UNCHANGED,
    processes_personal_data: bool = UNCHANGED,
    stage: str = UNCHANGED,
    started_on: date | None = UNCHANGED,
    ended_on: date | None = UNCHANGED,
    departments: list[str] = UNCHANGED,
    themes: list[str] = UNCHANGED,
    funding: str = UNCHANGED,
    results: str = UNCHANGED,
    source_code_url: str = UNCHANGED,
    qpvs: Iterable[QPV] | None = None,
    partners: Iterable[Organisation] | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Change the fields given (the others stay); returns the names of those that changed.

    A published project shows the change at once and records it in its public timeline.
    """
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    requested = {
        "title": title,
        "summary": summary,
        "easy_read_summary": easy_read_summary,
        "description": description,
        "problem": problem,
        "beneficiaries": beneficiaries,
        "ai_category": ai_category,
        "ai_description": ai_description,
        "data_used": data_used,
        "processes_personal_data": processes_personal_data,
        "stage": stage,
        "started_on": started_on,
        "ended_on": ended_on,
        "departments": departments,
        "themes": themes,
        "funding": funding,
        "results": results,
        "source_code_url": source_code_url,
    }
    lock_row(project)
    if not project.is_changeable:
        raise ValidationError(_("Un projet archivé ne se modifie plus."))
    changed = fields_apply(project, requested)
    project.full_clean()
    qpv_list = None if qpvs is None else list(qpvs)
    if qpv_list is not None and {q.pk for q in qpv_list} != set(
        project.qpvs.values_list("pk", flat=True)
    ):
        changed.append("qpvs")
    partner_list = None
    if partners is not None:
        partner_list = [partner for partner in partners if partner.pk != project.carrier_id]
        if {p.pk for p in partner_list} != set(project.partners.values_list("pk", flat=True)):
            changed.append("partners")
    if not changed:
        return []
    moment = now or timezone.now()
    project.last_updated_at = moment
    project.easy_to_read = is_easy_to_read(project.easy_read_summary)
    project.save()
    if qpv_list is not None and "qpvs" in changed:
        project.qpvs.set(qpv_list)
    if partner_list is not None and "partners" in changed:
        project.partners.set(partner_list)
    if project.status == ProjectStatus.PUBLISHED:
        update = ProjectUpdate.objects.create(
            project=project, changed_fields=changed, actor=actor, created_at=moment
        )
        _email_followers(
            project,
            actor=actor,
            subject=_("Du nouveau sur le projet « %(title)s »") % {"title": project.title},
            template="projects/emails/follower_updated.txt",
            changed=update.changed_labels(),
        )
    action_log_record(
        target=project, action="project_updated", actor=actor, reason=", ".join(changed)
    )
    return changed


@bumps_cache_version("projects")
@transaction.atomic
def project_submit(*, project: Project, actor: User) -> Project:
    step = PROJECT_WORKFLOW.check(project, "submit", actor=actor)
    missing = project_missing_fields(project)
    if missing:
        raise ValidationError(missing)
    PROJECT_WORKFLOW.apply(project, step, actor=actor)
    project.submitted_at = timezone.now()
    project.save(update_fields=["status", "submitted_at"])
    _email_people(
        people=User.objects.coordination(),
        subject=_("Projet à relire : %(title)s") % {"title": project.title},
        template="projects/emails/submitted.txt",
        project=project,
    )
    return project


@bumps_cache_version("projects")
@transaction.atomic
def project_publish(*, project: Project, actor: User) -> Project:
    step = PROJECT_WORKFLOW.check(project, "publish", actor=actor)
    missing = project_missing_fields(project)
    if missing:
        raise ValidationError(missing)
    PROJECT_WORKFLOW.apply(project, step, actor=actor)
    now = timezone.now()
    first_time = project.published_at is None
    project.published_at = project.published_at or now
    project.review_comments = ""
    project.last_updated_at = now
    project.save(update_fields=["status", "published_at", "review_comments", "last_updated_at"])
    if first_time:  # followers of its QPVs, their communes and its carrier hear of it
        notification_record(
            kind="project_new",
            item=project,
            title=project.title,
            summary=project.summary,
            audience=places_audience(qpvs=project.qpvs.all(), organisations=[project.carrier]),
        )
    _email_owners(
        project,
        subject=_("Votre projet est publié : %(title)s") % {"title": project.title},
        template="projects/emails/published.txt",
    )
    return project


@bumps_cache_version("projects")
@transaction.atomic
def project_return(*, project: Project, actor: User, comments: str) -> Project:
    """Send a submitted project back to its owners with the team's comments."""
    if not permissions.can_return_project(actor, project):
        raise PermissionDenied
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": _("Expliquez ce qu'il faut compléter.")})
    step = PROJECT_WORKFLOW.check(project, "return", actor=actor)
    PROJECT_WORKFLOW.apply(project, step, actor=actor, reason=comments)
    project.review_comments = comments
    project.save(update_fields=["status", "review_comments"])
    _email_owners(
        project,
        subject=_("Votre projet est à compléter : %(title)s") % {"title": project.title},
        template="projects/emails/returned.txt",
        comments=comments,
    )
    return project


@bumps_cache_version("projects")
@transaction.atomic
def project_archive(*, project: Project, actor: User, reason: str = "") -> Project:
    step = PROJECT_WORKFLOW.check(project, "archive", actor=actor)
    from_status = PROJECT_WORKFLOW.apply(project, step, actor=actor, reason=reason)
    project.archived_at = timezone.now()
    project.save(update_fields=["status", "archived_at"])
    _email_owners(
        project,
        subject=_("Projet archivé : %(title)s") % {"title": project.title},
        template="projects/emails/archived.txt",
        reason=reason,
    )
    if from_status == ProjectStatus.PUBLISHED:
        _email_followers(
            project,
            actor=actor,
            subject=_("Projet archivé : %(title)s") % {"title": project.title},
            template="projects/emails/follower_archived.txt",
            reason=reason,
        )
    return project


# --- Images and result files (bounded) ---------------------------------------


@bumps_cache_version("projects")
@transaction.atomic
def project_image_add(*, project: Project, actor: User, image: Any, alt_text: str) -> ProjectImage:
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    lock_row(project)
    if project.images.count() >= MAX_IMAGES_PER_PROJECT:
        raise ValidationError(
            _("Un projet a %(count)s images au plus.") % {"count": MAX_IMAGES_PER_PROJECT}
        )
    item = ProjectImage(
        project=project, image=image, alt_text=alt_text, position=project.images.count()
    )
    item.full_clean()
    item.save()
    return item


@bumps_cache_version("projects")
@transaction.atomic
def project_document_add(
    *, project: Project, actor: User, file: Any, title: str
) -> ProjectDocument:
    if not permissions.can_edit_project(actor, project):
        raise PermissionDenied
    lock_row(project)
    if project.documents.count() >= MAX_DOCUMENTS_PER_PROJECT:
        raise ValidationError(
            _("Un projet a %(count)s documents au plus.") % {"count": MAX_DOCUMENTS_PER_PROJECT}
        )
    document = ProjectDocument(project=project, file=file, title=title)
    document.full_clean()
    document.save()
    return document


@bumps_cache_version("projects")
@transaction.atomic
def project_image_remove(*, image: ProjectImage, actor: User) -> None:
    if not permissions.can_edit_project(actor, image.project):
        raise PermissionDenied
    lock_row(image.project)
    image.image.delete(save=False)
    image.delete()


@bumps_cache_version("projects")
@transaction.atomic
def project_document_remove(*, document: ProjectDocument, actor: User) -> None:
    if not permissions.can_edit_project(actor, document.project):
        raise PermissionDenied
    lock_row(document.project)
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
