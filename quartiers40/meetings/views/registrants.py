"""The organisers' list of registrants, its CSV export, and the check-in on the day."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from quartiers40.core.forms import error_text
from quartiers40.core.spreadsheet import spreadsheet_response

from .. import permissions, selectors, services
from ..enums import REGISTRATION_WORKFLOW
from ..forms import SearchForm
from ._shared import organised_edition


@login_required
def registrants(request: HttpRequest, slug: str) -> HttpResponse:
    edition = organised_edition(request, slug)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        registration = get_object_or_404(edition.registrations, pk=request.POST.get("registration"))
        try:
            services.registration_cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("L'inscription est annulée."))
        return redirect("meetings:registrants", slug=edition.slug)
    return render(
        request,
        "meetings/registrants.html",
        {
            "edition": edition,
            "registrations": selectors.registrants(edition, query=query),
            # The page is the organisers': their "cancel" depends on the state only.
            "cancellable_states": REGISTRATION_WORKFLOW["cancel"].sources,
            "seats": selectors.seat_summaries(edition),
            "search": search,
        },
    )


@login_required
def registrants_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Opened in a spreadsheet: no cell may run as a formula (`core.spreadsheet`)."""
    edition = organised_edition(request, slug)
    if not permissions.can_export_registrants(request.user, edition):
        raise PermissionDenied
    return spreadsheet_response(
        selectors.registrants_csv_rows(edition), filename=f"inscrits-{edition.slug}.csv"
    )


@login_required
def checkin(request: HttpRequest, slug: str) -> HttpResponse:
    """On the day, on a phone: search a name, mark present (a plain form per person)."""
    edition = organised_edition(request, slug)
    if request.method == "POST":
        registration = get_object_or_404(edition.registrations, pk=request.POST.get("registration"))
        present = request.POST.get("present") == "1"
        try:
            services.registration_check_in(
                registration=registration, actor=request.user, present=present
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if present:
                messages.success(
                    request, _("%(name)s est présent·e.") % {"name": registration.name}
                )
            else:
                messages.info(
                    request, _("Présence retirée : %(name)s.") % {"name": registration.name}
                )
        query = request.POST.get("q", "")
        url = f"{request.path}?q={query}" if query else request.path
        return redirect(url)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "meetings/checkin.html",
        {
            "edition": edition,
            "registrations": selectors.checkin_list(edition, query=query),
            "counts": selectors.attendance_counts(edition),
            "search": search,
            "query": query,
        },
    )
