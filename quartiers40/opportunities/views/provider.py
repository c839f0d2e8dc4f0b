"""The pages of the people who offer opportunities, and the coordination's review.

Every write goes through `services`; which buttons a page shows is the workflow's answer
(`OPPORTUNITY_WORKFLOW.allowed`). One URL per action on an opportunity's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quartiers40.core.forms import error_text, form_errors_apply
from quartiers40.core.spreadsheet import spreadsheet_writer

from .. import permissions, selectors, services
from ..enums import OPPORTUNITY_WORKFLOW, InterestStatus, OpportunityStatus
from ..forms import (
    PLACE_ROWS,
    ROWS_ADDED,
    SESSION_ROWS,
    OpportunityForm,
    OutcomeForm,
    ReturnForm,
    WithdrawForm,
    place_formset,
    places_initial,
    session_formset,
    sessions_initial,
)
from ..models import Opportunity, OpportunityInterest
from ..provider_sections import opportunities_by_status

# The form's buttons: what to do once the fields are saved.
THEN = "then"
THEN_PUBLISH = "publish"
THEN_REOPEN = "reopen"
ADD_PLACES = "add_places"
ADD_SESSIONS = "add_sessions"
# Where a service's error about these goes: beside the formset, not above the form.
FORMSET_ERRORS = ("places", "sessions")


def _opportunity(slug: str) -> Opportunity:
    opportunity = selectors.opportunity_get_by_slug(slug=slug)
    if opportunity is None:
        raise Http404
    return opportunity


def _visible(request, slug: str) -> Opportunity:
    """404 for what she may not even see; the callers then say 403 for what she may not do."""
    opportunity = _opportunity(slug)
    if not permissions.can_view_opportunity(request.user, opportunity):
        raise Http404
    return opportunity


def _editable(request, slug: str) -> Opportunity:
    opportunity = _visible(request, slug)
    if not permissions.can_edit_opportunity(request.user, opportunity):
        raise PermissionDenied
    return opportunity


def _publish_label(actions: set[str]) -> str:
    if "publish" in actions:
        return _("Publier")
    if "submit" in actions:
        return _("Envoyer à la coordination")
    return ""


def _create_publish_label(user, providers) -> tuple[str, str]:
    """The publish button's words on a new opportunity, from the organisations offered."""
    direct = {
        permissions.can_publish_directly(user, Opportunity(organisation=organisation))
        for organisation in providers
    }
    if direct == {True}:
        return _("Publier"), _("L'opportunité est publiée tout de suite.")
    if direct == {False}:
        return _("Envoyer à la coordination"), _(
            "Votre organisation est nouvelle dans le collectif : l'équipe de coordination "
            "relit l'opportunité avant de la publier."
        )
    return _("Publier ou envoyer à la coordination"), _(
        "Une organisation membre du collectif publie tout de suite ; une organisation "
        "nouvelle passe d'abord par l'équipe de coordination."
    )


class _Page:
    """The form, its two formsets and the errors the services put beside them."""

    def __init__(self, form, places, sessions):
        self.form = form
        self.places = places
        self.sessions = sessions
        self.formset_errors: dict[str, list[str]] = {}

    def is_valid(self) -> bool:
        # Every part is validated, so each shows its own errors.
        return all([self.form.is_valid(), self.places.is_valid(), self.sessions.is_valid()])

    def errors_apply(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            form_errors_apply(self.form, error)
            return
        rest = {}
        for name, messages_ in error.message_dict.items():
            if name in FORMSET_ERRORS:
                self.formset_errors.setdefault(name, []).extend(messages_)
            else:
                rest[name] = messages_
        if rest:
            form_errors_apply(self.form, ValidationError(rest))
        elif self.formset_errors and not self.form.errors:
            # The top of the form says where to look.
            self.form.add_error(
                None, _("Le formulaire contient des erreurs : voyez « Où » et « Quand ».")
            )

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors or self.formset_errors)


def _page_from_post(request, *, providers=None, opportunity=None) -> _Page:
    form = OpportunityForm(request.POST, providers=providers, instance=opportunity)
    return _Page(form, place_formset(request.POST), session_formset(request.POST))


def _page_with_more_rows(request, page: _Page, *, providers=None, opportunity=None) -> _Page:
    """The same page, as typed, unbound (no error shown yet), with more empty rows."""
    more_places = ADD_PLACES in request.POST
    more_sessions = ADD_SESSIONS in request.POST
    form = OpportunityForm(initial=page.form.typed(), providers=providers, instance=opportunity)
    places = place_formset(initial=page.places.typed(), extra=ROWS_ADDED if more_places else 0)
    sessions = session_formset(
        initial=page.sessions.typed(), extra=ROWS_ADDED if more_sessions else 0
    )
    return _Page(form, places, sessions)


def _places_changed(opportunity: Opportunity | None, inputs) -> bool:
    """Unchanged places are not written again: their addresses are not geocoded again."""
    if opportunity is None:
        return True
    before = list(opportunity.places.order_by("pk").values_list("input_key", flat=True))
    return before != [place.key for place in inputs]


def _save(request, page: _Page, opportunity: Opportunity | None) -> Opportunity | None:
    """Create or update from a valid page, then publish or reopen if asked.

    Returns the opportunity (saved at least as it was typed) or None when nothing could
    be saved; errors go to the page."""
    fields = page.form.service_fields()
    places = page.places.inputs()
    sessions = page.sessions.inputs()
    try:
        if opportunity is None:
            opportunity = services.opportunity_create(
                actor=request.user,
                organisation=page.form.cleaned_data["organisation"],
                places=places,
                sessions=sessions,
                **fields,
            )
        else:
            services.opportunity_update(
                opportunity=opportunity,
                actor=request.user,
                places=places if _places_changed(opportunity, places) else None,
                sessions=sessions,
                **fields,
            )
    except ValidationError as error:
        page.errors_apply(error)
        return opportunity
    then = request.POST.get(THEN, "")
    if then == THEN_PUBLISH:
        try:
            services.opportunity_publish(opportunity=opportunity, actor=request.user)
        except ValidationError as error:
            page.errors_apply(error)
            page.form.add_error(
                None,
                _(
                    "C'est enregistré, mais l'opportunité ne peut pas encore être publiée : "
                    "complétez ce qui est signalé."
                ),
            )
            return opportunity
        if opportunity.status == OpportunityStatus.PUBLISHED:
            messages.success(request, _("L'opportunité est publiée."))
        else:
            messages.success(
                request,
                _(
                    "L'opportunité est envoyée à l'équipe de coordination, qui la relit "
                    "avant de la publier. Vous recevrez un courriel."
                ),
            )
    elif then == THEN_REOPEN:
        try:
            services.opportunity_reopen(opportunity=opportunity, actor=request.user)
        except ValidationError as error:
            page.errors_apply(error)
            page.form.add_error(
                None,
                _(
                    "C'est enregistré, mais l'opportunité reste terminée : donnez une date "
                    "limite ou des sessions à venir."
                ),
            )
            return opportunity
        messages.success(request, _("L'opportunité est de nouveau publiée."))
    elif opportunity.status in (OpportunityStatus.DRAFT, OpportunityStatus.RETURNED):
        messages.success(request, _("Le brouillon est enregistré."))
    else:
        messages.success(request, _("Les modifications sont enregistrées."))
    return opportunity


def _after_save(request, opportunity: Opportunity):
    """Published, sent or reopened: its page; saved: the form again, with its places found."""
    if request.POST.get(THEN) in (THEN_PUBLISH, THEN_REOPEN):
        return redirect(opportunity.get_absolute_url())
    return redirect("opportunities:edit", slug=opportunity.slug)


def _form_page(request, page: _Page, opportunity: Opportunity | None, *, providers=None):
    user = request.user
    if opportunity is None:
        publish_label, publish_help = _create_publish_label(user, providers)
        actions = {"publish"}
    else:
        actions = OPPORTUNITY_WORKFLOW.allowed(opportunity, user)
        publish_label = _publish_label(actions)
        publish_help = (
            _("L'opportunité est publiée tout de suite.")
            if "publish" in actions
            else _("L'équipe de coordination la relit avant de la publier.")
        )
    missing = (
        _missing(page.form, opportunity)
        if opportunity is not None and actions & {"publish", "submit", "reopen"}
        else []
    )
    error_groups = set()
    if page.formset_errors.get("places") or not _formset_ok(page.places):
        error_groups.add("ou")
    if page.formset_errors.get("sessions") or not _formset_ok(page.sessions):
        error_groups.add("quand")
    return render(
        request,
        "opportunities/provider/form.html",
        {
            "opportunity": opportunity,
            "form_url": (
                reverse("opportunities:edit", kwargs={"slug": opportunity.slug})
                if opportunity is not None
                else reverse("opportunities:create")
            ),
            "breadcrumb": [
                (_("Mes opportunités"), reverse("opportunities:mine")),
                (_("Modifier") if opportunity else _("Proposer une opportunité"), ""),
            ],
            "error_groups": error_groups,
            "form": page.form,
            "groups": page.form.groups(),
            "places": page.places,
            "sessions": page.sessions,
            "formset_errors": page.formset_errors,
            "saved_places": (
                selectors.opportunities_with_places(Opportunity.objects.filter(pk=opportunity.pk))
                .prefetch_related("places__qpv_links__qpv")
                .get()
                .places.all()
                if opportunity is not None and opportunity.pk
                else []
            ),
            "can_publish": bool(actions & {"publish", "submit"}),
            "publish_label": publish_label,
            "publish_help": publish_help,
            "can_reopen": "reopen" in actions,
            "can_withdraw": "withdraw" in actions,
            "missing": missing,
        },
        status=400 if page.has_errors else 200,
    )


def _formset_ok(formset) -> bool:
    """No error shown in a formset (an unbound one has none)."""
    return not formset.is_bound or formset.is_valid()


def _missing(form: OpportunityForm, opportunity: Opportunity) -> list[tuple[str, str]]:
    """(anchor, words) of what the saved opportunity still lacks before it can be published."""
    missing = []
    for name, message in services.opportunity_missing_fields(opportunity).items():
        if name in form.fields:
            missing.append((form[name].auto_id, str(form.fields[name].label)))
        else:  # the places: in the "Où" group
            missing.append(("groupe-ou", str(message)))
    return missing


@login_required
def opportunity_create(request):
    providers = selectors.opportunity_providers_for(request.user)
    if not providers:
        return render(request, "opportunities/provider/no_organisation.html")
    if request.method != "POST":
        page = _Page(
            OpportunityForm(providers=providers),
            place_formset(extra=PLACE_ROWS),
            session_formset(extra=SESSION_ROWS),
        )
        return _form_page(request, page, None, providers=providers)
    page = _page_from_post(request, providers=providers)
    if ADD_PLACES in request.POST or ADD_SESSIONS in request.POST:
        page = _page_with_more_rows(request, page, providers=providers)
        return _form_page(request, page, None, providers=providers)
    opportunity = None
    if page.is_valid():
        opportunity = _save(request, page, None)
        if opportunity is not None and not page.has_errors:
            return _after_save(request, opportunity)
    if opportunity is not None:
        # Saved, not published: the form now posts to the draft's own page.
        page.form.instance = opportunity
        return _form_page(request, page, opportunity)
    return _form_page(request, page, None, providers=providers)


@login_required
def opportunity_edit(request, slug: str):
    opportunity = _editable(request, slug)
    if not opportunity.is_changeable:
        messages.error(request, _("Une opportunité retirée ne se modifie plus."))
        return redirect(opportunity.get_absolute_url())
    if request.method != "POST":
        page = _Page(
            OpportunityForm(instance=opportunity),
            place_formset(initial=places_initial(opportunity), extra=1),
            session_formset(initial=sessions_initial(opportunity), extra=1),
        )
        return _form_page(request, page, opportunity)
    page = _page_from_post(request, opportunity=opportunity)
    if ADD_PLACES in request.POST or ADD_SESSIONS in request.POST:
        page = _page_with_more_rows(request, page, opportunity=opportunity)
        return _form_page(request, page, opportunity)
    if page.is_valid():
        _save(request, page, opportunity)
        if not page.has_errors:
            return _after_save(request, opportunity)
    opportunity.refresh_from_db()
    return _form_page(request, page, opportunity)


# --- One URL per action on the opportunity's page -------------------------------------


@login_required
@require_POST
def opportunity_publish(request, slug: str):
    """Publish (member organisation, team) or send to the team (new organisation)."""
    opportunity = _visible(request, slug)
    try:
        services.opportunity_publish(opportunity=opportunity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        if permissions.can_edit_opportunity(request.user, opportunity):
            return redirect("opportunities:edit", slug=opportunity.slug)
        return redirect(opportunity.get_absolute_url())
    if opportunity.status == OpportunityStatus.PUBLISHED:
        messages.success(request, _("L'opportunité est publiée."))
    else:
        messages.success(
            request, _("L'opportunité est envoyée à l'équipe de coordination, qui la relit.")
        )
    return redirect(opportunity.get_absolute_url())


@login_required
@require_POST
def opportunity_reopen(request, slug: str):
    opportunity = _visible(request, slug)
    try:
        services.opportunity_reopen(opportunity=opportunity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        if permissions.can_edit_opportunity(request.user, opportunity):
            return redirect(reverse("opportunities:edit", kwargs={"slug": slug}) + "#groupe-quand")
    else:
        messages.success(request, _("L'opportunité est de nouveau publiée."))
    return redirect(opportunity.get_absolute_url())


@login_required
def opportunity_withdraw(request, slug: str):
    """A confirmation page (and an optional reason), then the withdrawal: no JavaScript."""
    opportunity = _visible(request, slug)
    if not OPPORTUNITY_WORKFLOW.can(opportunity, "withdraw", request.user):
        if not permissions.can_withdraw_opportunity(request.user, opportunity):
            raise PermissionDenied
        messages.error(request, _("Cette opportunité est déjà retirée."))
        return redirect(opportunity.get_absolute_url())
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_withdraw(
                opportunity=opportunity, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("L'opportunité est retirée : plus personne ne la voit sur le site.")
            )
        return redirect("opportunities:mine")
    return render(
        request, "opportunities/provider/withdraw.html", {"opportunity": opportunity, "form": form}
    )


@login_required
@require_POST
def opportunity_approve(request, slug: str):
    opportunity = _visible(request, slug)
    if not permissions.can_review_opportunity(request.user, opportunity):
        raise PermissionDenied
    try:
        services.opportunity_approve(opportunity=opportunity, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("L'opportunité est publiée ; son organisation est prévenue."))
    return redirect(opportunity.get_absolute_url())


@login_required
def opportunity_return(request, slug: str):
    """Send back with comments; the detail page posts here, this page shows a bad input."""
    opportunity = _visible(request, slug)
    if not permissions.can_review_opportunity(request.user, opportunity):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_return(
                opportunity=opportunity,
                actor=request.user,
                comments=form.cleaned_data["comments"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("L'opportunité est renvoyée à son organisation avec vos commentaires.")
            )
        return redirect(opportunity.get_absolute_url())
    return render(
        request,
        "opportunities/provider/return.html",
        {"opportunity": opportunity, "form": form},
        status=400 if form.errors else 200,
    )


# --- Interests received -----------------------------------------------------------------


def _interests_opportunity(request, slug: str) -> Opportunity:
    opportunity = _opportunity(slug)
    if not permissions.can_view_interests(request.user, opportunity):
        if permissions.can_view_opportunity(request.user, opportunity):
            raise PermissionDenied
        raise Http404
    return opportunity


def _outcome_form(interest: OpportunityInterest, data=None) -> OutcomeForm:
    initial = {"note": interest.outcome_note}
    if interest.status != InterestStatus.NEW:
        initial["status"] = interest.status
    return OutcomeForm(data, initial=initial, prefix=f"suite-{interest.pk}")


def _interests_page(request, opportunity: Opportunity, *, bad_form=None, bad_pk=None):
    """The list, those still to answer first; `bad_form` is shown again for `bad_pk`."""
    received = sorted(
        selectors.opportunities_received_interests(opportunity=opportunity),
        key=lambda interest: interest.status != InterestStatus.NEW,
    )
    return render(
        request,
        "opportunities/provider/interests.html",
        {
            "opportunity": opportunity,
            "interests": [
                (interest, bad_form if interest.pk == bad_pk else _outcome_form(interest))
                for interest in received
            ],
            "counts": {
                status: sum(1 for interest in received if interest.status == status)
                for status in InterestStatus.values
            },
            "breadcrumb": [
                (_("Mes opportunités"), reverse("opportunities:mine")),
                (opportunity.title, opportunity.get_absolute_url()),
                (_("Personnes intéressées"), ""),
            ],
        },
        status=400 if bad_form is not None else 200,
    )


@login_required
def interests(request, slug: str):
    """The people interested, their contact and message, and what came of it."""
    return _interests_page(request, _interests_opportunity(request, slug))


@login_required
@require_POST
def interest_outcome(request, slug: str, reference: str):
    opportunity = _interests_opportunity(request, slug)
    interest = get_object_or_404(opportunity.interests, reference=reference)
    form = _outcome_form(interest, request.POST)
    if form.is_valid():
        try:
            services.interest_outcome_record(
                interest=interest,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request, _("La suite est notée pour %(name)s.") % {"name": interest.name}
            )
            return redirect(
                reverse("opportunities:interests", kwargs={"slug": slug})
                + f"#interet-{interest.pk}"
            )
    # A bad answer: the same page, this interest's form with its error and what was typed.
    return _interests_page(request, opportunity, bad_form=form, bad_pk=interest.pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def interests_csv(request, slug: str):
    """The interests as a spreadsheet: no cell may run as a formula (`core.spreadsheet`)."""
    opportunity = _interests_opportunity(request, slug)
    writer = spreadsheet_writer(_Echo(), delimiter=";")
    rows = [
        [
            _("Reçu le"),
            _("Nom"),
            _("Courriel"),
            _("Téléphone"),
            _("Message"),
            _("Inscrit·e par"),
            _("Accord de la personne le"),
            _("Suite donnée"),
            _("Note"),
            _("Suite notée le"),
        ]
    ]
    for interest in selectors.opportunities_received_interests(opportunity=opportunity):
        rows.append(
            [
                _datetime_text(interest.created_at),
                interest.name,
                interest.email,
                interest.phone,
                interest.message,
                interest.registered_by.display_name if interest.registered_by else "",
                _datetime_text(interest.consent_at),
                interest.get_status_display(),
                interest.outcome_note,
                _datetime_text(interest.outcome_at),
            ]
        )
    body = "".join(writer.writerow(row) for row in rows)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interets-{opportunity.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _datetime_text(value) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


# --- Mine -------------------------------------------------------------------------------


@login_required
def mine(request):
    """Every opportunity of my organisations, by status, with the interests to follow up."""
    opportunities = list(selectors.opportunities_of_provider(request.user))
    return render(
        request,
        "opportunities/provider/mine.html",
        {
            "breadcrumb": [
                (_("Mon espace"), reverse("members:account")),
                (_("Mes opportunités"), ""),
            ],
            "groups": opportunities_by_status(opportunities),
            "can_create": selectors.opportunity_providers_for(request.user).exists(),
        },
    )
