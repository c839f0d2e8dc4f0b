"""The call for pitches and the agenda builder: one view per action, each its own address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply

from .. import selectors, services
from ..enums import PITCH_WORKFLOW
from ..forms import AgendaItemForm, PitchForm
from ..models import AgendaItem, Edition, PitchApplication
from ._shared import organised_edition, visible_edition


@login_required
def pitch_apply(request: HttpRequest, slug: str) -> HttpResponse:
    edition = visible_edition(request, slug)
    user = request.user
    form = PitchForm(
        request.POST or None,
        projects=selectors.pitch_eligible_projects(user),
        challenges=selectors.pitch_eligible_challenges(user),
        initial={"speaker_name": user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pitch_apply(edition=edition, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Votre proposition est envoyée aux organisateurs. Merci !"))
            return redirect("meetings:edition_detail", slug=edition.slug)
    return render(
        request,
        "meetings/pitch_apply.html",
        {"edition": edition, "form": form, "is_open": edition.call_for_pitches_open},
    )


def _builder(
    request: HttpRequest,
    edition: Edition,
    *,
    form: AgendaItemForm,
    editing: AgendaItem | None,
) -> HttpResponse:
    pitches = selectors.pitches_ranked(edition)
    for pitch in pitches:
        pitch.actions = PITCH_WORKFLOW.allowed(pitch, request.user)
    # Those still to decide first; the decided ones fold away (a kept one is in the agenda).
    to_decide = [pitch for pitch in pitches if pitch.actions & {"accept", "decline"}]
    decided = [pitch for pitch in pitches if not pitch.actions & {"accept", "decline"}]
    return render(
        request,
        "meetings/agenda_builder.html",
        {
            "edition": edition,
            "pitches": to_decide,
            "decided_pitches": decided,
            "agenda": selectors.agenda(edition),
            "form": form,
            "editing": editing,
        },
    )


@login_required
def agenda_builder(request: HttpRequest, slug: str) -> HttpResponse:
    """Applications ranked by supports and freshness; the agenda, item by item."""
    edition = organised_edition(request, slug)
    editing = None
    if request.GET.get("modifier"):
        editing = get_object_or_404(edition.agenda_items, pk=request.GET["modifier"])
    return _builder(request, edition, form=AgendaItemForm(instance=editing), editing=editing)


def _back(edition: Edition) -> HttpResponse:
    return redirect("meetings:agenda_builder", slug=edition.slug)


def _pitch_decide(request: HttpRequest, slug: str, pk: int, *, accept: bool) -> HttpResponse:
    edition = organised_edition(request, slug)
    pitch = get_object_or_404(PitchApplication, pk=pk, edition=edition)
    try:
        services.pitch_decide(pitch=pitch, actor=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("La proposition est retenue et ajoutée à l'ordre du jour.")
            if accept
            else _("La proposition n'est pas retenue."),
        )
    return _back(edition)


@login_required
@require_POST
def pitch_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _pitch_decide(request, slug, pk, accept=True)


@login_required
@require_POST
def pitch_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _pitch_decide(request, slug, pk, accept=False)


@login_required
@require_POST
def agenda_item_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a point (no `item`) or change one; the builder again, with the errors, if invalid."""
    edition = organised_edition(request, slug)
    item = None
    if request.POST.get("item"):
        item = get_object_or_404(AgendaItem, pk=request.POST["item"], edition=edition)
    form = AgendaItemForm(request.POST, instance=item)
    if form.is_valid():
        try:
            services.agenda_item_save(
                edition=edition, actor=request.user, item=item, **form.service_arguments()
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'ordre du jour est enregistré."))
            return _back(edition)
    return _builder(request, edition, form=form, editing=item)


def _agenda_item(request: HttpRequest, slug: str, pk: int) -> tuple[Edition, AgendaItem]:
    edition = organised_edition(request, slug)
    return edition, get_object_or_404(AgendaItem, pk=pk, edition=edition)


@login_required
@require_POST
def agenda_item_up(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, item = _agenda_item(request, slug, pk)
    services.agenda_item_move(item=item, actor=request.user, up=True)
    return _back(edition)


@login_required
@require_POST
def agenda_item_down(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, item = _agenda_item(request, slug, pk)
    services.agenda_item_move(item=item, actor=request.user, up=False)
    return _back(edition)


@login_required
def agenda_item_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A confirmation step (GET), then the removal (POST): no point is lost by a slip."""
    edition, item = _agenda_item(request, slug, pk)
    if request.method != "POST":
        return render(
            request, "meetings/agenda_item_delete.html", {"edition": edition, "item": item}
        )
    services.agenda_item_delete(item=item, actor=request.user)
    messages.success(request, _("Le point est retiré de l'ordre du jour."))
    return _back(edition)
