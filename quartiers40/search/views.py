"""The search results page: one box on every page leads here (GET, works without JavaScript)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import PUBLIC_TOPICS, public_page_cache

from .enums import DocumentKind
from .forms import SearchForm
from .selectors import SearchQuery, search_run
from .territory import place_named, qpv_label, territory_resolve


@public_page_cache(depends=PUBLIC_TOPICS)
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict = {"form": form, "results": None, "territory": None, "kinds": DocumentKind}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        territory = territory_resolve(data["ou"], radius_km=data["rayon"] or 10)
        query = SearchQuery(
            text=data["q"],
            kinds=tuple(data["type"]),
            state=data["etat"],
            qpv=data["qpv"] or territory.qpv,
            commune=data["commune"],
            department=data["departement"] or territory.department,
            around=territory.around,
            page=data["page"] or 1,
        )
        context["territory"] = territory
        if (query.text or query.narrowed) and not territory.problem:
            results = context["results"] = search_run(query)
            words = results.plan.words if results.plan else ()
            context["place_named"] = place_named(results.plan.place_label if results.plan else "")
            context["corrections"] = [
                (word.original, word.corrected) for word in words if word.corrected
            ]
        if data["qpv"]:
            context["qpv_filter"] = qpv_label(data["qpv"])
        context["query"] = query
    context["page_title"] = (
        _("Recherche : %(q)s") % {"q": form.cleaned_data["q"]}
        if form.is_bound and form.is_valid() and form.cleaned_data["q"]
        else _("Rechercher")
    )
    return render(request, "search/results.html", context)
