"""The organisers' pages of an edition: create, change, publish, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply

from .. import permissions, selectors, services
from ..enums import EDITION_WORKFLOW
from ..forms import EditionForm, ReasonForm
from ..models import Series
from ._shared import organised_edition


@login_required
def edition_create(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    if not permissions.can_manage_series(request.user, series):
        raise PermissionDenied
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(
                series=series, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'édition est créée (brouillon)."))
            return redirect("meetings:organiser_home", slug=edition.slug)
    return render(request, "meetings/edition_form.html", {"form": form, "series": series})


@login_required
def edition_edit(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_update(edition=edition, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("L'édition est mise à jour."))
            return redirect("meetings:organiser_home", slug=edition.slug)
    return render(
        request,
        "meetings/edition_form.html",
        {"form": form, "series": edition.series, "edition": edition},
    )


@login_required
def organiser_home(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    return render(
        request,
        "meetings/organiser_home.html",
        {
            "edition": edition,
            "edition_actions": EDITION_WORKFLOW.allowed(edition, request.user),
            "seats": selectors.seat_summaries(edition),
            "counts": selectors.attendance_counts(edition),
            "cancel_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def edition_publish(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    try:
        services.edition_publish(edition=edition, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("L'édition est publiée."))
    return redirect("meetings:organiser_home", slug=edition.slug)


@login_required
@require_POST
def edition_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.edition_cancel(edition=edition, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("L'édition est annulée ; les personnes inscrites sont prévenues.")
        )
    return redirect("meetings:organiser_home", slug=edition.slug)
