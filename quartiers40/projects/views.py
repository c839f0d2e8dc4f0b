"""The projects catalogue: list, detail, writing a project and its review."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from quartiers40.assist.forms import ai_summary_into_form
from quartiers40.assist.selectors import assist_names_to_remove
from quartiers40.assist.services import assist_enabled
from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.core.maps import map_tiles, map_tiles_allowed
from quartiers40.core.pagecache import deferred, public_page_cache
from quartiers40.core.ratelimit import client_ip, rate_limit_check
from quartiers40.plainlanguage.forms import plain_check_apply, plain_check_requested
from quartiers40.search.selectors import search_object_ids
from quartiers40.territories.selectors import qpv_summary_get
from quartiers40.territories.widgets import qpv_picker_query

from . import permissions, selectors, services
from .enums import PROJECT_WORKFLOW, ProjectStatus
from .forms import (
    SORT_NEWEST,
    ArchiveForm,
    CatalogueFilterForm,
    ContactForm,
    DocumentForm,
    ImageForm,
    ProjectForm,
    ReturnForm,
)
from .models import Project

PAGE_SIZE = 20
SAVE_DRAFT = "draft"
SUBMIT = "submit"
NEXT_STEP = "next_step"


def _project_or_404(key: str, queryset=None) -> Project:
    """By slug, or by number for old links."""
    project = selectors.project_by_key(key, queryset)
    if project is None:
        raise Http404
    return project


def _visible_project(request, key: str, queryset=None) -> Project:
    project = _project_or_404(key, queryset)
    if not permissions.can_view_project(request.user, project):
        raise Http404
    return project


def _filtered(request):
    """The catalogue's filter form, its valid values and the projects they select."""
    filters = CatalogueFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    words = values.get("q", "")
    # The words go through the site's French search (accents, typos, everyday words).
    among = search_object_ids(words, kind="project") if words else None
    projects = selectors.project_catalogue(
        theme=values.get("theme", ""),
        stage=values.get("stage", ""),
        ai_category=values.get("ai_category", ""),
        department=values.get("department", ""),
        qpv=values.get("qpv", ""),
        carrier_kind=values.get("carrier_kind", ""),
        easy_to_read=bool(values.get("facile")),
        query=words if among is None else "",
        among=among,
    )
    return filters, values, projects


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _is_filtered(values: dict) -> bool:
    return any(value for name, value in values.items() if name != "sort")


@public_page_cache(depends=("projects", "territories", "members"))
def catalogue(request):
    def listed() -> dict:
        filters, values, projects = _filtered(request)
        if values.get("sort") == SORT_NEWEST:
            projects = projects.order_by("-published_at", "pk")
        return {
            "filters": filters,
            "page": Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page")),
            "is_filtered": _is_filtered(values),
            "qpv": qpv_summary_get(code=values["qpv"]) if values.get("qpv") else None,
        }

    return render(
        request,
        "projects/catalogue.html",
        {
            **deferred(listed, "filters", "page", "is_filtered", "qpv"),
            "map_query": _query_without_page(request),
        },
    )


@public_page_cache(depends=("projects", "territories", "members"))
def project_map(request):
    """The projects on the map of their QPVs; the page lists the same QPVs as text."""
    filters, values, projects = _filtered(request)

    @functools.cache
    def found() -> dict:
        # Read only when the page's shared fragment is rebuilt (signed-in visitors reuse it).
        data = selectors.project_map_points(projects)
        points = sorted(data["points"], key=lambda point: (point["name"], point["code"]))
        count = sum(len(point["items"]) for point in points)
        return {"points": points, "unplaced": data["unplaced"], "count": count}

    query = _query_without_page(request)
    return map_tiles_allowed(
        render(
            request,
            "projects/map.html",
            {
                "filters": filters,
                "is_filtered": _is_filtered(values),
                "points": lambda: found()["points"],
                "projects_count": lambda: found()["count"],
                "unplaced": lambda: found()["unplaced"],
                "query": query,
                "map": {
                    "data_url": f"{reverse('projects:map_data')}?{query}",
                    **map_tiles(),
                },
            },
        )
    )


@public_page_cache(depends=("projects", "territories", "members"), for_everyone=True)
@require_GET
def project_map_data(request):
    """The points of the map page, with the same filters: JSON for `core/points-map.js`."""
    _filters, _values, projects = _filtered(request)
    data = selectors.project_map_points(projects)
    data["url_template"] = reverse("projects:detail", args=["SLUG"])
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@public_page_cache(depends=("projects", "territories", "members"))
def project_detail(request, key: str):
    project = _visible_project(
        request,
        key,
        selectors.projects_with_relations().prefetch_related("images", "documents"),
    )
    user = request.user
    actions = PROJECT_WORKFLOW.allowed(project, user)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "timeline": functools.cache(lambda: selectors.project_timeline(project)),
            "can_edit": permissions.can_edit_project(user, project),
            "can_change": permissions.can_edit_project(user, project) and project.is_changeable,
            "can_publish": "publish" in actions,
            "can_return": "return" in actions,
            "can_archive": "archive" in actions,
            "can_follow": permissions.can_follow_project(user, project),
            "can_contact": permissions.can_contact_project(user, project),
            "is_following": selectors.project_is_followed(project, user),
            "return_form": ReturnForm(),
        },
    )


def _editable_project(request, key: str) -> Project:
    project = _project_or_404(key)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return project


def _archived(request, project: Project):
    messages.error(request, _("Un projet archivé ne se modifie plus."))
    return redirect("projects:detail", key=project.slug)


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
        form_errors_apply(form, error)
        return project
    form.ai_drafts_accept(
        target=project, actor=request.user, organisation=project.carrier, cache_topic="projects"
    )
    if request.POST.get("action") == SUBMIT:
        try:
            services.project_submit(project=project, actor=request.user)
        except ValidationError as error:
            form_errors_apply(form, error)
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


def _next_step(request) -> str:
    """The step a "save and go on" button asks for ("" for none or an unknown one)."""
    key = request.POST.get(NEXT_STEP, "")
    return key if key in {step.key for step in ProjectForm.STEPS} else ""


def _after_save(request, project: Project):
    """A draft saved from a step goes on to the next step of its edit page; otherwise the
    project's page."""
    step = _next_step(request)
    if step and request.POST.get("action") != SUBMIT:
        return redirect(f"{reverse('projects:edit', kwargs={'key': project.slug})}#etape-{step}")
    return redirect("projects:detail", key=project.slug)


def _missing(form: ProjectForm, project: Project | None) -> list[tuple[str, str]]:
    """(anchor, label) of what the saved project still lacks before it can be submitted."""
    if project is None or project.pk is None:
        return []
    missing = []
    for name, message in services.project_missing_fields(project).items():
        if name in form.fields:
            missing.append((form[name].auto_id, str(form.fields[name].label)))
        else:  # the places: a quartier or a department, in their step
            missing.append(("etape-lieux", str(message)))
    return missing


def _form_page(request, form: ProjectForm, project: Project | None):
    """The form in steps, with a "submit" button only where submitting is possible."""
    can_submit = project is None or PROJECT_WORKFLOW.can(project, "submit", request.user)
    # A published or submitted project saves "modifications": its steps are plain links.
    saves_per_step = project is None or project.status not in {
        ProjectStatus.PUBLISHED,
        ProjectStatus.SUBMITTED,
    }
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "project": project,
            "can_submit": can_submit,
            "steps": form.steps(),
            "saves_per_step": saves_per_step,
            "missing": _missing(form, project) if can_submit else [],
            "after_field": _assist_box(),
        },
    )


def _assist_box() -> dict | None:
    """The "Proposer un résumé avec l'IA" button under the plain-French summary, if on."""
    if not assist_enabled():
        return None
    return {
        "name": "easy_read_summary",
        "template": "assist/draft_box.html",
        "button": _("Proposer un résumé avec l'IA"),
        "help": _(
            "L'IA lit le titre, le résumé en une ligne, le problème et la description (sans "
            "noms, e-mails ni téléphones) et propose un texte en français facile, que vous "
            "relisez et corrigez. Rien n'est enregistré sans vous."
        ),
    }


def _assist_draft(request, form: ProjectForm, project: Project | None):
    """The AI button was pressed: the draft in the field (JSON for the script), or None to
    show the form again as typed."""
    data = form.data
    source = "\n\n".join(
        data.get(name, "").strip() for name in ("summary", "problem", "description")
    )
    organisations = [project.carrier] if project else list(form.fields["carrier"].queryset)
    return ai_summary_into_form(
        request,
        form,
        field_name="easy_read_summary",
        title=data.get("title", ""),
        source=source,
        names=assist_names_to_remove(organisations=organisations, people=[request.user]),
    )


@login_required
def project_create(request):
    carriers = selectors.project_carriers_for(request.user)
    if not carriers:
        return render(request, "projects/no_organisation.html")
    form = qpv_picker_query(ProjectForm(request.POST or None, carriers=carriers), request.GET)
    project = None
    if form.ai_draft_requested():
        return _assist_draft(request, form, None) or _form_page(request, form, None)
    if plain_check_requested(request):  # "Vérifier la lisibilité": nothing saved
        plain_check_apply(form)
        return _form_page(request, form, project)
    if request.method == "POST" and form.is_valid():
        project = _save(request, form, None)
        if project is not None and not form.errors:
            return _after_save(request, project)
    # Saved but not submitted: the form now posts to the draft's own edit page.
    return _form_page(request, form, project)


@login_required
def project_edit(request, key: str):
    project = _editable_project(request, key)
    if not project.is_changeable:
        return _archived(request, project)
    form = qpv_picker_query(ProjectForm(request.POST or None, instance=project), request.GET)
    if form.ai_draft_requested():
        return _assist_draft(request, form, project) or _form_page(request, form, project)
    if plain_check_requested(request):  # "Vérifier la lisibilité": nothing saved
        plain_check_apply(form)
        return _form_page(request, form, project)
    if request.method == "POST" and form.is_valid():
        _save(request, form, project)
        if not form.errors:
            return _after_save(request, project)
    return _form_page(request, form, project)


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
        messages.error(request, error_text(error))
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
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("Le projet est renvoyé à son organisation avec vos commentaires.")
        )
    return redirect("projects:detail", key=project.slug)


def project_contact(request, key: str):
    """Write to a project's people; they answer by e-mail, no address is ever shown."""
    project = _visible_project(request, key)
    if not permissions.can_contact_project(request.user, project):
        raise Http404
    user = request.user
    initial = {"name": user.display_name, "email": user.email} if user.is_authenticated else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST":
        checks = [("project_contact_ip", client_ip(request))]
        if user.is_authenticated:
            checks.append(("project_contact_account", str(user.pk)))
        limit = rate_limit_check(request, *checks)
        if limit.limited:
            minutes = max(1, round(limit.retry_after / 60))
            form.add_error(
                None,
                _("Trop de messages envoyés. Réessayez dans %(minutes)s minute(s).")
                % {"minutes": minutes},
            )
            response = render(
                request, "projects/contact.html", {"project": project, "form": form}, status=429
            )
            response["Retry-After"] = str(limit.retry_after)
            return response
        if form.is_valid():
            services.project_contact_send(
                project=project,
                sender=user if user.is_authenticated else None,
                **form.cleaned_data,
            )
            messages.success(
                request,
                _("Votre message est envoyé à l'équipe du projet, qui vous répondra par e-mail."),
            )
            return redirect("projects:detail", key=project.slug)
    return render(request, "projects/contact.html", {"project": project, "form": form})


@login_required
def project_files(request, key: str):
    """Images and result documents of a project: add with a bounded upload, remove."""
    project = _editable_project(request, key)
    if not project.is_changeable:
        return _archived(request, project)
    action = request.POST.get("action", "")
    image_form = ImageForm(
        request.POST if action == "add_image" else None,
        request.FILES if action == "add_image" else None,
        prefix="image",
    )
    document_form = DocumentForm(
        request.POST if action == "add_document" else None,
        request.FILES if action == "add_document" else None,
        prefix="document",
    )
    if request.method == "POST":
        done = _files_action(request, project, action, image_form, document_form)
        if done:
            return redirect("projects:files", key=project.slug)
    return render(
        request,
        "projects/files.html",
        {
            "project": project,
            "images": project.images.all(),
            "documents": project.documents.all(),
            "image_form": image_form,
            "document_form": document_form,
        },
        status=400 if image_form.errors or document_form.errors else 200,
    )


def _files_action(request, project, action: str, image_form, document_form) -> bool:
    """Run one action of the files page; True when done (errors go to the forms)."""
    user = request.user
    try:
        if action == "add_image" and image_form.is_valid():
            services.project_image_add(project=project, actor=user, **image_form.cleaned_data)
            messages.success(request, _("L'image est ajoutée."))
            return True
        if action == "add_document" and document_form.is_valid():
            services.project_document_add(project=project, actor=user, **document_form.cleaned_data)
            messages.success(request, _("Le document est ajouté."))
            return True
        if action == "remove_image":
            image = project.images.filter(pk=_int(request.POST.get("image"))).first()
            if image is None:
                raise Http404
            services.project_image_remove(image=image, actor=user)
            messages.success(request, _("L'image est retirée."))
            return True
        if action == "remove_document":
            document = project.documents.filter(pk=_int(request.POST.get("document"))).first()
            if document is None:
                raise Http404
            services.project_document_remove(document=document, actor=user)
            messages.success(request, _("Le document est retiré."))
            return True
    except ValidationError as error:
        form_errors_apply(image_form if action == "add_image" else document_form, error)
    return False


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def project_archive(request, key: str):
    """Ask for a confirmation (and an optional reason), then archive."""
    project = _project_or_404(key)
    if not permissions.can_archive_project(request.user, project):
        raise PermissionDenied
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_archive(
                project=project, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Le projet est archivé."))
        return redirect("projects:detail", key=project.slug)
    return render(request, "projects/archive.html", {"project": project, "form": form})
