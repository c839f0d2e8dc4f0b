"""Défis: list, page, posting, taking part, offers, lifecycle and moderation pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from quartiers40.core.ratelimit import rate_limit_check
from quartiers40.territories.selectors import qpv_summary_get

from . import permissions, selectors, services
from .enums import ChallengeStatus, ModerationState, OfferState
from .forms import (
    SORT_NEWEST,
    ChallengeFilterForm,
    ChallengeForm,
    CommentEditForm,
    CommentForm,
    DeclineForm,
    MergeForm,
    OfferForm,
    OutcomeForm,
    ReasonForm,
    ReportForm,
)
from .models import Challenge, ChallengeComment, ChallengeOffer, ChallengeReport

PAGE_SIZE = 20
CHECK_DUPLICATES = "check"


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _challenge(slug: str) -> Challenge:
    return get_object_or_404(Challenge.objects.select_related("organisation", "author"), slug=slug)


def _visible(request, slug: str) -> Challenge:
    challenge = _challenge(slug)
    if not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    return challenge


def _rate_limited(request, scope: str) -> bool:
    limit = rate_limit_check(request, (scope, str(request.user.pk)))
    if limit.limited:
        messages.error(
            request,
            _("Trop d'envois à la suite. Réessayez dans %(minutes)s minute(s).")
            % {"minutes": max(1, round(limit.retry_after / 60))},
        )
    return limit.limited


def _back(challenge: Challenge, anchor: str = ""):
    response = redirect("challenges:detail", slug=challenge.slug)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _map_query(request) -> str:
    query = request.GET.copy()
    for name in ("page", "sort"):
        query.pop(name, None)
    return query.urlencode()


# --- List and page ------------------------------------------------------------------------


def challenge_list(request):
    filters = ChallengeFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    challenges = selectors.challenge_catalogue(
        theme=values.get("theme", ""),
        status=values.get("status", ""),
        qpv=values.get("qpv", ""),
        department=values.get("department", ""),
        query=values.get("q", ""),
        sort=values.get("sort") or "supports",
    )
    page = Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("page"))
    qpv = qpv_summary_get(code=values["qpv"]) if values.get("qpv") else None
    return render(
        request,
        "challenges/list.html",
        {
            "filters": filters,
            "page": page,
            "is_filtered": any(v for name, v in values.items() if name != "sort"),
            "qpv": qpv,
            "sort_newest": values.get("sort") == SORT_NEWEST,
            "map_query": _map_query(request),
        },
    )


def challenge_detail(request, slug: str):
    challenge = _challenge(slug)
    if challenge.merged_into_id is not None:
        return redirect("challenges:detail", slug=challenge.merged_into.slug)
    if not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    user = request.user
    can_decide = permissions.can_decide_offer(user, challenge)
    offers = list(selectors.challenge_offers(challenge))
    for offer in offers:
        offer.can_withdraw = permissions.can_withdraw_offer(user, offer)
    comments = selectors.challenge_comments(
        challenge, include_hidden=permissions.can_moderate(user)
    )
    for comment in comments:
        for item in [comment, *comment.visible_replies]:
            item.public_author = permissions.comment_public_author(item, user)
            item.can_edit = permissions.can_edit_comment(user, item)
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "public_author": permissions.challenge_public_author(challenge, user),
            "qpvs": challenge.qpvs.without_geometry_fields().order_by("name"),
            "attachments": challenge.attachments.all(),
            "timeline": selectors.challenge_timeline(challenge),
            "comments": comments,
            "offers": offers,
            "is_supporting": user.is_authenticated
            and challenge.supports.filter(user=user).exists(),
            "can_support": permissions.can_support_challenge(user, challenge),
            "can_comment": permissions.can_comment_challenge(user, challenge),
            "can_edit": permissions.can_edit_challenge(user, challenge),
            "can_offer": permissions.can_offer_help(user, challenge),
            "can_decide": can_decide and challenge.is_active,
            "can_record_outcome": permissions.can_record_outcome(user, challenge)
            and challenge.status == ChallengeStatus.BEING_ADDRESSED,
            "can_close": permissions.can_close_challenge(user, challenge) and challenge.is_active,
            "can_reopen": permissions.can_reopen_challenge(user, challenge)
            and challenge.status == ChallengeStatus.CLOSED,
            "can_moderate": permissions.can_moderate(user),
            "can_report": permissions.can_report(user),
            "comment_form": CommentForm(),
            "offer_pending": OfferState.PENDING,
        },
    )


@require_GET
def challenge_similar(request):
    """The défis whose title looks like `?title=`: an HTML fragment for the post form."""
    title = request.GET.get("title", "")[:160]
    exclude = request.GET.get("exclude", "")
    similar = selectors.challenges_similar(
        title, exclude_pk=int(exclude) if exclude.isdigit() else None
    )
    return render(request, "challenges/_similar.html", {"similar": similar, "title": title})


# --- Posting and editing ------------------------------------------------------------------


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
        messages.error(request, " ".join(error.messages))
        return False
    return True


@login_required
def challenge_create(request):
    user = request.user
    organisations = permissions.offering_organisations(user).order_by("name")
    form = ChallengeForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        mediator=permissions.can_post_for_resident(user),
    )
    similar = None
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == CHECK_DUPLICATES:
            similar = selectors.challenges_similar(request.POST.get("title", ""))
            # Show what was typed, without error messages: nothing is posted yet.
            form.full_clean()
            form._errors = ErrorDict()
        elif form.is_valid():
            if _rate_limited(request, "challenge_post_account"):
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
                    _apply_errors(form, error)
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
    challenge = _challenge(slug)
    if not permissions.can_edit_challenge(request.user, challenge):
        raise PermissionDenied
    form = ChallengeForm(
        request.POST or None,
        request.FILES or None,
        editing=True,
        initial=ChallengeForm.initial_from(challenge),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(
                challenge=challenge,
                actor=request.user,
                qpvs=form.cleaned_data["qpvs"],
                **form.service_fields(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            _add_attachment(request, form, challenge)
            messages.success(request, _("Le défi est mis à jour."))
            return _back(challenge)
    return render(
        request,
        "challenges/form.html",
        {"form": form, "challenge": challenge, "attachments": challenge.attachments.all()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def attachment_remove(request, slug: str, pk: int):
    challenge = _challenge(slug)
    attachment = get_object_or_404(challenge.attachments, pk=pk)
    services.challenge_attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("La pièce jointe est retirée."))
    return redirect("challenges:edit", slug=challenge.slug)


# --- Taking part --------------------------------------------------------------------------


@login_required
@require_POST
def challenge_support(request, slug: str):
    challenge = _visible(request, slug)
    if request.POST.get("action") == "unsupport":
        services.challenge_unsupport(challenge=challenge, user=request.user)
        messages.success(request, _("Vous ne soutenez plus ce défi."))
    else:
        try:
            services.challenge_support(challenge=challenge, user=request.user)
        except PermissionDenied:
            messages.error(request, _("Ce défi ne peut plus recevoir de soutien."))
        else:
            messages.success(request, _("Merci pour votre soutien !"))
    return _back(challenge, "soutien")


@login_required
@require_POST
def comment_add(request, slug: str):
    challenge = _visible(request, slug)
    form = CommentForm(request.POST)
    if _rate_limited(request, "challenge_comment_account"):
        return _back(challenge, "commentaires")
    if not form.is_valid():
        messages.error(request, _("Écrivez votre commentaire."))
        return _back(challenge, "commentaires")
    parent = None
    if form.cleaned_data.get("parent"):
        parent = get_object_or_404(
            ChallengeComment, pk=form.cleaned_data["parent"], challenge=challenge
        )
    try:
        comment = services.challenge_comment_add(
            challenge=challenge, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(challenge, "commentaires")
    messages.success(request, _("Votre commentaire est publié."))
    return _back(challenge, f"commentaire-{comment.pk}")


@login_required
def comment_edit(request, slug: str, pk: int):
    challenge = _visible(request, slug)
    comment = get_object_or_404(ChallengeComment, pk=pk, challenge=challenge)
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(
            request, _("Un commentaire se modifie pendant 15 minutes après sa publication.")
        )
        return _back(challenge, f"commentaire-{comment.pk}")
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
            return _back(challenge, f"commentaire-{comment.pk}")
    return render(
        request,
        "challenges/comment_edit.html",
        {"challenge": challenge, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_report(request, slug: str):
    challenge = _visible(request, slug)
    comment = None
    comment_id = request.GET.get("commentaire") or request.POST.get("commentaire")
    if comment_id:
        if not str(comment_id).isdigit():
            raise Http404
        comment = get_object_or_404(ChallengeComment, pk=int(comment_id), challenge=challenge)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request, "challenge_report_account"):
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
            return _back(challenge)
    return render(
        request,
        "challenges/report.html",
        {"challenge": challenge, "comment": comment, "form": form},
        status=400 if form.errors else status,
    )


# --- Offers -------------------------------------------------------------------------------


@login_required
def offer_create(request, slug: str):
    challenge = _visible(request, slug)
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
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Votre proposition est envoyée. La personne qui a posté le défi va répondre."),
            )
            return _back(challenge, "propositions")
    return render(
        request,
        "challenges/offer_form.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def offer_decide(request, slug: str, pk: int):
    """Accept (confirm), decline (with an optional note) or withdraw an offer."""
    challenge = _visible(request, slug)
    offer = get_object_or_404(
        ChallengeOffer.objects.select_related("organisation", "project"),
        pk=pk,
        challenge=challenge,
    )
    action = request.POST.get("action") or request.GET.get("action", "accept")
    if action == "withdraw":
        if request.method != "POST":
            raise Http404
        try:
            services.challenge_offer_withdraw(offer=offer, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("La proposition est retirée."))
        return _back(challenge, "propositions")
    if not permissions.can_decide_offer(request.user, challenge):
        raise PermissionDenied
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "decline":
                services.challenge_offer_decline(
                    offer=offer, actor=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("La proposition est déclinée."))
            else:
                services.challenge_offer_accept(offer=offer, actor=request.user)
                messages.success(
                    request,
                    _("La proposition est acceptée : le défi est relié au projet de %(name)s.")
                    % {"name": offer.organisation.name},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return _back(challenge, "propositions")
    return render(
        request,
        "challenges/offer_decide.html",
        {"challenge": challenge, "offer": offer, "form": form, "action": action},
    )


# --- Lifecycle ----------------------------------------------------------------------------


@login_required
def challenge_outcome(request, slug: str):
    challenge = _visible(request, slug)
    if not permissions.can_record_outcome(request.user, challenge):
        raise PermissionDenied
    form = OutcomeForm(
        request.POST or None, projects=selectors.challenge_outcome_projects(challenge)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_solve(challenge=challenge, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Le résultat est enregistré : le défi est résolu."))
            return _back(challenge, "resultat")
    return render(
        request,
        "challenges/outcome_form.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_close(request, slug: str):
    challenge = _visible(request, slug)
    if not permissions.can_close_challenge(request.user, challenge):
        raise PermissionDenied
    form = ReasonForm(request.POST or None, label=_("Pourquoi fermer ce défi sans solution ?"))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_close(
                challenge=challenge, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Le défi est fermé."))
            return _back(challenge)
    return render(
        request,
        "challenges/close_form.html",
        {"challenge": challenge, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def challenge_reopen(request, slug: str):
    challenge = _visible(request, slug)
    try:
        services.challenge_reopen(challenge=challenge, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le défi est rouvert."))
    return _back(challenge)


# --- Moderation ---------------------------------------------------------------------------


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
def challenge_moderate(request, slug: str):
    """Approve a pending défi, hide one (with a reason) or show it again."""
    _moderator(request)
    challenge = _challenge(slug)
    action = request.POST.get("action") or request.GET.get("action", "hide")
    form = ReasonForm(
        request.POST if action == "hide" and request.method == "POST" else None,
        label=_("Motif du masquage (envoyé à l'auteur·rice)"),
    )
    if request.method == "POST":
        try:
            if action == "approve":
                services.challenge_approve(challenge=challenge, actor=request.user)
                messages.success(request, _("Le défi est maintenant visible."))
                return redirect("challenges:moderation")
            if action == "unhide":
                services.challenge_unhide(challenge=challenge, actor=request.user)
                messages.success(request, _("Le défi est de nouveau visible."))
                return _back(challenge)
            if form.is_valid():
                services.challenge_hide(
                    challenge=challenge, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Le défi est masqué."))
                return redirect("challenges:moderation")
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "challenges/hide_form.html",
        {"challenge": challenge, "form": form, "comment": None},
        status=400 if form.errors else 200,
    )


@login_required
def comment_moderate(request, slug: str, pk: int):
    _moderator(request)
    challenge = _challenge(slug)
    comment = get_object_or_404(ChallengeComment, pk=pk, challenge=challenge)
    action = request.POST.get("action", "hide")
    form = ReasonForm(
        request.POST if action == "hide" and request.method == "POST" else None,
        label=_("Motif du masquage"),
    )
    if request.method == "POST":
        if action == "unhide":
            services.challenge_comment_unhide(comment=comment, actor=request.user)
            messages.success(request, _("Le commentaire est de nouveau visible."))
            return _back(challenge, f"commentaire-{comment.pk}")
        if form.is_valid():
            services.challenge_comment_hide(
                comment=comment, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Le commentaire est masqué."))
            return _back(challenge, "commentaires")
    return render(
        request,
        "challenges/hide_form.html",
        {"challenge": challenge, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def report_resolve(request, pk: int):
    _moderator(request)
    report = get_object_or_404(ChallengeReport, pk=pk)
    services.challenge_report_resolve(report=report, actor=request.user)
    messages.success(request, _("Le signalement est classé."))
    return redirect("challenges:moderation")


@login_required
def challenge_merge(request, slug: str):
    """Merge this défi (a duplicate) into another one, kept."""
    _moderator(request)
    duplicate = _challenge(slug)
    if duplicate.merged_into_id is not None:
        raise Http404
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keep = Challenge.objects.filter(slug=form.cleaned_data["keep"]).first()
        if keep is None:
            form.add_error("keep", _("Aucun défi à cette adresse."))
        else:
            try:
                services.challenge_merge(keep=keep, duplicate=duplicate, actor=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
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
