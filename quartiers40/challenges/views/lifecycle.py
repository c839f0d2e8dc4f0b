"""The défi's lifecycle pages: record the outcome, close without a solution, reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply

from .. import selectors, services
from ..enums import CHALLENGE_WORKFLOW
from ..forms import OutcomeForm, ReasonForm
from ._common import back, visible_or_404


@login_required
def challenge_outcome(request, slug: str):
    challenge = visible_or_404(request, slug)
    if not CHALLENGE_WORKFLOW["solve"].permits(request.user, challenge):
        raise PermissionDenied
    form = OutcomeForm(
        request.POST or None, projects=selectors.challenge_outcome_projects(challenge)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_solve(challenge=challenge, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le résultat est enregistré : le défi est résolu."))
            return back(challenge, "resultat")
    return render(
        request,
        "challenges/outcome_form.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_close(request, slug: str):
    challenge = visible_or_404(request, slug)
    if not CHALLENGE_WORKFLOW["close"].permits(request.user, challenge):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, label=_("Pourquoi fermer ce défi sans solution ?"))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_close(
                challenge=challenge, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le défi est fermé."))
            return back(challenge)
    return render(
        request,
        "challenges/close_form.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def challenge_reopen(request, slug: str):
    challenge = visible_or_404(request, slug)
    try:
        services.challenge_reopen(challenge=challenge, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Le défi est rouvert."))
    return back(challenge)
