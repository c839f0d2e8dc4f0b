"""Series: proposing a local one, and the coordination team's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.members.models import Organisation
from quartiers40.members.permissions import is_coordination

from .. import permissions, selectors, services
from ..enums import SeriesKind
from ..forms import ReasonForm, SeriesForm
from ..models import Series


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if is_coordination(user):
        organisations = Organisation.objects.members_of_collective().order_by("name")
    else:
        organisations = (
            Organisation.objects.members_of_collective()
            .filter(memberships__user=user)
            .order_by("name")
        )
    if not organisations:
        raise PermissionDenied
    form = SeriesForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=user, kind=SeriesKind.LOCAL, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("La série est proposée : l'équipe de coordination va la valider."),
            )
            return redirect("meetings:series_detail", slug=series.slug)
    return render(request, "meetings/series_form.html", {"form": form})


@login_required
def series_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_approve_series(request.user):
        raise PermissionDenied
    return render(
        request,
        "meetings/series_queue.html",
        {"pending": selectors.series_pending(), "refuse_form": ReasonForm()},
    )


@login_required
@require_POST
def series_approve(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    try:
        services.series_approve(series=series, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("La série est validée."))
    return redirect("meetings:series_queue")


@login_required
@require_POST
def series_refuse(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.series_refuse(series=series, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("La série est refusée."))
    return redirect("meetings:series_queue")
