"""The projects catalogue: list, detail, writing a project and its review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.members.models import Organisation
from quartiers40.members.permissions import is_coordination
from quartiers40.territories.selectors import qpv_summary_get

from . import permissions, selectors, services
from .enums import ProjectStatus
from .forms import SORT_NEWEST, CatalogueFilterForm, ProjectForm, ReturnForm
from .models import Project, ProjectFollow

PAGE_SIZE = 20
SAVE_DRAFT = "draft"
SUBMIT = "submit"


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _project_or_404(key: str, queryset=None) -> Project:
    """By slug, or by number for old links."""
    queryset = queryset if queryset is not None else Project.objects.all()
    lookup = Q(slug=key) | Q(pk=int(key)) if key.isdigit() else Q(slug=key)
    projects = list(queryset.filter(lookup)[:2])
    if not projects:
        raise Http404
    # A slug made of digits wins over the number of another project.
    return next((project for project in projects if project.slug == key), projects[0])


def _visible_project(request, key: str, queryset=None) -> Project:
    project = _project_or_404(key, queryset)
    if not permissions.can_view_project(request.user, project):
        raise Http404
    return project


def catalogue(request):
    filters = CatalogueFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    projects = selectors.project_catalogue(
        theme=values.get("theme", ""),
        stage=values.get("stage", ""),
        ai_category=values.get("ai_category", ""),
        department=values.get("department", ""),
        qpv=values.get("qpv", ""),
        carrier_kind=values.get("carrier_kind", ""),
        query=values.get("q", ""),
    )
    if values.get("sort") == SORT_NEWEST:
        projects = projects.order_by("-published_at", "pk")
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    qpv = qpv_summary_get(code=values["qpv"]) if values.get("qpv") else None
    return render(
        request,
        "projects/catalogue.html",
        {
            "filters": filters,
            "page": page,
            "is_filtered": any(value for name, value in values.items() if name != "sort"),
            "qpv": qpv,
        },
    )


def project_detail(request, key: str):
    project = _visible_project(
        request,
        key,
        selectors.projects_with_relations().prefetch_related("images", "documents"),
    )
    user = request.user
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "timeline": selectors.project_timeline(project),
            "can_edit": permissions.can_edit_project(user, project),
            "can_review": project.status == ProjectStatus.SUBMITTED
            and permissions.can_publish_project(user, project),
            "can_follow": permissions.can_follow_project(user, project),
            "is_following": user.is_authenticated
            and ProjectFollow.objects.filter(user=user, project=project).exists(),
            "return_form": ReturnForm(),
        },
    )


def _carriers_for(user):
    if is_coordination(user):
        return Organisation.objects.members_of_collective().order_by("name")
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def _save(request, form: ProjectForm, project: Project | None) -> Project | None:
    """Create or update from a valid form, then submit if asked; errors go to the form.

    Returns the project (saved as draft at least) or None when nothing could be saved.
    """
    data = form.service_arguments()
    try:
        if project is None:
            project = services.project_create(
                actor=request.user, carrier=form.cleaned_data["carrier"], **data
            )
        else:
            services.project_update(project=project, actor=request.user, **data)
    except ValidationError as error:
        _apply_errors(form, error)
        return project
    if request.POST.get("action") == SUBMIT:
        try:
            services.project_submit(project=project, actor=request.user)
        except ValidationError as error:
            _apply_errors(form, error)
            form.add_error(
                None,
                _(
                    "Le brouillon est enregistré, mais le projet ne peut pas encore être "
                    "soumis : complétez les champs signalés."
                ),
            )
            return project
        messages.success(
            request,
            _("Le projet est soumis à l'équipe de coordination, qui le relira avant publication."),
        )
    else:
        messages.success(request, _("Le brouillon est enregistré."))
    return project


@login_required
def project_create(request):
    carriers = _carriers_for(request.user)
    if not carriers:
        return render(request, "projects/no_organisation.html")
    form = ProjectForm(request.POST or None, carriers=carriers)
    project = None
    if request.method == "POST" and form.is_valid():
        project = _save(request, form, None)
        if project is not None and not form.errors:
            return redirect("projects:detail", key=project.slug)
    # Saved but not submitted: the form now posts to the draft's own edit page.
    return render(request, "projects/form.html", {"form": form, "project": project})


@login_required
def project_edit(request, key: str):
    project = _project_or_404(key)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    if project.status == ProjectStatus.ARCHIVED:
        messages.error(request, _("Un projet archivé ne se modifie plus."))
        return redirect("projects:detail", key=project.slug)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        _save(request, form, project)
        if not form.errors:
            return redirect("projects:detail", key=project.slug)
    return render(request, "projects/form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_follow(request, key: str):
    project = _visible_project(request, key)
    if request.POST.get("action") == "unfollow":
        services.project_unfollow(project=project, user=request.user)
        messages.success(request, _("Vous ne suivez plus ce projet."))
    else:
        services.project_follow(project=project, user=request.user)
        messages.success(
            request, _("Vous suivez ce projet : vous serez prévenu·e de ses mises à jour.")
        )
    return redirect("projects:detail", key=project.slug)


@login_required
@require_POST
def project_publish(request, key: str):
    project = _project_or_404(key)
    try:
        services.project_publish(project=project, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le projet est publié."))
    return redirect("projects:detail", key=project.slug)


@login_required
@require_POST
def project_return(request, key: str):
    project = _project_or_404(key)
    if not permissions.can_return_project(request.user, project):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Expliquez ce qu'il faut compléter."))
        services.project_return(
            project=project, actor=request.user, comments=form.cleaned_data["comments"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Le projet est renvoyé à son organisation avec vos commentaires.")
        )
    return redirect("projects:detail", key=project.slug)
