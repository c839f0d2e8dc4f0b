"""Registering (for oneself, without an account, for someone else), the registration's own
page and the links of its e-mails (confirm the address, take an offered seat, cancel)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.core.ratelimit import client_ip, rate_limit_check

from .. import ics, permissions, selectors, services
from ..enums import REGISTRATION_WORKFLOW, RegistrationStatus
from ..forms import OnBehalfForm, RegistrationForm
from ..models import Registration
from ._shared import registration_by_token, visible_edition

REGISTRATION_RATE_SCOPE = "meeting_registration_ip"


@csrf_exempt
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Register for an edition. A signed-in person's form is checked against CSRF as
    everywhere; a guest's form, on the edition's cached public page, carries no token: a
    forged one could only send a name and an address its author typed, which then waits
    for a confirmation from that mailbox (and counts against the rate limit)."""
    if request.user.is_authenticated:
        return _register_signed_in(request, slug)
    return _register(request, slug)


def _register(request: HttpRequest, slug: str) -> HttpResponse:
    edition = visible_edition(request, slug)
    user = request.user
    if user.is_authenticated:
        existing = selectors.registration_of(user, edition)
        if existing is not None:
            return redirect("meetings:registration_manage", token=existing.token)
    form = RegistrationForm(request.POST or None, edition=edition, signed_in=user.is_authenticated)
    if request.method == "POST" and form.is_valid():
        if (
            not user.is_authenticated
            and rate_limit_check(request, (REGISTRATION_RATE_SCOPE, client_ip(request))).limited
        ):
            form.add_error(
                None, _("Trop d'inscriptions depuis cette connexion : réessayez plus tard.")
            )
        else:
            try:
                if user.is_authenticated:
                    registration = services.registration_create(
                        edition=edition, actor=user, **form.cleaned_data
                    )
                else:
                    registration = services.registration_create_for_guest(
                        edition=edition, **form.cleaned_data
                    )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                if registration.status == RegistrationStatus.PENDING_CONFIRMATION:
                    return render(
                        request,
                        "meetings/registration_check_email.html",
                        {"edition": edition, "registration": registration},
                    )
                return redirect("meetings:registration_manage", token=registration.token)
    return render(request, "meetings/register.html", {"edition": edition, "form": form})


_register_signed_in = csrf_protect(_register)


@login_required
def register_on_behalf(request: HttpRequest, slug: str) -> HttpResponse:
    edition = visible_edition(request, slug)
    if not permissions.can_register_on_behalf(request.user, edition):
        raise PermissionDenied
    form = OnBehalfForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        try:
            registration = services.registration_create_on_behalf(
                edition=edition, actor=request.user, **data
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(
                    request,
                    _("%(name)s est inscrit·e.") % {"name": registration.name},
                )
            else:
                messages.info(
                    request,
                    _("La rencontre est complète : %(name)s est sur la liste d'attente.")
                    % {"name": registration.name},
                )
            return redirect("meetings:my_registrations")
    return render(request, "meetings/register_on_behalf.html", {"edition": edition, "form": form})


def registration_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The registration's own page, reached from every e-mail: status, links, cancel."""
    registration = registration_by_token(token)
    edition = registration.edition
    return render(
        request,
        "meetings/registration_manage.html",
        {
            "registration": registration,
            "edition": edition,
            # What the link's holder may do now: confirm_email, accept_offer, cancel_from_link.
            "registration_actions": REGISTRATION_WORKFLOW.allowed(registration, request.user),
            "waiting_position": selectors.waiting_position(registration),
            "show_online_link": bool(edition.online_url)
            and registration.attendance == "online"
            and permissions.can_see_online_link(request.user, edition, registration),
        },
    )


def _registration_link_step(
    request: HttpRequest,
    token: str,
    *,
    act: Callable[[Registration], Any],
    done: str,
    template: str,
    transition: str,
) -> HttpResponse:
    """A link from an e-mail: GET shows a button (mail scanners follow links), POST acts.

    `act(registration)` runs the service; `done` is said on success; the page is shown only
    while the registration's table allows `transition`, else the link leads to the
    registration's page.
    """
    registration = registration_by_token(token)
    if request.method == "POST":
        try:
            act(registration)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, done)
        return redirect("meetings:registration_manage", token=token)
    if not REGISTRATION_WORKFLOW.can(registration, transition, request.user):
        return redirect("meetings:registration_manage", token=token)
    return render(
        request, template, {"registration": registration, "edition": registration.edition}
    )


def registration_confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    return _registration_link_step(
        request,
        token,
        act=lambda registration: services.registration_confirm_email(registration=registration),
        done=_("Votre adresse e-mail est confirmée."),
        template="meetings/registration_confirm.html",
        transition="confirm_email",
    )


def registration_accept_offer(request: HttpRequest, token: str) -> HttpResponse:
    return _registration_link_step(
        request,
        token,
        act=lambda registration: services.registration_accept_offer(registration=registration),
        done=_("Votre place est confirmée. À bientôt !"),
        template="meetings/registration_accept_offer.html",
        transition="accept_offer",
    )


def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in every e-mail, without signing in: a confirmation step, then POST."""
    return _registration_link_step(
        request,
        token,
        act=lambda registration: services.registration_cancel_from_link(
            registration=registration, actor=request.user
        ),
        done=_("Votre inscription est annulée."),
        template="meetings/registration_cancel.html",
        transition="cancel_from_link",
    )


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/my_registrations.html",
        {
            "registrations": selectors.registrations_of_user(request.user),
            "made_for_others": selectors.registrations_made_by(request.user),
            "actions": selectors.action_items_of_user(request.user),
            "organised": selectors.organised_editions(request.user)[:20],
            "personal_feed_url": ics.personal_feed_url(request.user),
        },
    )
