"""The coordination team's pages: the queue, approve / hide / unhide a défi, hide or show a
comment again, close a report, merge a duplicate. One view per action, each at its own
address; what a page offers comes from `MODERATION_WORKFLOW.allowed`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply

from .. import permissions, selectors, services
from ..forms import MergeForm, ReasonForm
from ._common import back, challenge_or_404, comment_or_404


def _moderator(request) -> None:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied


@login_required
def moderation_queue(request):
    _moderator(request)
    return render(
        request,
        "challenges/moderation.html",
        {
            "pending": selectors.challenges_pending_moderation(),
            "reports": selectors.reports_open(),
            "hide_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def challenge_approve(request, slug: str):
    """A pending défi becomes visible."""
    _moderator(request)
    challenge = challenge_or_404(slug)
    try:
        services.challenge_approve(challenge=challenge, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Le défi est maintenant visible."))
    return redirect("challenges:moderation")


@login_required
def challenge_hide(request, slug: str):
    """GET: the form (a reason, sent to the author); POST: hide."""
    _moderator(request)
    challenge = challenge_or_404(slug)
    form = ReasonForm(request.POST or None, label=_("Motif du masquage (envoyé à l'auteur·rice)"))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_hide(
                challenge=challenge, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le défi est masqué."))
            return redirect("challenges:moderation")
    return render(
        request,
        "challenges/hide_form.html",
        {"challenge": challenge, "form": form, "comment": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def challenge_unhide(request, slug: str):
    _moderator(request)
    challenge = challenge_or_404(slug)
    try:
        services.challenge_unhide(challenge=challenge, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Le défi est de nouveau visible."))
    return back(challenge)


@login_required
def comment_hide(request, slug: str, pk: int):
    """GET: the form (a reason); POST: hide the comment."""
    _moderator(request)
    challenge = challenge_or_404(slug)
    comment = comment_or_404(challenge, pk)
    form = ReasonForm(request.POST or None, label=_("Motif du masquage"))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_comment_hide(
                comment=comment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Le commentaire est masqué."))
            return back(challenge, "commentaires")
    return render(
        request,
        "challenges/hide_form.html",
        {"challenge": challenge, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def comment_unhide(request, slug: str, pk: int):
    _moderator(request)
    challenge = challenge_or_404(slug)
    comment = comment_or_404(challenge, pk)
    services.challenge_comment_unhide(comment=comment, actor=request.user)
    messages.success(request, _("Le commentaire est de nouveau visible."))
    return back(challenge, f"commentaire-{comment.pk}")


@login_required
@require_POST
def report_resolve(request, pk: int):
    _moderator(request)
    report = selectors.report_get(pk)
    if report is None:
        raise Http404
    services.challenge_report_resolve(report=report, actor=request.user)
    messages.success(request, _("Le signalement est classé."))
    return redirect("challenges:moderation")


@login_required
def challenge_merge(request, slug: str):
    """Merge this défi (a duplicate) into another one, kept."""
    _moderator(request)
    duplicate = challenge_or_404(slug)
    if duplicate.merged_into_id is not None:
        raise Http404
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keep = selectors.challenge_get(form.cleaned_data["keep"])
        if keep is None:
            form.add_error("keep", _("Aucun défi à cette adresse."))
        else:
            try:
                services.challenge_merge(keep=keep, duplicate=duplicate, actor=request.user)
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Les deux défis sont fusionnés : soutiens, commentaires et propositions "
                        "sont passés sur celui-ci."
                    ),
                )
                return redirect("challenges:detail", slug=keep.slug)
    return render(
        request,
        "challenges/merge_form.html",
        {
            "challenge": duplicate,
            "form": form,
            "similar": selectors.challenges_similar(duplicate.title, exclude_pk=duplicate.pk),
        },
        status=400 if form.errors else 200,
    )
