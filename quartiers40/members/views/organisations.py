"""The directory, organisation pages, joining the collective, managing people."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.core.pagecache import PUBLIC_TOPICS, deferred, public_page_cache
from quartiers40.core.sections import ORGANISATION_PAGE, sections_for
from quartiers40.core.selectors import action_log_for
from quartiers40.territories.selectors import qpv_summary_get
from quartiers40.territories.widgets import qpv_picker_query

from .. import permissions, selectors, services
from ..enums import MEMBERSHIP_REQUEST_WORKFLOW
from ..forms import (
    DecisionForm,
    DirectoryFilterForm,
    InvitationForm,
    MembershipRequestForm,
    OrganisationForm,
    RoleForm,
)
from ..models import Invitation, MembershipRequest, Organisation, OrganisationMembership

PAGE_SIZE = 20


@public_page_cache(depends=("members", "territories"))
def directory(request):
    def listed() -> dict:
        filters = DirectoryFilterForm(request.GET or None)
        values = filters.cleaned_data if filters.is_valid() else {}
        organisations = selectors.organisation_directory(
            kind=values.get("kind", ""),
            department=values.get("department", ""),
            qpv=values.get("qpv", ""),
            query=values.get("q", ""),
        )
        return {
            "filters": filters,
            "page": Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page")),
            "is_filtered": bool(values and any(values.values())),
            "qpv": qpv_summary_get(code=values["qpv"]) if values.get("qpv") else None,
        }

    # Read only when the page's shared fragment is rebuilt (core.pagecache.deferred).
    return render(
        request,
        "members/directory.html",
        deferred(listed, "filters", "page", "is_filtered", "qpv"),
    )


@public_page_cache(depends=PUBLIC_TOPICS)
def organisation_detail(request, slug: str):
    organisation = get_object_or_404(selectors.organisation_with_qpvs(), slug=slug)
    if not permissions.can_view_organisation(request.user, organisation):
        raise Http404
    user = request.user
    # Its own people and the coordination team see its work in progress; everyone else sees
    # what an anonymous visitor sees, from the shared fragment.
    insider = permissions.is_coordination(user) or (
        permissions.membership_of(user, organisation) is not None
    )
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            # Callables: read only when the page's shared fragments are rebuilt.
            "people": functools.cache(lambda: selectors.organisation_public_people(organisation)),
            "can_edit": permissions.can_edit_organisation(user, organisation),
            "sections": functools.cache(
                lambda: sections_for(
                    ORGANISATION_PAGE, organisation, user if insider else AnonymousUser()
                )
            ),
            "public_view": not insider,
            "topics": " ".join(PUBLIC_TOPICS),
        },
    )


@login_required
def organisation_edit(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    form = qpv_picker_query(
        OrganisationForm(request.POST or None, request.FILES or None, instance=organisation),
        request.GET,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        qpvs = data.pop("qpvs")
        if data.get("logo") is False:  # "clear" ticked
            data["logo"] = ""
        elif data.get("logo") is None:
            data.pop("logo")
        try:
            services.organisation_update(
                organisation=organisation, actor=request.user, qpvs=qpvs, **data
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("La fiche de l'organisation est mise à jour."))
            return redirect(organisation)
    return render(
        request, "members/organisation_edit.html", {"organisation": organisation, "form": form}
    )


@login_required
def organisation_people(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    invitation_form = InvitationForm(request.POST or None)
    if request.method == "POST" and invitation_form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                email=invitation_form.cleaned_data["email"],
                role=invitation_form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_apply(invitation_form, error)
        else:
            messages.success(request, _("L'invitation est envoyée."))
            return redirect("members:organisation_people", slug=organisation.slug)
    return render(
        request,
        "members/organisation_people.html",
        {
            "organisation": organisation,
            "people": selectors.organisation_people(organisation),
            "invitations": selectors.organisation_pending_invitations(organisation),
            "invitation_form": invitation_form,
            "role_form": RoleForm(),
            "history": action_log_for(organisation)[:20],
        },
    )


@login_required
@require_POST
def membership_role(request, slug: str, pk: int):
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation", "user"),
        pk=pk,
        organisation__slug=slug,
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("Le rôle de %(name)s est modifié.") % {"name": membership.user}
            )
    return redirect("members:organisation_people", slug=slug)


@login_required
@require_POST
def membership_remove(request, slug: str, pk: int):
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation", "user"),
        pk=pk,
        organisation__slug=slug,
    )
    leaving = membership.user_id == request.user.pk
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(
            "members:account" if leaving else "members:organisation_people",
            **({} if leaving else {"slug": slug}),
        )
    if leaving:
        messages.success(
            request, _("Vous avez quitté %(name)s.") % {"name": membership.organisation}
        )
        return redirect("members:account")
    messages.success(request, _("%(name)s a été retiré·e.") % {"name": membership.user})
    return redirect("members:organisation_people", slug=slug)


@login_required
@require_POST
def invitation_revoke(request, slug: str, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk, organisation__slug=slug)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("L'invitation est annulée."))
    return redirect("members:organisation_people", slug=slug)


def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not request.user.is_authenticated:
        return render(request, "members/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Bienvenue dans %(name)s !") % {"name": invitation.organisation.name},
            )
            return redirect(invitation.organisation)
    return render(request, "members/invitation.html", {"invitation": invitation})


@login_required
def join(request):
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        existing = form.cleaned_data["choice"] == MembershipRequestForm.EXISTING
        try:
            services.membership_request_create(
                requester=request.user,
                organisation=form.cleaned_data["organisation"] if existing else None,
                new_organisation=None if existing else form.new_organisation_fields(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre demande est envoyée à l'équipe de coordination. Vous recevrez "
                    "sa réponse par e-mail."
                ),
            )
            return redirect("members:account")
    return render(request, "members/join.html", {"form": form})


@login_required
@require_POST
def membership_request_withdraw(request, pk: int):
    membership_request = get_object_or_404(MembershipRequest, pk=pk, requester=request.user)
    try:
        services.membership_request_withdraw(request=membership_request, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Votre demande est retirée."))
    return redirect("members:account")


def _coordination_only(request) -> None:
    if not permissions.is_coordination(request.user):
        raise PermissionDenied


@login_required
def moderation_queue(request):
    _coordination_only(request)
    return render(
        request,
        "members/moderation_queue.html",
        {
            "requests": selectors.moderation_queue(),
            "recent": selectors.membership_requests_recently_decided(),
        },
    )


@login_required
def moderation_decide(request, pk: int):
    _coordination_only(request)
    membership_request = get_object_or_404(
        MembershipRequest.objects.select_related("requester", "organisation"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                services.membership_request_accept(
                    request=membership_request,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("La demande est acceptée."))
            elif decision == "refuse":
                services.membership_request_refuse(
                    request=membership_request,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("La demande est refusée."))
            else:
                raise ValidationError(_("Choisissez d'accepter ou de refuser."))
        except ValidationError as error:
            form_errors_apply(
                form,
                ValidationError({"reason": error.messages})
                if not hasattr(error, "error_dict")
                else error,
            )
        else:
            return redirect("members:moderation_queue")
    return render(
        request,
        "members/moderation_decide.html",
        {
            "membership_request": membership_request,
            "can_decide": bool(
                {"accept", "refuse"}
                & MEMBERSHIP_REQUEST_WORKFLOW.allowed(membership_request, request.user)
            ),
            "form": form,
            "history": selectors.membership_request_history(membership_request),
        },
    )
