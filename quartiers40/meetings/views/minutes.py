"""Minutes and resources of an edition: one view per action, each its own address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.assist.selectors import assist_names_to_remove
from quartiers40.assist.services import AssistUnavailable, assist_enabled, assist_minutes_draft
from quartiers40.core.forms import form_errors_apply

from .. import services
from ..forms import MinutesAssistForm, MinutesForm, ResourceForm
from ..models import Edition, EditionResource
from ._shared import organised_edition


def _page(
    request: HttpRequest,
    edition: Edition,
    *,
    form: MinutesForm | None = None,
    resource_form: ResourceForm | None = None,
) -> HttpResponse:
    if form is None:
        form = MinutesForm(
            initial={
                "minutes": edition.minutes,
                "replay_url": edition.replay_url,
                "slides_url": edition.slides_url,
            }
        )
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "edition": edition,
            "form": form,
            "resource_form": resource_form or ResourceForm(),
            "resources": edition.resources.all(),
            "can_assist": assist_enabled() and bool(edition.minutes.strip()),
        },
    )


def _back(edition: Edition) -> HttpResponse:
    return redirect("meetings:minutes_edit", slug=edition.slug)


@login_required
def minutes_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, organised_edition(request, slug))


def _minutes_save(request: HttpRequest, slug: str, *, publish: bool) -> HttpResponse:
    edition = organised_edition(request, slug)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.edition_minutes_save(
                edition=edition, actor=request.user, publish=publish, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Le compte rendu est publié sur la page de la rencontre.")
                if publish
                else _("Le compte rendu est enregistré (non publié)."),
            )
            return _back(edition)
    return _page(request, edition, form=form)


@login_required
@require_POST
def minutes_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _minutes_save(request, slug, publish=True)


@login_required
@require_POST
def minutes_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Saved, not published (or no longer published)."""
    return _minutes_save(request, slug, publish=False)


@login_required
@require_POST
def resource_add(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    resource_form = ResourceForm(request.POST, request.FILES)
    if resource_form.is_valid():
        try:
            services.edition_resource_add(
                edition=edition, actor=request.user, **resource_form.cleaned_data
            )
        except ValidationError as error:
            form_errors_apply(resource_form, error)
        else:
            messages.success(request, _("La ressource est ajoutée."))
            return _back(edition)
    return _page(request, edition, resource_form=resource_form)


@login_required
@require_POST
def resource_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition = organised_edition(request, slug)
    resource = get_object_or_404(EditionResource, pk=pk, edition=edition)
    services.edition_resource_delete(resource=resource, actor=request.user)
    messages.success(request, _("La ressource est retirée."))
    return _back(edition)


# --- The AI's proposal: a summary and action items (assist/) ----------------------------


def _names_in(edition: Edition) -> list[str]:
    """Everybody the minutes may name: registrants, organisers, owners of action items."""
    people = [*edition.organisers.all()]
    people += [item.owner_user for item in edition.action_items.select_related("owner_user")]
    registrations = edition.registrations.select_related("user")
    names = assist_names_to_remove(people=[*people, *(r.user for r in registrations)])
    return [*names, *(registration.name for registration in registrations)]


@login_required
@require_POST
def minutes_assist(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask the AI for a summary of the saved minutes and the action items they imply."""
    edition = organised_edition(request, slug)
    if not assist_enabled() or not edition.minutes.strip():
        return _back(edition)
    try:
        proposal = assist_minutes_draft(
            actor=request.user,  # type: ignore[arg-type]
            minutes=edition.minutes,
            names=_names_in(edition),
        )
    except AssistUnavailable as error:
        messages.error(request, error.message)
        return _back(edition)
    form = MinutesAssistForm(proposed=proposal.action_items)
    form.ai_draft_put("minutes_summary", proposal.draft)
    return _assist_page(request, edition, form)


def _assist_page(request: HttpRequest, edition: Edition, form: MinutesAssistForm) -> HttpResponse:
    return render(request, "meetings/minutes_assist.html", {"edition": edition, "form": form})


@login_required
@require_POST
def minutes_assist_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Save the reviewed summary and create the ticked action items (nothing else)."""
    edition = organised_edition(request, slug)
    form = MinutesAssistForm(request.POST, proposed=request.POST.getlist("proposed"))
    if not form.is_valid():
        return _assist_page(request, edition, form)
    summary = form.cleaned_data["minutes_summary"]
    if summary.strip() or edition.minutes_summary:
        services.edition_minutes_summary_save(edition=edition, actor=request.user, summary=summary)
        form.ai_drafts_accept(target=edition, actor=request.user, cache_topic="meetings")
    for title in form.cleaned_data["actions"]:
        services.action_item_create(
            edition=edition, actor=request.user, title=title, owner_user=request.user
        )
    created = len(form.cleaned_data["actions"])
    messages.success(
        request,
        _("La synthèse est enregistrée ; %(count)s action(s) créée(s).") % {"count": created},
    )
    return redirect("meetings:actions_manage", slug=edition.slug) if created else _back(edition)
