"""Posting a défi (with a look for similar ones first), editing it, its attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.plainlanguage.forms import plain_check_apply, plain_check_requested
from quartiers40.territories.widgets import qpv_picker_query

from .. import permissions, selectors, services
from ..enums import ModerationState
from ..forms import ChallengeForm
from ._common import back, challenge_or_404, rate_limited

CHECK_DUPLICATES = "check"


def _add_attachment(request, form, challenge) -> bool:
    file = form.cleaned_data.get("attachment")
    if not file:
        return True
    try:
        services.challenge_attachment_add(
            challenge=challenge,
            actor=request.user,
            file=file,
            title=form.cleaned_data.get("attachment_title") or file.name[:200],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return False
    return True


@login_required
def challenge_create(request):
    user = request.user
    organisations = permissions.offering_organisations(user).order_by("name")
    form = qpv_picker_query(
        ChallengeForm(
            request.POST or None,
            request.FILES or None,
            organisations=organisations,
            mediator=permissions.can_post_for_resident(user),
        ),
        request.GET,
    )
    similar = None
    status = 200
    if request.method == "POST":
        # The form's second button (name="action") looks for similar défis: nothing is posted.
        if plain_check_requested(request):  # "Vérifier la lisibilité": nothing is posted
            plain_check_apply(form)
        elif request.POST.get("action") == CHECK_DUPLICATES:
            similar = selectors.challenges_similar(request.POST.get("title", ""))
            # Show what was typed, without error messages: nothing is posted yet.
            form.full_clean()
            form._errors = ErrorDict()
        elif form.is_valid():
            if rate_limited(request, "challenge_post_account"):
                status = 429
            else:
                try:
                    challenge = services.challenge_post(
                        actor=user,
                        qpvs=form.cleaned_data["qpvs"],
                        organisation=form.cleaned_data.get("organisation"),
                        on_behalf_of_resident=form.cleaned_data.get("on_behalf_of_resident", False),
                        resident_consent=form.cleaned_data.get("resident_consent", False),
                        **form.service_fields(),
                    )
                except ValidationError as error:
                    form_errors_apply(form, error)
                else:
                    _add_attachment(request, form, challenge)
                    if challenge.moderation == ModerationState.PENDING:
                        messages.success(
                            request,
                            _(
                                "Merci ! Votre défi est enregistré. Comme votre compte est "
                                "nouveau, l'équipe de coordination le relit avant de le rendre "
                                "visible : vous recevrez un e-mail."
                            ),
                        )
                    else:
                        messages.success(request, _("Merci ! Votre défi est publié."))
                    return redirect("challenges:detail", slug=challenge.slug)
        if form.errors:
            status = 400
    return render(
        request,
        "challenges/form.html",
        {"form": form, "similar": similar, "challenge": None},
        status=status,
    )


@login_required
def challenge_edit(request, slug: str):
    challenge = challenge_or_404(slug)
    if not permissions.can_edit_challenge(request.user, challenge):
        raise PermissionDenied
    form = qpv_picker_query(
        ChallengeForm(
            request.POST or None,
            request.FILES or None,
            editing=True,
            initial=ChallengeForm.initial_from(challenge),
        ),
        request.GET,
    )
    if plain_check_requested(request):  # "Vérifier la lisibilité": nothing is saved
        plain_check_apply(form)
    elif request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(
                challenge=challenge,
                actor=request.user,
                qpvs=form.cleaned_data["qpvs"],
                **form.service_fields(),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            _add_attachment(request, form, challenge)
            messages.success(request, _("Le défi est mis à jour."))
            return back(challenge)
    return render(
        request,
        "challenges/form.html",
        {"form": form, "challenge": challenge, "attachments": challenge.attachments.all()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def attachment_remove(request, slug: str, pk: int):
    challenge = challenge_or_404(slug)
    attachment = get_object_or_404(challenge.attachments, pk=pk)
    services.challenge_attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("La pièce jointe est retirée."))
    return redirect("challenges:edit", slug=challenge.slug)
