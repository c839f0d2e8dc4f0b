"""Sign-up, sign-in, e-mail verification, password reset, the account pages."""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import form_errors_apply
from quartiers40.core.ratelimit import client_ip, rate_limit_check, rate_limit_reset
from quartiers40.core.sections import ACCOUNT_PAGE, sections_for

from .. import permissions, selectors, services
from ..forms import (
    ApiTokenForm,
    DeleteAccountForm,
    NewPasswordForm,
    ProfileForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
)
from ..models import ApiToken, User
from ..queues import coordination_sections, queues_total


def _too_many(request, template: str, context: dict, retry_after: int) -> HttpResponse:
    minutes = max(1, round(retry_after / 60))
    context["rate_limited"] = _(
        "Trop de tentatives. Par sécurité, réessayez dans %(minutes)s minute(s)."
    ) % {"minutes": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("members:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        limit = rate_limit_check(request, ("signup_ip", client_ip(request)))
        if limit.limited:
            return _too_many(request, "members/sign_up.html", {"form": form}, limit.retry_after)
        if form.is_valid():
            try:
                user = services.user_sign_up(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                    is_resident=form.cleaned_data["is_resident"],
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("members:verification_sent")
    return render(request, "members/sign_up.html", {"form": form})


@login_required
def verification_sent(request):
    return render(request, "members/verification_sent.html")


def verify_email(request, token: str):
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        return render(
            request, "members/verify_failed.html", {"error": error.messages[0]}, status=400
        )
    messages.success(request, _("Merci ! Votre adresse e-mail est confirmée."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("members:account")
    return redirect("members:login")


@login_required
@require_POST
def verification_resend(request):
    limit = rate_limit_check(request, ("verification_resend_account", str(request.user.pk)))
    if limit.limited:
        messages.error(request, _("Un lien vient déjà d'être envoyé. Réessayez plus tard."))
    elif not request.user.email_verified:
        services.email_verification_send(user=request.user)
        messages.success(request, _("Un nouveau lien vous a été envoyé."))
    return redirect("members:account")


class SignInView(auth_views.LoginView):
    template_name = "members/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        email = request.POST.get("username", "")
        limit = rate_limit_check(
            request, ("login_ip", client_ip(request)), ("login_account", email)
        )
        if limit.limited:
            form = self.get_form()
            return _too_many(request, self.template_name, {"form": form}, limit.retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        rate_limit_reset("login_account", form.cleaned_data.get("username", ""))
        return super().form_valid(form)


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "members/password_reset.html"
    email_template_name = "members/emails/password_reset.txt"
    subject_template_name = "members/emails/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("members:password_reset_done")

    def post(self, request, *args, **kwargs):
        limit = rate_limit_check(
            request,
            ("password_reset_ip", client_ip(request)),
            ("password_reset_account", request.POST.get("email", "")),
        )
        if limit.limited:
            form = self.get_form()
            return _too_many(request, self.template_name, {"form": form}, limit.retry_after)
        return super().post(request, *args, **kwargs)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("members:password_reset_complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members/password_reset_complete.html"


@login_required
def account(request):
    """ "Mon espace": what is mine and what awaits me, composed from what each app registers
    (core.sections ACCOUNT_PAGE); the words follow my place in the collective."""
    user = request.user
    sections = sections_for(ACCOUNT_PAGE, user)
    awaiting = [item for section in sections for item in section.get("awaiting", ())]
    members = next((section for section in sections if section["key"] == "members"), {})
    coordination = permissions.is_coordination(user)
    return render(
        request,
        "members/account.html",
        {
            "sections": sections,
            "awaiting": awaiting,
            "is_coordination": coordination,
            "coordination_total": (
                queues_total(coordination_sections(request)) if coordination else 0
            ),
            "roles": selectors.account_roles(user, members.get("memberships", [])),
            "show_join": not coordination and not members.get("in_collective"),
        },
    )


@login_required
def account_settings(request):
    """My profile, what of it is public, my data: moved out of "Mon espace"."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Vos informations sont enregistrées."))
            return redirect("members:account_settings")
    return render(request, "members/account_settings.html", {"form": form})


@login_required
def account_data(request):
    payload = json.dumps(selectors.personal_data_export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-quartiers40.json"'
    return response


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            logout(request)
            messages.success(request, _("Votre compte et vos données personnelles sont supprimés."))
            return redirect("home:home")
    return render(request, "members/account_delete.html", {"form": form})


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "members/api_tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token},
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("members:api_tokens")


def profile(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    if not permissions.can_view_profile(request.user, person):
        raise Http404
    return render(
        request,
        "members/profile.html",
        {
            "person": person,
            "contact": permissions.visible_contact(request.user, person),
            "organisations": selectors.public_profile_organisations(person),
        },
    )
