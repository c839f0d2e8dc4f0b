"""The dashboards (national, region, department, commune, QPV, theme) and the coverage
page: thin views over selectors.py, cached for anonymous visitors under the "observatory"
topic (bumped by each refresh of the figures)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from quartiers40.core.maps import map_tiles, map_tiles_allowed
from quartiers40.core.pagecache import public_page_cache
from quartiers40.core.spreadsheet import spreadsheet_response
from quartiers40.territories.reference import DEPARTMENTS, REGIONS

from .. import selectors
from ..charts import block_chart_svg
from ..enums import ScopeKind
from ..services import TOPIC

DEPENDS = (TOPIC, "territories")
COVERAGE_PAGE_SIZE = 200


def scope_url(kind: str, code: str = "") -> str:
    if kind == ScopeKind.NATIONAL:
        return reverse("observatory:national")
    return reverse(f"observatory:{kind}", kwargs={"code": code})


def _scope_or_404(kind: str, code: str) -> selectors.Scope:
    scope = selectors.scope_get(kind, code)
    if scope is None:
        raise Http404(_("Ce territoire n'existe pas."))
    return scope


@public_page_cache(depends=DEPENDS)
@require_GET
def dashboard(request: HttpRequest, kind: str, code: str = "") -> HttpResponse:
    scope = _scope_or_404(kind, code)
    board = selectors.dashboard_get(scope)
    charts = {block.metric: block_chart_svg(block) for block in board.blocks.values() if block.any}
    sections = [
        (key, title, [(block, charts.get(block.metric, "")) for block in blocks])
        for key, title, blocks in board.sections
    ]
    parents = [(name, scope_url(kind, code)) for kind, code, name in scope.parents]
    return render(
        request,
        "observatory/dashboard.html",
        {
            "scope": scope,
            "board": board,
            "sections": sections,
            "parents": parents,
            "csv_url": f"{request.path}chiffres.csv",
            "coverage_url": _coverage_url_for(scope),
        },
    )


def _coverage_url_for(scope: selectors.Scope) -> str:
    url = reverse("observatory:coverage")
    if scope.kind == ScopeKind.DEPARTMENT:
        return f"{url}?departement={scope.code}"
    if scope.kind == ScopeKind.REGION:
        return f"{url}?region={scope.code}"
    return url


@require_GET
def dashboard_csv(request: HttpRequest, kind: str, code: str = "") -> HttpResponse:
    """The figures of a dashboard, for a spreadsheet (counts of people under the rule)."""
    scope = _scope_or_404(kind, code)
    board = selectors.dashboard_get(scope)
    header = [
        _("mesure"),
        _("détail"),
        _("trimestre"),
        _("valeur"),
        _("code mesure"),
        _("code détail"),
    ]
    rows = [header] + [
        [
            row["metric_label"],
            row["dimension_label"],
            row["period"] or _("depuis le début"),
            row["value"],
            row["metric"],
            row["dimension"],
        ]
        for row in selectors.dashboard_rows(board)
    ]
    return spreadsheet_response(rows, filename=f"observatoire-{scope.slug}.csv", delimiter=";")


# --- coverage ---------------------------------------------------------------------------


def _coverage_filters(request: HttpRequest) -> tuple[str, str]:
    department = request.GET.get("departement", "").strip().upper()
    region = request.GET.get("region", "").strip()
    return (
        department if department in DEPARTMENTS else "",
        region if region in REGIONS else "",
    )


@public_page_cache(depends=DEPENDS)
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    department, region = _coverage_filters(request)
    qpvs = selectors.coverage_qpvs(department=department, region=region)
    empty, total = selectors.coverage_counts(department=department, region=region)
    filters = request.GET.copy()
    filters.pop("page", None)
    query = filters.urlencode()
    return map_tiles_allowed(
        render(
            request,
            "observatory/coverage.html",
            {
                "page": Paginator(qpvs, COVERAGE_PAGE_SIZE).get_page(request.GET.get("page")),
                "empty_count": empty,
                "total_count": total,
                "waiting": selectors.challenges_waiting_longest(
                    department=department, region=region
                ),
                "department": department,
                "region": region,
                "departments": sorted(
                    ((code, name) for code, (name, _region) in DEPARTMENTS.items()),
                    key=lambda item: item[0],
                ),
                "regions": sorted(REGIONS.items(), key=lambda item: item[1]),
                "csv_url": reverse("observatory:coverage_csv") + (f"?{query}" if query else ""),
                "map": {
                    "data_url": reverse("observatory:coverage_points")
                    + (f"?{query}" if query else ""),
                    **map_tiles(),
                },
            },
        )
    )


@public_page_cache(depends=DEPENDS)
@require_GET
def coverage_points(request: HttpRequest) -> JsonResponse:
    department, region = _coverage_filters(request)
    data = selectors.coverage_map_points(
        selectors.coverage_qpvs(department=department, region=region)
    )
    data["url_template"] = reverse("territories:detail", args=["SLUG"])
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def coverage_csv(request: HttpRequest) -> HttpResponse:
    """The QPVs with nothing yet, for a local authority's spreadsheet."""
    department, region = _coverage_filters(request)
    header = [_("code"), _("quartier"), _("communes"), _("département"), _("région"), _("page")]
    rows = [header] + [
        [
            qpv.code,
            qpv.name,
            ", ".join(qpv.commune_list),
            qpv.department_name or qpv.department_code,
            qpv.region_name or qpv.region_code,
            request.build_absolute_uri(reverse("territories:detail", args=[qpv.code])),
        ]
        for qpv in selectors.coverage_qpvs(department=department, region=region)
    ]
    suffix = department or (f"region-{region}" if region else "france")
    return spreadsheet_response(rows, filename=f"quartiers-sans-rien-{suffix}.csv", delimiter=";")
