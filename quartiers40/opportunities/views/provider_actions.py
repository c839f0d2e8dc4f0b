"""One URL per action on an opportunity's page: publish, reopen, withdraw, approve, return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text

from .. import permissions, services
from ..enums import OPPORTUNITY_WORKFLOW, OpportunityStatus
from ..forms import (
    ReturnForm,
    WithdrawForm,
)
from .provider_common import _visible

# --- One URL per action on the opportunity's page -------------------------------------


@login_required
@require_POST
def opportunity_publish(request, slug: str):
    """Publish (member organisation, team) or send to the team (new organisation)."""
    opportunity = _visible(request, slug)
    try:
        services.opportunity_publish(opportunity=opportunity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        if permissions.can_edit_opportunity(request.user, opportunity):
            return redirect("opportunities:edit", slug=opportunity.slug)
        return redirect(opportunity.get_absolute_url())
    if opportunity.status == OpportunityStatus.PUBLISHED:
        messages.success(request, _("L'opportunité est publiée."))
    else:
        messages.success(
            request, _("L'opportunité est envoyée à l'équipe de coordination, qui la relit.")
        )
    return redirect(opportunity.get_absolute_url())


@login_required
@require_POST
def opportunity_reopen(request, slug: str):
    opportunity = _visible(request, slug)
    try:
        services.opportunity_reopen(opportunity=opportunity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        if permissions.can_edit_opportunity(request.user, opportunity):
            return redirect(reverse("opportunities:edit", kwargs={"slug": slug}) + "#groupe-quand")
    else:
        messages.success(request, _("L'opportunité est de nouveau publiée."))
    return redirect(opportunity.get_absolute_url())


@login_required
def opportunity_withdraw(request, slug: str):
    """A confirmation page (and an optional reason), then the withdrawal: no JavaScript."""
    opportunity = _visible(request, slug)
    if not OPPORTUNITY_WORKFLOW.can(opportunity, "withdraw", request.user):
        if not permissions.can_withdraw_opportunity(request.user, opportunity):
            raise PermissionDenied
        messages.error(request, _("Cette opportunité est déjà retirée."))
        return redirect(opportunity.get_absolute_url())
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_withdraw(
                opportunity=opportunity, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("L'opportunité est retirée : plus personne ne la voit sur le site.")
            )
        return redirect("opportunities:mine")
    return render(
        request, "opportunities/provider/withdraw.html", {"opportunity": opportunity, "form": form}
    )


@login_required
@require_POST
def opportunity_approve(request, slug: str):
    opportunity = _visible(request, slug)
    if not permissions.can_review_opportunity(request.user, opportunity):
        raise PermissionDenied
    try:
        services.opportunity_approve(opportunity=opportunity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("L'opportunité est publiée ; son organisation est prévenue."))
    return redirect(opportunity.get_absolute_url())


@login_required
def opportunity_return(request, slug: str):
    """Send back with comments; the detail page posts here, this page shows a bad input."""
    opportunity = _visible(request, slug)
    if not permissions.can_review_opportunity(request.user, opportunity):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_return(
                opportunity=opportunity,
                actor=request.user,
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("L'opportunité est renvoyée à son organisation avec vos commentaires.")
            )
        return redirect(opportunity.get_absolute_url())
    return render(
        request,
        "opportunities/provider/return.html",
        {"opportunity": opportunity, "form": form},
        status=400 if form.errors else 200,
    )
