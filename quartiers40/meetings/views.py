"""Meeting pages: editions, registration and its e-mail links, and the organisers' pages."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.challenges.models import Challenge
from quartiers40.core.ratelimit import client_ip, rate_limit_check
from quartiers40.members.models import Organisation
from quartiers40.members.permissions import is_coordination
from quartiers40.projects.models import Project

from . import ics, permissions, selectors, services
from .enums import RegistrationStatus, SeriesKind
from .forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    EditionForm,
    MinutesForm,
    OnBehalfForm,
    PitchForm,
    ReasonForm,
    RegistrationForm,
    ResourceForm,
    SearchForm,
    SeriesForm,
)
from .models import ActionItem, AgendaItem, Edition, EditionResource, PitchApplication, Series

REGISTRATION_RATE_SCOPE = "meeting_registration_ip"


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _edition(request, slug: str) -> Edition:
    edition = selectors.edition_get(slug=slug)
    if edition is None or not permissions.can_view_edition(request.user, edition):
        raise Http404
    return edition


def _organised_edition(request, slug: str) -> Edition:
    edition = selectors.edition_get(slug=slug)
    if edition is None:
        raise Http404
    if not permissions.can_organise(request.user, edition):
        raise PermissionDenied
    return edition


def _registration(token: str):
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    return registration


# --- Public pages -----------------------------------------------------------------


def edition_list(request):
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": selectors.editions_upcoming(now=now)[:20],
            "past": selectors.editions_past(now=now)[:20],
            "series_list": selectors.series_public(),
            "can_create_series": permissions.can_create_local_series(request.user),
            "can_approve": permissions.can_approve_series(request.user),
        },
    )


def series_detail(request, slug: str):
    series = get_object_or_404(Series.objects.select_related("organisation"), slug=slug)
    if not permissions.can_view_series(request.user, series):
        raise Http404
    now = timezone.now()
    editions = (
        series.editions.all()
        if permissions.can_manage_series(request.user, series)
        else (series.editions.visible())
    )
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "upcoming": editions.upcoming(now),
            "past": editions.past(now),
            "can_manage": permissions.can_manage_series(request.user, series),
        },
    )


def edition_detail(request, slug: str):
    edition = _edition(request, slug)
    user = request.user
    registration = selectors.registration_of(user, edition)
    previous, follow_up = selectors.follow_up_actions(edition)
    can_organise = permissions.can_organise(user, edition)
    is_future = edition.ends_at > timezone.now()
    return render(
        request,
        "meetings/edition_detail.html",
        {
            "edition": edition,
            "registration": registration,
            "waiting_position": selectors.waiting_position(registration) if registration else None,
            "seats": selectors.seat_summaries(edition),
            "show_online_link": bool(edition.online_url)
            and permissions.can_see_online_link(user, edition),
            "agenda": selectors.agenda(edition),
            "resources": edition.resources.all(),
            "actions": selectors.action_items(edition),
            "previous": previous,
            "follow_up": follow_up,
            "can_organise": can_organise,
            "can_register": edition.is_published and edition.registration_open and is_future,
            "can_register_on_behalf": user.is_authenticated
            and permissions.can_register_on_behalf(user, edition),
            "can_apply": user.is_authenticated
            and edition.is_published
            and edition.call_for_pitches_open,
            "form": RegistrationForm(edition=edition, signed_in=user.is_authenticated)
            if registration is None
            else None,
        },
    )


def register(request, slug: str):
    edition = _edition(request, slug)
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
                registration = services.registration_create(
                    edition=edition, actor=user, **form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if registration.status == RegistrationStatus.PENDING_CONFIRMATION:
                    return render(
                        request,
                        "meetings/registration_check_email.html",
                        {"edition": edition, "registration": registration},
                    )
                return redirect("meetings:registration_manage", token=registration.token)
    return render(request, "meetings/register.html", {"edition": edition, "form": form})


@login_required
def register_on_behalf(request, slug: str):
    edition = _edition(request, slug)
    if not permissions.can_register_on_behalf(request.user, edition):
        raise PermissionDenied
    form = OnBehalfForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        try:
            registration = services.registration_create(
                edition=edition, actor=request.user, on_behalf=True, **data
            )
        except ValidationError as error:
            _apply_errors(form, error)
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


def registration_manage(request, token: str):
    """The registration's own page, reached from every e-mail: status, links, cancel."""
    registration = _registration(token)
    edition = registration.edition
    return render(
        request,
        "meetings/registration_manage.html",
        {
            "registration": registration,
            "edition": edition,
            "waiting_position": selectors.waiting_position(registration),
            "show_online_link": bool(edition.online_url)
            and registration.attendance == "online"
            and permissions.can_see_online_link(request.user, edition, registration),
        },
    )


def _registration_link_step(request, token: str, *, act, done: str, template: str, shown_when):
    """A link from an e-mail: GET shows a button (mail scanners follow links), POST acts.

    `act(registration)` runs the service; `done` is said on success; the page is shown only
    while `shown_when(registration)` holds, else the link leads to the registration.
    """
    registration = _registration(token)
    if request.method == "POST":
        try:
            act(registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("meetings:registration_manage", token=token)
    if not shown_when(registration):
        return redirect("meetings:registration_manage", token=token)
    return render(
        request, template, {"registration": registration, "edition": registration.edition}
    )


def registration_confirm_email(request, token: str):
    return _registration_link_step(
        request,
        token,
        act=lambda registration: services.registration_confirm_email(registration=registration),
        done=_("Votre adresse e-mail est confirmée."),
        template="meetings/registration_confirm.html",
        shown_when=lambda r: r.status == RegistrationStatus.PENDING_CONFIRMATION,
    )


def registration_accept_offer(request, token: str):
    return _registration_link_step(
        request,
        token,
        act=lambda registration: services.registration_accept_offer(registration=registration),
        done=_("Votre place est confirmée. À bientôt !"),
        template="meetings/registration_accept_offer.html",
        shown_when=lambda r: r.status == RegistrationStatus.OFFERED,
    )


def registration_cancel(request, token: str):
    """From the link in every e-mail, without signing in: a confirmation step, then POST."""
    return _registration_link_step(
        request,
        token,
        act=lambda registration: services.registration_cancel(
            registration=registration, actor=request.user
        ),
        done=_("Votre inscription est annulée."),
        template="meetings/registration_cancel.html",
        shown_when=lambda r: r.is_active,
    )


@login_required
def my_registrations(request):
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


@login_required
def pitch_apply(request, slug: str):
    edition = _edition(request, slug)
    user = request.user
    if is_coordination(user):
        projects = Project.objects.published()
        challenges = Challenge.objects.visible()
    else:
        projects = Project.objects.published().filter(carrier__memberships__user=user)
        challenges = Challenge.objects.visible().filter(
            Q(author=user)
            | Q(organisation__memberships__user=user, organisation__memberships__role="admin")
        )
    form = PitchForm(
        request.POST or None,
        projects=projects.order_by("title").distinct(),
        challenges=challenges.order_by("title").distinct(),
        initial={"speaker_name": user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pitch_apply(edition=edition, actor=user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Votre proposition est envoyée aux organisateurs. Merci !"))
            return redirect("meetings:edition_detail", slug=edition.slug)
    return render(
        request,
        "meetings/pitch_apply.html",
        {"edition": edition, "form": form, "is_open": edition.call_for_pitches_open},
    )


@login_required
def action_update(request, pk: int):
    """Owners (and organisers) say where an action stands."""
    item = get_object_or_404(
        ActionItem.objects.select_related("edition", "owner_organisation", "owner_user"), pk=pk
    )
    if not permissions.can_update_action_item(request.user, item):
        raise PermissionDenied
    form = ActionStatusForm(
        request.POST or None, initial={"status": item.status, "status_note": item.status_note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_set_status(
                item=item,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["status_note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("L'action est mise à jour."))
            return redirect("meetings:edition_detail", slug=item.edition.slug)
    return render(
        request,
        "meetings/action_update.html",
        {"item": item, "items": [item], "form": form},
    )


# --- Series ----------------------------------------------------------------------------


@login_required
def series_create(request):
    user = request.user
    if is_coordination(user):
        organisations = Organisation.objects.members_of_collective().order_by("name")
    else:
        organisations = (
            Organisation.objects.members_of_collective()
            .filter(memberships__user=user)
            .order_by("name")
        )
    if not organisations:
        raise PermissionDenied
    form = SeriesForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(actor=user, kind=SeriesKind.LOCAL, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("La série est proposée : l'équipe de coordination va la valider."),
            )
            return redirect("meetings:series_detail", slug=series.slug)
    return render(request, "meetings/series_form.html", {"form": form})


@login_required
def series_queue(request):
    if not permissions.can_approve_series(request.user):
        raise PermissionDenied
    return render(
        request,
        "meetings/series_queue.html",
        {"pending": selectors.series_pending(), "refuse_form": ReasonForm()},
    )


@login_required
@require_POST
def series_decide(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    try:
        if request.POST.get("decision") == "approve":
            services.series_approve(series=series, actor=request.user)
            messages.success(request, _("La série est validée."))
        else:
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.series_refuse(series=series, actor=request.user, reason=reason)
            messages.success(request, _("La série est refusée."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:series_queue")


# --- Organisers ----------------------------------------------------------------------------


@login_required
def edition_create(request, slug: str):
    series = get_object_or_404(Series, slug=slug)
    if not permissions.can_manage_series(request.user, series):
        raise PermissionDenied
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(
                series=series, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("L'édition est créée (brouillon)."))
            return redirect("meetings:organiser_home", slug=edition.slug)
    return render(request, "meetings/edition_form.html", {"form": form, "series": series})


@login_required
def edition_edit(request, slug: str):
    edition = _organised_edition(request, slug)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_update(edition=edition, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("L'édition est mise à jour."))
            return redirect("meetings:organiser_home", slug=edition.slug)
    return render(
        request,
        "meetings/edition_form.html",
        {"form": form, "series": edition.series, "edition": edition},
    )


@login_required
def organiser_home(request, slug: str):
    edition = _organised_edition(request, slug)
    return render(
        request,
        "meetings/organiser_home.html",
        {
            "edition": edition,
            "seats": selectors.seat_summaries(edition),
            "counts": selectors.attendance_counts(edition),
            "cancel_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def edition_publish(request, slug: str):
    edition = _organised_edition(request, slug)
    try:
        services.edition_publish(edition=edition, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("L'édition est publiée."))
    return redirect("meetings:organiser_home", slug=edition.slug)


@login_required
@require_POST
def edition_cancel(request, slug: str):
    edition = _organised_edition(request, slug)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.edition_cancel(edition=edition, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("L'édition est annulée ; les personnes inscrites sont prévenues.")
        )
    return redirect("meetings:organiser_home", slug=edition.slug)


@login_required
def registrants(request, slug: str):
    edition = _organised_edition(request, slug)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        registration = get_object_or_404(edition.registrations, pk=request.POST.get("registration"))
        try:
            services.registration_cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'inscription est annulée."))
        return redirect("meetings:registrants", slug=edition.slug)
    return render(
        request,
        "meetings/registrants.html",
        {
            "edition": edition,
            "registrations": selectors.registrants(edition, query=query),
            "seats": selectors.seat_summaries(edition),
            "search": search,
        },
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def registrants_csv(request, slug: str):
    edition = _organised_edition(request, slug)
    if not permissions.can_export_registrants(request.user, edition):
        raise PermissionDenied
    writer = csv.writer(_Echo())
    body = "".join(writer.writerow(row) for row in selectors.registrants_csv_rows(edition))
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscrits-{edition.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def checkin(request, slug: str):
    """On the day, on a phone: search a name, mark present (a plain form per person)."""
    edition = _organised_edition(request, slug)
    if request.method == "POST":
        registration = get_object_or_404(edition.registrations, pk=request.POST.get("registration"))
        present = request.POST.get("present") == "1"
        try:
            services.registration_check_in(
                registration=registration, actor=request.user, present=present
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if present:
                messages.success(
                    request, _("%(name)s est présent·e.") % {"name": registration.name}
                )
            else:
                messages.info(
                    request, _("Présence retirée : %(name)s.") % {"name": registration.name}
                )
        query = request.POST.get("q", "")
        url = f"{request.path}?q={query}" if query else request.path
        return redirect(url)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "meetings/checkin.html",
        {
            "edition": edition,
            "registrations": selectors.checkin_list(edition, query=query),
            "counts": selectors.attendance_counts(edition),
            "search": search,
            "query": query,
        },
    )


@login_required
def agenda_builder(request, slug: str):
    """Applications ranked by supports and freshness; the agenda, item by item."""
    edition = _organised_edition(request, slug)
    user = request.user
    editing = None
    if request.GET.get("modifier"):
        editing = get_object_or_404(edition.agenda_items, pk=request.GET["modifier"])
    form = AgendaItemForm(instance=editing)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("accept", "decline"):
                pitch = get_object_or_404(
                    PitchApplication, pk=request.POST.get("pitch"), edition=edition
                )
                services.pitch_decide(pitch=pitch, actor=user, accept=action == "accept")
                messages.success(
                    request,
                    _("La proposition est retenue et ajoutée à l'ordre du jour.")
                    if action == "accept"
                    else _("La proposition n'est pas retenue."),
                )
                return redirect("meetings:agenda_builder", slug=edition.slug)
            if action in ("up", "down", "delete"):
                item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), edition=edition)
                if action == "delete":
                    services.agenda_item_delete(item=item, actor=user)
                    messages.success(request, _("Le point est retiré de l'ordre du jour."))
                else:
                    services.agenda_item_move(item=item, actor=user, up=action == "up")
                return redirect("meetings:agenda_builder", slug=edition.slug)
            if action == "save":
                item = None
                if request.POST.get("item"):
                    item = get_object_or_404(AgendaItem, pk=request.POST["item"], edition=edition)
                form = AgendaItemForm(request.POST, instance=item)
                if form.is_valid():
                    services.agenda_item_save(
                        edition=edition, actor=user, item=item, **form.service_arguments()
                    )
                    messages.success(request, _("L'ordre du jour est enregistré."))
                    return redirect("meetings:agenda_builder", slug=edition.slug)
                editing = item
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "meetings/agenda_builder.html",
        {
            "edition": edition,
            "pitches": selectors.pitches_ranked(edition),
            "agenda": selectors.agenda(edition),
            "form": form,
            "editing": editing,
        },
    )


@login_required
def minutes_edit(request, slug: str):
    edition = _organised_edition(request, slug)
    user = request.user
    form = MinutesForm(
        initial={
            "minutes": edition.minutes,
            "replay_url": edition.replay_url,
            "slides_url": edition.slides_url,
        }
    )
    resource_form = ResourceForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("publish", "save"):
            form = MinutesForm(request.POST)
            if form.is_valid():
                try:
                    services.edition_minutes_save(
                        edition=edition,
                        actor=user,
                        publish=action == "publish",
                        **form.cleaned_data,
                    )
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("Le compte rendu est publié sur la page de la rencontre.")
                        if action == "publish"
                        else _("Le compte rendu est enregistré (non publié)."),
                    )
                    return redirect("meetings:minutes_edit", slug=edition.slug)
        elif action == "add_resource":
            resource_form = ResourceForm(request.POST, request.FILES)
            if resource_form.is_valid():
                try:
                    services.edition_resource_add(
                        edition=edition, actor=user, **resource_form.cleaned_data
                    )
                except ValidationError as error:
                    _apply_errors(resource_form, error)
                else:
                    messages.success(request, _("La ressource est ajoutée."))
                    return redirect("meetings:minutes_edit", slug=edition.slug)
        elif action == "delete_resource":
            resource = get_object_or_404(
                EditionResource, pk=request.POST.get("resource"), edition=edition
            )
            services.edition_resource_delete(resource=resource, actor=user)
            messages.success(request, _("La ressource est retirée."))
            return redirect("meetings:minutes_edit", slug=edition.slug)
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "edition": edition,
            "form": form,
            "resource_form": resource_form,
            "resources": edition.resources.all(),
        },
    )


@login_required
def actions_manage(request, slug: str):
    edition = _organised_edition(request, slug)
    user = request.user
    editing = None
    if request.GET.get("modifier"):
        editing = get_object_or_404(edition.action_items, pk=request.GET["modifier"])
    form = ActionItemForm(instance=editing)
    if request.method == "POST":
        item = None
        if request.POST.get("item"):
            item = get_object_or_404(ActionItem, pk=request.POST["item"], edition=edition)
        form = ActionItemForm(request.POST, instance=item)
        editing = item
        if form.is_valid():
            try:
                if item is None:
                    services.action_item_create(
                        edition=edition, actor=user, **form.service_arguments()
                    )
                else:
                    services.action_item_update(item=item, actor=user, **form.service_arguments())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("L'action est enregistrée."))
                return redirect("meetings:actions_manage", slug=edition.slug)
    return render(
        request,
        "meetings/actions_manage.html",
        {
            "edition": edition,
            "actions": selectors.action_items(edition),
            "form": form,
            "editing": editing,
        },
    )
