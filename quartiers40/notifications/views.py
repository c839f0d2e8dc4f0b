"""Follow buttons, my follows, my preferences, Nouveautés, and the unsubscribe links."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text

from . import selectors, services
from .enums import Category
from .forms import PreferencesForm
from .models import Recipient
from .tokens import ALL, unsubscribe_user_id


def _next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
@login_required
def follow_toggle(request, key: str, pk: str):
    """The follow button of a page: follow, or stop following (a POST form, no JS)."""
    target = selectors.followable_get(key, pk, viewer=request.user)
    if target is None:
        raise Http404
    if request.POST.get("action") == "unfollow":
        services.follow_delete(user=request.user, target=target)
        messages.success(request, _("Vous ne suivez plus « %(name)s ».") % {"name": target})
    else:
        try:
            services.follow_create(user=request.user, target=target, language=get_language())
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Vous suivez « %(name)s » : ses nouveautés arrivent dans vos résumés.")
                % {"name": target},
            )
    return redirect(_next(request, selectors.target_url(target)))


@login_required
def follows(request):
    return render(
        request,
        "notifications/follows.html",
        {"rows": selectors.follows_of(request.user)},
    )


@login_required
def preferences(request):
    recipient = Recipient.objects.filter(user=request.user).first()
    initial = {
        **selectors.preferences_of(request.user),
        "language": recipient.language if recipient else get_language(),
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        language = data.pop("language")
        services.preferences_set(user=request.user, frequencies=data, language=language)
        messages.success(request, _("Vos préférences sont enregistrées."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def news(request):
    events = selectors.news_of(request.user)
    seen_until = selectors.news_seen_until(request.user)
    response = render(
        request,
        "notifications/news.html",
        {"events": events, "seen_until": seen_until},
    )
    services.news_seen(user=request.user)
    return response


@csrf_exempt  # the token in the address proves who; RFC 8058's POST comes with no session
def unsubscribe(request, kind: str, token: str):
    """GET: a page with a confirm button. POST (the button, or a mail client's one-click
    `List-Unsubscribe=One-Click`): the kind goes to "never" for the token's person."""
    user_id = unsubscribe_user_id(kind=kind, token=token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    categories = Category.values if kind == ALL else [kind]
    label = _("toutes les notifications") if kind == ALL else Category(kind).label
    if request.method == "POST":
        services.unsubscribe(user=user, categories=categories)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200)
        return render(request, "notifications/unsubscribe_done.html", {"label": label})
    return render(request, "notifications/unsubscribe.html", {"label": label})
