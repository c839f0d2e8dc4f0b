"""The pages of the people who offer opportunities: create, edit, their own list.

Every write goes through `services`; which buttons a page shows is the workflow's answer
(`OPPORTUNITY_WORKFLOW.allowed`). The actions on an opportunity's page are in
`provider_actions`, the interests received in `provider_interests`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from quartiers40.assist.forms import ai_draft_into_form
from quartiers40.assist.selectors import assist_names_to_remove
from quartiers40.assist.services import assist_enabled, assist_summary_draft
from quartiers40.core.forms import form_errors_apply

from .. import permissions, selectors, services
from ..enums import OPPORTUNITY_WORKFLOW, OpportunityStatus
from ..forms import (
    PLACE_ROWS,
    ROWS_ADDED,
    SESSION_ROWS,
    OpportunityForm,
    place_formset,
    places_initial,
    session_formset,
    sessions_initial,
)
from ..models import Opportunity
from ..provider_sections import opportunities_by_status
from .provider_common import _editable

# The form's buttons: what to do once the fields are saved.
THEN = "then"
THEN_PUBLISH = "publish"
THEN_REOPEN = "reopen"
ADD_PLACES = "add_places"
ADD_SESSIONS = "add_sessions"
# Where a service's error about these goes: beside the formset, not above the form.
FORMSET_ERRORS = ("places", "sessions")


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
    page.form.ai_drafts_accept(
        target=opportunity,
        actor=request.user,
        organisation=opportunity.organisation,
        cache_topic="opportunities",
    )
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
            "after_field": _assist_box(),
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


def _assist_box() -> dict | None:
    """« Proposer un résumé avec l'IA » under the plain-French summary, if on."""
    if not assist_enabled():
        return None
    return {
        "name": "summary",
        "template": "assist/draft_box.html",
        "button": _("Proposer un résumé avec l'IA"),
        "help": _(
            "L'IA lit le titre et la description (sans noms, e-mails ni téléphones) et propose "
            "un résumé en français facile, que vous relisez et corrigez. Rien n'est enregistré "
            "sans vous."
        ),
    }


def _assist_draft(request, page: _Page, opportunity: Opportunity | None, providers=None):
    """The AI button: the page as typed (no error shown), the draft in the summary."""
    page = _page_with_more_rows(request, page, providers=providers, opportunity=opportunity)
    organisations = [opportunity.organisation] if opportunity else list(providers or [])
    data = request.POST
    answer = ai_draft_into_form(
        request,
        page.form,
        field_name="summary",
        ask=lambda: assist_summary_draft(
            actor=request.user,
            title=data.get("title", ""),
            text=data.get("description", ""),
            names=assist_names_to_remove(organisations=organisations, people=[request.user]),
        ),
    )
    return answer or _form_page(request, page, opportunity, providers=providers)


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
    if page.form.ai_draft_requested():
        return _assist_draft(request, page, None, providers=providers)
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
    if page.form.ai_draft_requested():
        return _assist_draft(request, page, opportunity)
    if ADD_PLACES in request.POST or ADD_SESSIONS in request.POST:
        page = _page_with_more_rows(request, page, opportunity=opportunity)
        return _form_page(request, page, opportunity)
    if page.is_valid():
        _save(request, page, opportunity)
        if not page.has_errors:
            return _after_save(request, opportunity)
    opportunity.refresh_from_db()
    return _form_page(request, page, opportunity)


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
