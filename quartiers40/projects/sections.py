"""What projects add to other apps' pages (registered from ProjectsConfig.ready)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartiers40.core.sections import (
    ACCOUNT_PAGE,
    COORDINATION_PAGE,
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
)
from quartiers40.members.queues import queue

from .enums import ProjectStatus
from .models import Project
from .selectors import (
    projects_in_home_section,
    projects_in_organisation_section,
    projects_in_qpv_section,
    projects_pending_review,
)

# No page lists the submitted projects but "À traiter": it shows them all (a short queue).
SUBMITTED_PROJECTS_SHOWN = 20


def coordination_section_context(viewer) -> dict:
    """The projects submitted for publication, oldest first."""
    pending = projects_pending_review().order_by("last_updated_at", "pk")

    def entries():
        for project in pending[:SUBMITTED_PROJECTS_SHOWN]:
            yield {
                "title": project.title,
                "url": project.get_absolute_url(),
                "note": _("%(carrier)s, mis à jour le %(date)s")
                % {"carrier": project.carrier.name, "date": date_format(project.last_updated_at)},
            }

    return {
        "queues": [
            queue(
                key="projets",
                label=_("Projets à relire avant publication"),
                url=reverse("home:coordination") + "#file-projets",
                action=_("Ouvrir chaque projet pour le publier ou le renvoyer"),
                count=pending.count(),
                entries=entries,
            )
        ]
    }


def account_section_context(viewer) -> dict:
    """The projects of my organisations (those returned to us first), and those I follow."""
    organisation_ids = viewer.memberships.values("organisation_id")
    mine = list(
        Project.objects.filter(carrier_id__in=organisation_ids)
        .exclude(status=ProjectStatus.ARCHIVED)
        .select_related("carrier")
        .order_by("-last_updated_at", "pk")[:20]
    )
    followed = list(
        Project.objects.filter(follows__user=viewer, status=ProjectStatus.PUBLISHED)
        .select_related("carrier")
        .order_by("title")[:20]
    )
    returned = [p for p in mine if p.status == ProjectStatus.RETURNED]
    return {
        "awaiting": [
            {
                "text": _("La coordination vous a renvoyé « %(title)s » : complétez-le.")
                % {"title": project.title},
                "url": reverse("projects:edit", kwargs={"key": project.slug}),
                "action": _("Compléter le projet"),
            }
            for project in returned
        ],
        "projects": mine,
        "projects_returned": returned,
        "projects_followed": followed,
        "can_create_project": bool(mine) or viewer.memberships.exists(),
    }


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="projects",
            order=20,
            template="projects/qpv_section.html",
            context=projects_in_qpv_section,
        )
    )
    section_register(
        Section(
            page=ORGANISATION_PAGE,
            key="projects",
            order=20,
            template="projects/organisation_section.html",
            context=projects_in_organisation_section,
        )
    )
    section_register(
        Section(
            page=HOME_PAGE,
            key="projects",
            order=20,
            template="projects/home_section.html",
            context=projects_in_home_section,
        )
    )
    section_register(
        Section(
            page=COORDINATION_PAGE,
            key="projects",
            order=20,
            template="projects/coordination_section.html",
            context=coordination_section_context,
        )
    )
    section_register(
        Section(
            page=ACCOUNT_PAGE,
            key="projects",
            order=20,
            template="projects/account_section.html",
            context=account_section_context,
        )
    )
