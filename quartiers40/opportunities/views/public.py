"""The pages every resident reads without an account: "près de chez moi", an opportunity,
"je suis intéressé·e", a mediator's short list, the map.

Nothing about the person searching is stored: the search is a GET, writes no session and
logs no address (the geocoder's own logger names no query either).
"""

from urllib.parse import quote
from urllib.parse import urlencode as url_query

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from quartiers40.core.forms import form_errors_apply
from quartiers40.core.maps import map_tiles, map_tiles_allowed
from quartiers40.core.pagecache import public_page_cache
from quartiers40.core.ratelimit import client_ip, rate_limit_check
from quartiers40.members.models import OrganisationMembership

from .. import explain, permissions, selectors, services
from ..enums import DEFAULT_RADIUS_KM, Accessibility, HowToGo, Language, Level, QPVPriority
from ..forms_public import InterestForm, MapFilterForm, NearSearchForm, selection_ids
from ..hours import opening_hours_words
from ..models import Opportunity
from ..selectors import Criteria, PlaceKind, PlaceProblem

PAGE_SIZE = 10
# settings.RATE_LIMITS: 10 interests an hour from one address.
INTEREST_RATE_SCOPE = "opportunity_interest_ip"
# Where an imported item comes from, in words (else its source code as is).
SOURCE_NAMES = {
    "data-inclusion": "data·inclusion",
    "dora": "Dora",
    "lamednum": "LaMednum",
    "mediation-numerique": "la médiation numérique",
    "soliguide": "Soliguide",
    "lheo": "LHEO (Carif-Oref)",
    "france-travail": "France Travail",
    "csv": "un fichier",
}
# The search's place fields: a suggestion link replaces them, pagination keeps them.
_PLACE_KEYS = ("lieu", "qpv", "commune", "lat", "lon", "page")


class _ResultWindow:
    """What a Paginator needs: the total, and the one page of results already read."""

    def __init__(self, results: list, total: int, offset: int):
        self.results, self.total, self.offset = results, total, offset

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        return self.results[window.start - self.offset : window.stop - self.offset]


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _near_page(place, *, radius_km: int, criteria: Criteria, page_value):
    """One page of "near me" (three queries), as a Paginator page."""
    number = _page_number(page_value)
    results, total = selectors.opportunities_near(
        lat=place.lat,
        lon=place.lon,
        radius_km=radius_km,
        criteria=criteria,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    last = max(1, -(-total // PAGE_SIZE))
    if number > last:  # past the end: the last page
        number = last
        results, total = selectors.opportunities_near(
            lat=place.lat,
            lon=place.lon,
            radius_km=radius_km,
            criteria=criteria,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
    window = _ResultWindow(results, total, (number - 1) * PAGE_SIZE)
    return Paginator(window, PAGE_SIZE).page(number)


def _query_without(request, *keys: str, **changes) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _box_text(place) -> str:
    """What the place box shows once a place is chosen by a link (kept on a new search)."""
    if place.kind == PlaceKind.QPV:
        return f"{place.label} ({place.home_qpv_code})"
    return place.label


def _suggestion_links(request, answer) -> list[dict]:
    links = []
    for commune in answer.communes:
        text = f"{commune.name} ({commune.department_code})"
        links.append(
            {
                "label": text,
                "kind": _("commune"),
                "url": "?" + _query_without(request, *_PLACE_KEYS, lieu=text),
            }
        )
    for qpv in answer.qpvs:
        text = f"{qpv.name} ({qpv.code})"
        links.append(
            {
                "label": f"{qpv.name}, {qpv.commune_name or qpv.department_name}",
                "kind": _("quartier"),
                "url": "?" + _query_without(request, *_PLACE_KEYS, lieu=text),
            }
        )
    return links


def _problem_text(answer, typed: str) -> str:
    if answer.problem == PlaceProblem.CHOOSE:
        return _("Plusieurs communes portent ce nom. Choisissez la vôtre :")
    if answer.problem == PlaceProblem.UNPLACED:
        return _(
            "Nous ne savons pas encore situer cette commune. Choisissez votre quartier, "
            "ou tapez votre adresse."
        )
    if answer.problem == PlaceProblem.GEOCODER_OFF:
        return _(
            "Nous ne pouvons pas chercher les adresses en ce moment. Tapez plutôt votre "
            "commune, votre code postal ou le nom de votre quartier."
        )
    return _("Nous n'avons pas trouvé « %(typed)s ». Vérifiez, ou choisissez ci-dessous.") % {
        "typed": typed
    }


@require_GET
def search(request):
    """ "Près de chez moi": where she lives, how far, what; results nearest first."""
    form = NearSearchForm(request.GET if request.GET else None)
    selected = selection_ids(request.GET.getlist("ids"))
    context: dict = {
        "form": form,
        "selected_ids": selected,
        "page": None,
        "place": None,
        "problem": "",
        "suggestions": [],
        "for_me_open": form.for_me_used(),
        "filters_open": False,
        "geolocation_url": "",
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        context["filters_open"] = bool(
            data.get("type") or data.get("theme") or data["gratuit"] or data["facile"]
        )
        if not form.has_place():
            form.add_error(
                "lieu",
                _(
                    "Dites-nous où chercher : une adresse, une commune, un code postal "
                    "ou un quartier."
                ),
            )
        else:
            answer = selectors.search_place_resolve(
                text=data["lieu"],
                lat=data["lat"],
                lon=data["lon"],
                qpv_code=data["qpv"],
                commune_code=data["commune"],
            )
            if answer.place is None:
                context["problem"] = _problem_text(answer, data["lieu"])
                context["suggestions"] = _suggestion_links(request, answer)
            else:
                place = answer.place
                criteria = form.criteria(lives_in_qpv=place.lives_in_qpv)
                page = _near_page(
                    place,
                    radius_km=data["rayon"] or DEFAULT_RADIUS_KM,
                    criteria=criteria,
                    page_value=request.GET.get("page"),
                )
                for result in page.object_list:
                    explain.result_explain(
                        result, criteria=criteria, home_qpv_name=place.home_qpv_name
                    )
                if place.kind in (PlaceKind.QPV, PlaceKind.COMMUNE) and not data["lieu"]:
                    form.data = form.data.copy()
                    form.data["lieu"] = _box_text(place)
                context.update(
                    place=place,
                    page=page,
                    radius_km=data["rayon"] or DEFAULT_RADIUS_KM,
                    criteria=criteria,
                    page_ids={result.opportunity.pk for result in page.object_list},
                )
    context["answered"] = context["page"] is not None or bool(context["problem"])
    return render(request, "opportunities/search.html", context)


# --- An opportunity's page --------------------------------------------------------------


def _visible_opportunity(request, slug: str) -> Opportunity:
    opportunity = selectors.opportunity_get_by_slug(slug=slug)
    if opportunity is None or not permissions.can_view_opportunity(request.user, opportunity):
        raise Http404
    return opportunity


def _is_over(opportunity: Opportunity, today) -> bool:
    """Expired, or its deadline passed (before the nightly expiry catches it)."""
    if not opportunity.is_public:
        return True
    return bool(opportunity.deadline and opportunity.deadline < today)


def _is_mediator(user) -> bool:
    return bool(user.is_authenticated and OrganisationMembership.objects.filter(user=user).exists())


def _contact(opportunity: Opportunity) -> dict:
    """The ways to reach the provider that a page may show.

    An imported item gives what its source gives (phone, link, e-mail). A member's item
    never shows an e-mail address: the interest form relays the message.
    """
    structure = opportunity.structure if opportunity.structure_id else None
    phone = opportunity.contact_phone or (structure.phone if structure else "")
    link = opportunity.application_url or (structure.website if structure else "")
    email = ""
    if opportunity.is_imported or structure is not None:
        email = opportunity.contact_email or (structure.email if structure else "")
    return {"phone": phone, "link": link, "email": email}


def _how_to_go(
    opportunity: Opportunity, contact: dict, can_interest: bool, *, on_its_page: bool = True
) -> list[dict]:
    """Each way to go, with what it needs (an address, a number, a link).

    Elsewhere than on its page (the short list), the form is "on its page on the site"."""
    first_place = next((p for p in opportunity.places.all() if p.one_line), None)
    ways = []
    for code in opportunity.how_to_go:
        way: dict = {"code": code, "label": HowToGo(code).label}
        if code == HowToGo.COME:
            way["text"] = first_place.one_line if first_place else ""
        elif code == HowToGo.CALL:
            way["phone"] = contact["phone"]
        elif code == HowToGo.WRITE:
            if contact["email"]:
                way["email"] = contact["email"]
            elif can_interest and on_its_page:
                way["text"] = _("Avec le formulaire « Je suis intéressé·e » de cette page.")
            elif can_interest:
                way["text"] = _(
                    "Avec le formulaire « Je suis intéressé·e » de sa page sur Quartiers 4.0."
                )
        elif code == HowToGo.LINK:
            way["link"] = contact["link"]
        elif code == HowToGo.PROFESSIONAL:
            way["text"] = _(
                "Demandez à votre conseiller (France Travail, mission locale) ou à une "
                "assistante sociale de vous inscrire."
            )
        ways.append(way)
    return ways


def _eligibility(opportunity: Opportunity) -> list[str]:
    lines = []
    if opportunity.qpv_priority != QPVPriority.EVERYONE:
        lines.append(QPVPriority(opportunity.qpv_priority).label)
    age = explain.age_words(opportunity.age_min, opportunity.age_max)
    if age:
        lines.append(age[:1].upper() + age[1:])
    words = explain.situation_words()
    for code in opportunity.situations:
        text = words.get(code, "")
        if text:
            lines.append(text[:1].upper() + text[1:])
    if opportunity.level_required != Level.NONE:
        level = explain.level_words(opportunity.level_required)
        lines.append(level[:1].upper() + level[1:])
    else:
        lines.append(_("Pas besoin de diplôme"))
    return lines


def _source_name(opportunity: Opportunity) -> str:
    return SOURCE_NAMES.get(opportunity.source, opportunity.source)


def _detail_context(request, opportunity: Opportunity) -> dict:
    today = timezone.localdate()
    user = request.user
    is_over = _is_over(opportunity, today)
    can_interest = permissions.can_express_interest(user, opportunity) and not is_over
    contact = _contact(opportunity)
    structure = opportunity.structure if opportunity.structure_id else None
    places = list(opportunity.places.all())
    qpv_links = {
        place.pk: sorted(place.qpv_links.all(), key=lambda link: link.distance_m)
        for place in places
    }
    return {
        "opportunity": opportunity,
        "user": user,
        "today": today,
        "is_over": is_over,
        "can_interest": can_interest,
        "can_for_someone": can_interest
        and permissions.can_register_interest_for_someone(user, opportunity),
        "contact": contact,
        "structure": structure,
        "places": [{"place": place, "qpv_links": qpv_links[place.pk]} for place in places],
        "sessions": [
            session
            for session in opportunity.sessions.all()
            if (session.ends_on or session.starts_on) >= today
        ],
        "hours": opening_hours_words(
            opportunity.opening_hours or (structure.opening_hours if structure else "")
        ),
        "how_to_go": _how_to_go(opportunity, contact, can_interest),
        "eligibility": _eligibility(opportunity),
        "accessibility": [Accessibility(code).label for code in opportunity.accessibility],
        "accessibility_url": opportunity.accessibility_url
        or (structure.accessibility_url if structure else ""),
        "languages": [Language(code).label for code in opportunity.languages],
        "source_name": _source_name(opportunity) if opportunity.is_imported else "",
        "source_url": opportunity.source_url or (structure.source_url if structure else ""),
        "is_fictional": opportunity.is_fictional or bool(structure and structure.is_fictional),
        "cost_text": explain.cost_words(opportunity.cost),
    }


def _interest_initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {"name": user.display_name, "email": user.email}


@require_GET
@public_page_cache(depends=("opportunities", "territories", "members"))
def detail(request, slug: str):
    """The opportunity's page; for anonymous visitors from the shared cache (its interest
    form carries no CSRF token for them: see `interest`)."""
    opportunity = _visible_opportunity(request, slug)
    context = _detail_context(request, opportunity)
    if context["can_interest"]:
        context["interest_form"] = InterestForm(initial=_interest_initial(request.user))
    return render(request, "opportunities/detail.html", context)


# --- "Je suis intéressé·e" ----------------------------------------------------------------


def _interest_rate_limited(request):
    return rate_limit_check(request, (INTEREST_RATE_SCOPE, client_ip(request)))


@csrf_exempt
def interest(request, slug: str):
    """A message to the provider (her contact in it), or the provider's own ways for an
    imported item. A mediator registers a person with her consent (`?pour=autre`).

    A signed-in person's form is checked against CSRF as everywhere. A guest's form, on the
    opportunity's cached public page, carries no token (a token bound to one visitor cannot
    be in a page served to all): a forged one could only send to the provider a name and an
    address its author typed, which its author can send directly anyway, within the same
    rate limit per connection."""
    if request.user.is_authenticated:
        return _interest_signed_in(request, slug)
    return _interest(request, slug)


@require_http_methods(["GET", "POST"])
def _interest(request, slug: str):
    opportunity = _visible_opportunity(request, slug)
    context = _detail_context(request, opportunity)
    on_behalf = (request.POST or request.GET).get("pour") == "autre"
    if on_behalf and not context["can_for_someone"]:
        if request.method == "POST":
            raise PermissionDenied
        on_behalf = False
    context["on_behalf"] = on_behalf
    if request.GET.get("transmis") == "1":
        return render(request, "opportunities/interest_sent.html", context)
    if not context["can_interest"]:
        status = 200 if request.method == "GET" else 400
        return render(request, "opportunities/interest.html", context, status=status)
    initial = {} if on_behalf else _interest_initial(request.user)
    form = InterestForm(request.POST or None, initial=initial, on_behalf=on_behalf)
    context["form"] = form
    if request.method == "POST":
        limit = _interest_rate_limited(request)
        if limit.limited:
            minutes = max(1, round(limit.retry_after / 60))
            form.add_error(
                None,
                _("Trop de demandes envoyées. Réessayez dans %(minutes)s minute(s).")
                % {"minutes": minutes},
            )
            response = render(request, "opportunities/interest.html", context, status=429)
            response["Retry-After"] = str(limit.retry_after)
            return response
        if form.is_valid():
            data = form.cleaned_data
            user = request.user if request.user.is_authenticated else None
            try:
                services.interest_create(
                    opportunity=opportunity,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    message=data["message"],
                    person=None if on_behalf else user,
                    registered_by=user if on_behalf else None,
                    consent=bool(data.get("consent")),
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                query = {"transmis": "1", **({"pour": "autre"} if on_behalf else {})}
                url = reverse("opportunities:interest", kwargs={"slug": opportunity.slug})
                return redirect(f"{url}?{urlencode(query)}")
    return render(request, "opportunities/interest.html", context)


_interest_signed_in = csrf_protect(_interest)


# --- A mediator's short list --------------------------------------------------------------


@require_GET
def selection(request):
    """A printable short list: the address holds opportunity ids only, no personal data."""
    ids = selection_ids(request.GET.getlist("ids"))
    opportunities = selectors.opportunities_selection(ids=ids)
    today = timezone.localdate()
    items = []
    for opportunity in opportunities:
        contact = _contact(opportunity)
        structure = opportunity.structure if opportunity.structure_id else None
        items.append(
            {
                "opportunity": opportunity,
                "reasons": explain.explanation(opportunity),
                "is_over": _is_over(opportunity, today),
                "places": list(opportunity.places.all()),
                "how_to_go": _how_to_go(
                    opportunity,
                    contact,
                    permissions.can_express_interest(None, opportunity),
                    on_its_page=False,
                ),
                "hours": opening_hours_words(
                    opportunity.opening_hours or (structure.opening_hours if structure else "")
                ),
            }
        )
    canonical = reverse("opportunities:selection")
    if opportunities:
        canonical += "?" + urlencode({"ids": ",".join(str(o.pk) for o in opportunities)})
    share_url = request.build_absolute_uri(canonical)
    return render(
        request,
        "opportunities/selection.html",
        {
            "items": items,
            "missing": len(ids) - len(opportunities),
            "share_url": share_url,
            # mailto: wants %20 for spaces, not "+".
            "mailto": "mailto:?"
            + url_query(
                {"subject": _("Des opportunités pour vous"), "body": share_url}, quote_via=quote
            ),
            "search_url": reverse("opportunities:search")
            + ("?" + urlencode({"ids": [o.pk for o in opportunities]}, doseq=True) if ids else ""),
        },
    )


# --- The map ------------------------------------------------------------------------------


def _map_filtered(request):
    filters = MapFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    criteria = Criteria(
        kinds=(values["type"],) if values.get("type") else (),
        theme=values.get("theme") or "",
        free_only=bool(values.get("gratuit")),
        easy_to_read_only=bool(values.get("facile")),
    )
    opportunities = selectors.opportunities_filter(selectors.opportunities_public(), criteria)
    return filters, values, opportunities


@require_GET
@public_page_cache(depends=("opportunities", "territories", "members"))
def map_page(request):
    """The opportunities on the map of their QPVs; the page lists the same QPVs as text."""
    filters, values, opportunities = _map_filtered(request)
    data = selectors.opportunity_map_points(opportunities)
    query = _query_without(request, "page")
    return map_tiles_allowed(
        render(
            request,
            "opportunities/map.html",
            {
                "filters": filters,
                "is_filtered": any(values.values()) if values else False,
                "points": data["points"],
                "unplaced": data["unplaced"],
                "query": query,
                "map": {"data_url": f"{reverse('opportunities:map_data')}?{query}", **map_tiles()},
            },
        )
    )


@require_GET
@public_page_cache(depends=("opportunities", "territories", "members"))
def map_data(request):
    """The points of the map page, with the same filters: JSON for `core/points-map.js`."""
    _filters, _values, opportunities = _map_filtered(request)
    data = selectors.opportunity_map_points(opportunities)
    data["url_template"] = reverse("opportunities:detail", args=["SLUG"])
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response
