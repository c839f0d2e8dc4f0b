"""The interests an opportunity received: the provider's list, outcomes, the CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import form_errors_apply
from quartiers40.core.spreadsheet import spreadsheet_response

from .. import permissions, selectors, services
from ..enums import InterestStatus
from ..forms import (
    OutcomeForm,
)
from ..models import Opportunity, OpportunityInterest
from .provider_common import _opportunity

# --- Interests received -----------------------------------------------------------------


def _interests_opportunity(request, slug: str) -> Opportunity:
    opportunity = _opportunity(slug)
    if not permissions.can_view_interests(request.user, opportunity):
        if permissions.can_view_opportunity(request.user, opportunity):
            raise PermissionDenied
        raise Http404
    return opportunity


def _outcome_form(interest: OpportunityInterest, data=None) -> OutcomeForm:
    initial = {"note": interest.outcome_note}
    if interest.status != InterestStatus.NEW:
        initial["status"] = interest.status
    return OutcomeForm(data, initial=initial, prefix=f"suite-{interest.pk}")


def _interests_page(request, opportunity: Opportunity, *, bad_form=None, bad_pk=None):
    """The list, those still to answer first; `bad_form` is shown again for `bad_pk`."""
    received = sorted(
        selectors.opportunities_received_interests(opportunity=opportunity),
        key=lambda interest: interest.status != InterestStatus.NEW,
    )
    return render(
        request,
        "opportunities/provider/interests.html",
        {
            "opportunity": opportunity,
            "interests": [
                (interest, bad_form if interest.pk == bad_pk else _outcome_form(interest))
                for interest in received
            ],
            "counts": {
                status: sum(1 for interest in received if interest.status == status)
                for status in InterestStatus.values
            },
            "breadcrumb": [
                (_("Mes opportunités"), reverse("opportunities:mine")),
                (opportunity.title, opportunity.get_absolute_url()),
                (_("Personnes intéressées"), ""),
            ],
        },
        status=400 if bad_form is not None else 200,
    )


@login_required
def interests(request, slug: str):
    """The people interested, their contact and message, and what came of it."""
    return _interests_page(request, _interests_opportunity(request, slug))


@login_required
@require_POST
def interest_outcome(request, slug: str, reference: str):
    opportunity = _interests_opportunity(request, slug)
    interest = get_object_or_404(opportunity.interests, reference=reference)
    form = _outcome_form(interest, request.POST)
    if form.is_valid():
        try:
            services.interest_outcome_record(
                interest=interest,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request, _("La suite est notée pour %(name)s.") % {"name": interest.name}
            )
            return redirect(
                reverse("opportunities:interests", kwargs={"slug": slug})
                + f"#interet-{interest.pk}"
            )
    # A bad answer: the same page, this interest's form with its error and what was typed.
    return _interests_page(request, opportunity, bad_form=form, bad_pk=interest.pk)


@login_required
def interests_csv(request, slug: str):
    """The interests as a spreadsheet: no cell may run as a formula (`core.spreadsheet`)."""
    opportunity = _interests_opportunity(request, slug)
    rows = [
        [
            _("Reçu le"),
            _("Nom"),
            _("Courriel"),
            _("Téléphone"),
            _("Message"),
            _("Inscrit·e par"),
            _("Accord de la personne le"),
            _("Suite donnée"),
            _("Note"),
            _("Suite notée le"),
        ]
    ]
    for interest in selectors.opportunities_received_interests(opportunity=opportunity):
        rows.append(
            [
                _datetime_text(interest.created_at),
                interest.name,
                interest.email,
                interest.phone,
                interest.message,
                interest.registered_by.display_name if interest.registered_by else "",
                _datetime_text(interest.consent_at),
                interest.get_status_display(),
                interest.outcome_note,
                _datetime_text(interest.outcome_at),
            ]
        )
    return spreadsheet_response(rows, filename=f"interets-{opportunity.slug}.csv", delimiter=";")


def _datetime_text(value) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
