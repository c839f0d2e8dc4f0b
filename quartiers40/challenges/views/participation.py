"""Taking part: « je soutiens », comments and replies, reporting abuse."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import form_errors_apply

from .. import permissions, services
from ..forms import CommentEditForm, CommentForm, ReportForm
from ._common import back, comment_or_404, rate_limited, visible_or_404
from .pages import challenge_detail_render


@login_required
@require_POST
def challenge_support(request, slug: str):
    challenge = visible_or_404(request, slug)
    try:
        services.challenge_support(challenge=challenge, user=request.user)
    except PermissionDenied:
        messages.error(request, _("Ce défi ne peut plus recevoir de soutien."))
    else:
        messages.success(request, _("Merci pour votre soutien !"))
    return back(challenge, "soutien")


@login_required
@require_POST
def challenge_unsupport(request, slug: str):
    challenge = visible_or_404(request, slug)
    services.challenge_unsupport(challenge=challenge, user=request.user)
    messages.success(request, _("Vous ne soutenez plus ce défi."))
    return back(challenge, "soutien")


@login_required
@require_POST
def comment_add(request, slug: str):
    challenge = visible_or_404(request, slug)
    form = CommentForm(request.POST)
    if rate_limited(request, "challenge_comment_account"):
        return back(challenge, "commentaires")
    if not form.is_valid():
        # Shown again as typed, with what is wrong (too long, an invisible character…).
        return challenge_detail_render(request, challenge, comment_form=form, status=400)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = comment_or_404(challenge, form.cleaned_data["parent"])
    try:
        comment = services.challenge_comment_add(
            challenge=challenge, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as error:
        form_errors_apply(form, error)
        return challenge_detail_render(request, challenge, comment_form=form, status=400)
    messages.success(request, _("Votre commentaire est publié."))
    return back(challenge, f"commentaire-{comment.pk}")


@login_required
def comment_edit(request, slug: str, pk: int):
    challenge = visible_or_404(request, slug)
    comment = comment_or_404(challenge, pk)
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(
            request, _("Un commentaire se modifie pendant 15 minutes après sa publication.")
        )
        return back(challenge, f"commentaire-{comment.pk}")
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_comment_edit(
                comment=comment, actor=request.user, body=form.cleaned_data["body"]
            )
        except (ValidationError, PermissionDenied):
            form.add_error(None, _("Le délai pour modifier ce commentaire est passé."))
        else:
            messages.success(request, _("Votre commentaire est modifié."))
            return back(challenge, f"commentaire-{comment.pk}")
    return render(
        request,
        "challenges/comment_edit.html",
        {"challenge": challenge, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_report(request, slug: str):
    challenge = visible_or_404(request, slug)
    comment = None
    comment_id = request.GET.get("commentaire") or request.POST.get("commentaire")
    if comment_id:
        if not str(comment_id).isdigit():
            raise Http404
        comment = comment_or_404(challenge, int(comment_id))
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "challenge_report_account"):
            status = 429
        else:
            services.challenge_report(
                challenge=challenge,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                comment=comment,
            )
            messages.success(
                request, _("Merci, votre signalement est transmis à l'équipe de coordination.")
            )
            return back(challenge)
    return render(
        request,
        "challenges/report.html",
        {"challenge": challenge, "comment": comment, "form": form},
        status=400 if form.errors else status,
    )
