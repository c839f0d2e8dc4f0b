"""Reads of the projects domain, shared by pages, the API and the background tasks."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from quartiers40.core.db import in_given_order
from quartiers40.members.models import Organisation, User
from quartiers40.members.permissions import is_coordination, membership_of
from quartiers40.territories.models import QPV

from .enums import ProjectStatus, Stage
from .models import Project, ProjectFollow, ProjectUpdate

# A project not updated for this long reminds its owners (about six months).
FRESHNESS_DAYS = 183
PROJECTS_ON_QPV_PAGE = 6
PROJECTS_ON_ORGANISATION_PAGE = 20
PROJECTS_ON_HOME_PAGE = 4


def projects_with_relations(projects: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects with their carrier, partners and QPVs (without the QPVs' geometry columns)."""
    if projects is None:
        projects = Project.objects.all()
    return projects.select_related("carrier").prefetch_related(
        Prefetch("qpvs", queryset=QPV.objects.without_geometry_fields().order_by("name")),
        Prefetch("partners", queryset=Organisation.objects.order_by("name")),
    )


def project_by_key(key: str, projects: QuerySet[Project] | None = None) -> Project | None:
    """A project by its slug, or by its number for old links; None if there is none."""
    projects = projects if projects is not None else Project.objects.all()
    lookup = Q(slug=key) | Q(pk=int(key)) if key.isdigit() else Q(slug=key)
    found = list(projects.filter(lookup)[:2])
    if not found:
        return None
    # A slug made of digits wins over the number of another project.
    return next((project for project in found if project.slug == key), found[0])


def project_is_followed(project: Project, user: Any) -> bool:
    return bool(
        user.is_authenticated and ProjectFollow.objects.filter(user=user, project=project).exists()
    )


def project_carriers_for(user: Any) -> QuerySet[Organisation]:
    """The organisations `user` may propose a project for (the team: any member one)."""
    if is_coordination(user):
        return Organisation.objects.members_of_collective().order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def project_catalogue(
    *,
    theme: str = "",
    stage: str = "",
    ai_category: str = "",
    department: str = "",
    qpv: str = "",
    carrier_kind: str = "",
    easy_to_read: bool = False,
    query: str = "",
    among: Sequence[int] | None = None,
) -> QuerySet[Project]:
    """Published projects, filtered; the most recently updated first. `among`: only these
    ids, in their order (what the site's search found for the words typed)."""
    projects = Project.objects.published()
    if theme:
        projects = projects.with_theme(theme)
    if stage:
        projects = projects.filter(stage=stage)
    if ai_category:
        projects = projects.filter(ai_category=ai_category)
    if department:
        projects = projects.in_department(department)
    if qpv:
        projects = projects.filter(qpvs__code=qpv)
    if carrier_kind:
        projects = projects.filter(carrier__kind=carrier_kind)
    if easy_to_read:
        projects = projects.filter(easy_to_read=True)
    if query:
        projects = projects.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(easy_read_summary__icontains=query)
            | Q(problem__icontains=query)
            | Q(carrier__name__icontains=query)
        )
    if among is not None:
        projects = projects.filter(pk__in=among)
    ids = projects.values("pk")
    ordering = (in_given_order(among),) if among else ()
    return projects_with_relations(Project.objects.filter(pk__in=ids)).order_by(
        *ordering, "-last_updated_at", "pk"
    )


def projects_of_qpv(qpv: QPV) -> QuerySet[Project]:
    return project_catalogue(qpv=qpv.code)


def projects_of_organisation(
    organisation: Organisation, *, include_unpublished: bool = False
) -> QuerySet[Project]:
    """Projects the organisation carries or is a partner of."""
    projects = Project.objects.of_organisation(organisation)
    if not include_unpublished:
        projects = projects.published()
    ids = projects.values("pk")
    return projects_with_relations(Project.objects.filter(pk__in=ids)).order_by(
        "-last_updated_at", "pk"
    )


def projects_stale(*, now: datetime) -> QuerySet[Project]:
    """Published projects not updated for FRESHNESS_DAYS, not yet reminded since."""
    return Project.objects.published().filter(
        Q(freshness_reminded_at__isnull=True) | Q(freshness_reminded_at__lt=F("last_updated_at")),
        last_updated_at__lt=now - timedelta(days=FRESHNESS_DAYS),
    )


def project_timeline(project: Project) -> QuerySet[ProjectUpdate]:
    return project.updates.select_related("actor").order_by("-created_at", "-pk")


def project_owners(project: Project) -> QuerySet[User]:
    """The people of the carrying organisation: they edit it and receive its e-mails."""
    return User.objects.filter(
        is_active=True, memberships__organisation_id=project.carrier_id
    ).distinct()


def project_followers(project: Project) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, deleted_at__isnull=True, followed_projects__project=project
    ).order_by("pk")


def projects_pending_review() -> QuerySet[Project]:
    return Project.objects.filter(status=ProjectStatus.SUBMITTED).select_related("carrier")


def projects_in_qpv_section(qpv: QPV) -> dict:
    """The projects section of a QPV page (registered in ProjectsConfig.ready)."""
    projects = projects_of_qpv(qpv)
    return {
        "projects": projects[:PROJECTS_ON_QPV_PAGE],
        "projects_count": projects.count(),
    }


def project_map_points(projects: QuerySet[Project]) -> dict:
    """The projects placed on their QPVs: one point per QPV (its centroid) with its projects.

    `{"points": [{"code", "name", "lon", "lat", "items": [[title, slug], ...]}],
    "unplaced": n}`; a project on several QPVs is on each of them; `unplaced` counts the
    projects placed only by department. Two queries whatever the number of projects.
    """
    ids = projects.order_by().values("pk")
    rows = (
        Project.qpvs.through.objects.filter(project_id__in=ids)
        .order_by("qpv__code", "project__title", "project_id")
        .values_list(
            "qpv__code",
            "qpv__name",
            "qpv__centroid_lon",
            "qpv__centroid_lat",
            "project__title",
            "project__slug",
        )
    )
    points: dict[str, dict] = {}
    placed = set()
    for code, name, lon, lat, title, slug in rows:
        if lon is None or lat is None:
            continue
        point = points.setdefault(
            code,
            {"code": code, "name": name, "lon": round(lon, 5), "lat": round(lat, 5), "items": []},
        )
        point["items"].append([title, slug])
        placed.add(slug)
    total = Project.objects.filter(pk__in=ids).count()
    return {"points": list(points.values()), "unplaced": total - len(placed)}


def projects_in_organisation_section(organisation: Organisation, viewer) -> dict:
    """The projects section of an organisation page (registered in ProjectsConfig.ready).

    Published projects it carries or is a partner of; its own people and the
    coordination team also see its projects in the works, with their status.
    """
    insider = is_coordination(viewer) or membership_of(viewer, organisation) is not None
    projects = projects_of_organisation(organisation, include_unpublished=insider)
    if insider:
        projects = projects.exclude(~Q(carrier=organisation), ~Q(status=ProjectStatus.PUBLISHED))
    shown = list(projects[: PROJECTS_ON_ORGANISATION_PAGE + 1])
    return {
        "organisation_projects": shown[:PROJECTS_ON_ORGANISATION_PAGE],
        "organisation_projects_more": len(shown) > PROJECTS_ON_ORGANISATION_PAGE,
        "organisation_projects_insider": insider,
    }


def projects_in_home_section(viewer) -> dict:
    """The latest published projects still going on (not archived, not at the "stopped"
    stage), for the home page (registered in ProjectsConfig.ready)."""
    projects = project_catalogue().exclude(stage=Stage.STOPPED)
    return {
        "latest_projects": list(projects.order_by("-published_at", "pk")[:PROJECTS_ON_HOME_PAGE]),
        "projects_count": Project.objects.published().count(),
    }
