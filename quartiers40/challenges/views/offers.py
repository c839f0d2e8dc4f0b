"""« Nous pouvons aider »: making an offer, and one page per answer (accept, decline,
withdraw), each with its own address, so that each form works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply

from .. import permissions, selectors, services
from ..enums import OFFER_WORKFLOW
from ..forms import DeclineForm, OfferForm
from ._common import back, visible_or_404


def _offer_or_404(challenge, pk: int):
    offer = selectors.challenge_offer_get(challenge, pk)
    if offer is None:
        raise Http404
    return offer


@login_required
def offer_create(request, slug: str):
    challenge = visible_or_404(request, slug)
    if not permissions.can_offer_help(request.user, challenge):
        raise PermissionDenied
    organisations = permissions.offering_organisations(request.user).order_by("name")
    form = OfferForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_offer_make(
                challenge=challenge, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Votre proposition est envoyée. La personne qui a posté le défi va répondre."),
            )
            return back(challenge, "propositions")
    return render(
        request,
        "challenges/offer_form.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


def _decide_page(request, challenge, offer, action: str, form=None):
    return render(
        request,
        "challenges/offer_decide.html",
        {"challenge": challenge, "offer": offer, "form": form, "action": action},
    )


@login_required
def offer_accept(request, slug: str, pk: int):
    """GET: what accepting does; POST: accept."""
    challenge = visible_or_404(request, slug)
    offer = _offer_or_404(challenge, pk)
    if not OFFER_WORKFLOW["accept"].permits(request.user, offer):
        raise PermissionDenied
    if request.method != "POST":
        return _decide_page(request, challenge, offer, "accept")
    try:
        services.challenge_offer_accept(offer=offer, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("La proposition est acceptée : le défi est relié au projet de %(name)s.")
            % {"name": offer.organisation.name},
        )
    return back(challenge, "propositions")


@login_required
def offer_decline(request, slug: str, pk: int):
    """GET: the form (an optional note); POST: decline."""
    challenge = visible_or_404(request, slug)
    offer = _offer_or_404(challenge, pk)
    if not OFFER_WORKFLOW["decline"].permits(request.user, offer):
        raise PermissionDenied
    form = DeclineForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _decide_page(request, challenge, offer, "decline", form)
    try:
        services.challenge_offer_decline(
            offer=offer, actor=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("La proposition est déclinée."))
    return back(challenge, "propositions")


@login_required
@require_POST
def offer_withdraw(request, slug: str, pk: int):
    challenge = visible_or_404(request, slug)
    offer = _offer_or_404(challenge, pk)
    try:
        services.challenge_offer_withdraw(offer=offer, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("La proposition est retirée."))
    return back(challenge, "propositions")
