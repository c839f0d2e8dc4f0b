"""Dashboards, coverage and the quarterly report, under `observatoire/`."""

from django.urls import path

from .enums import ScopeKind
from .views import dashboards

app_name = "observatory"

_SCOPES = (
    ("region", ScopeKind.REGION),
    ("departement", ScopeKind.DEPARTMENT),
    ("commune", ScopeKind.COMMUNE),
    ("qpv", ScopeKind.QPV),
    ("theme", ScopeKind.THEME),
)

urlpatterns = [
    path("", dashboards.dashboard, {"kind": ScopeKind.NATIONAL}, name="national"),
    path(
        "chiffres.csv",
        dashboards.dashboard_csv,
        {"kind": ScopeKind.NATIONAL},
        name="national_csv",
    ),
    path("couverture/", dashboards.coverage, name="coverage"),
    path("couverture/points.json", dashboards.coverage_points, name="coverage_points"),
    path("couverture/quartiers.csv", dashboards.coverage_csv, name="coverage_csv"),
]
for prefix, kind in _SCOPES:
    urlpatterns += [
        path(f"{prefix}/<str:code>/", dashboards.dashboard, {"kind": kind}, name=kind),
        path(
            f"{prefix}/<str:code>/chiffres.csv",
            dashboards.dashboard_csv,
            {"kind": kind},
            name=f"{kind}_csv",
        ),
    ]
