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

# The quarterly impact report (reports/): the archive, a report's page and PDF at stable
# addresses, and the coordination team's editorial form.
from django.urls import re_path  # noqa: E402

from .reports import views as reports  # noqa: E402

_QUARTER = r"(?P<quarter>\d{4}-t[1-4])"
urlpatterns += [
    path("rapports/", reports.report_list, name="reports"),
    path("rapports/preparer/", reports.report_prepare, name="report_prepare"),
    re_path(rf"^rapports/{_QUARTER}/$", reports.report_detail, name="report"),
    re_path(rf"^rapports/{_QUARTER}\.pdf$", reports.report_pdf, name="report_pdf"),
    re_path(rf"^rapports/{_QUARTER}/modifier/$", reports.report_edit, name="report_edit"),
    re_path(rf"^rapports/{_QUARTER}/publier/$", reports.report_publish, name="report_publish"),
    re_path(
        rf"^rapports/{_QUARTER}/chiffres/$",
        reports.report_figures_retake,
        name="report_figures_retake",
    ),
]
