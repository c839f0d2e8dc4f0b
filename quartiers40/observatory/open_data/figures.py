"""Open data: the observatory's figures per QPV and quarter, as CSV and JSON.

One row per figure of a QPV for one quarter (`Figure` rows of scope "qpv" with a period;
the all-time totals are in the dashboards): which QPV, which quarter, what is counted and
its detail ("total" for the whole), the value. A count about people under 5 (registrants,
people present, interests of residents) is never published: its value reads « moins de 5 »,
declared a missing value in the Table Schema (`docs/schemas/observatory-qpv-quarter.schema
.json`, written from `table_schema()`; a test keeps the file and the code in step), and
`small_count` says so for a program. The file is French, whatever the visitor's language.
"""

from collections.abc import Iterable, Iterator

from django.utils import translation

from quartiers40.core.opendata import rows_csv, timestamp
from quartiers40.territories.selectors import qpvs_current

from ..enums import Metric, ScopeKind
from ..figures import ABOUT_PEOPLE
from ..models import TOTAL, Figure
from ..privacy import is_hidden, small_count_text
from ..quarters import Quarter
from ..selectors import latest_refresh
from .schema import Column
from .schema import table_schema as schema_of

SCHEMA_PATH = "docs/schemas/observatory-qpv-quarter.schema.json"
TOTAL_CODE = "total"

COLUMNS: tuple[Column, ...] = (
    (
        "qpv_code",
        "string",
        "Code du quartier prioritaire (référentiel de l'ANCT).",
        {"required": True},
    ),
    ("qpv_name", "string", "Nom du quartier prioritaire.", {}),
    (
        "quarter",
        "string",
        "Trimestre, « AAAA-tN » (2026-t4 : octobre à décembre 2026).",
        {"required": True, "pattern": r"^\d{4}-t[1-4]$"},
    ),
    ("quarter_start", "date", "Premier jour du trimestre.", {"required": True}),
    (
        "metric",
        "string",
        "Ce qui est compté (code, voir docs/observatory.md).",
        {"required": True, "enum": list(Metric.values)},
    ),
    ("metric_label", "string", "Ce qui est compté, en mots.", {"required": True}),
    (
        "dimension",
        "string",
        "Le détail (un type, une étape, un statut : code) ; « total » pour l'ensemble.",
        {"required": True},
    ),
    (
        "value",
        "integer",
        "La valeur. « moins de 5 » pour un nombre de personnes inférieur à 5, jamais publié "
        "(règle des petits effectifs).",
        {"minimum": 0},
    ),
    (
        "small_count",
        "boolean",
        "Vrai quand la valeur est un nombre de personnes inférieur à 5, non publié.",
        {"required": True},
    ),
    ("computed_at", "datetime", "Date du calcul des chiffres (UTC).", {"required": True}),
)
COLUMN_NAMES = [name for name, *_rest in COLUMNS]
PRIMARY_KEY = ["qpv_code", "quarter", "metric", "dimension"]


def table_schema() -> dict:
    with translation.override("fr"):
        hidden = small_count_text()
    schema = schema_of(
        COLUMNS,
        title="Chiffres de l'observatoire Quartiers 4.0 par quartier prioritaire et trimestre",
        description="Export CSV des chiffres de l'observatoire : UTF-8, virgule, une ligne "
        "d'en-tête, une ligne par chiffre d'un quartier pour un trimestre. Les nombres de "
        f"personnes inférieurs à 5 sont écrits « {hidden} ».",
    )
    schema["primaryKey"] = PRIMARY_KEY
    schema["missingValues"] = ["", hidden]
    return schema


def qpv_quarter_figures() -> Iterator[tuple[str, str, str, str, int]]:
    """(QPV code, quarter slug, metric, dimension, value) of every QPV figure by quarter, in
    the file's order, read in chunks (a grown site has hundreds of thousands)."""
    return (
        Figure.objects.filter(scope_kind=ScopeKind.QPV)
        .exclude(period="")
        .order_by("scope_code", "period", "metric", "dimension")
        .values_list("scope_code", "period", "metric", "dimension", "value")
        .iterator(chunk_size=5000)
    )


def figure_rows(figures: Iterable[tuple[str, str, str, str, int]]) -> Iterator[dict]:
    refreshed = latest_refresh()
    computed_at = timestamp(refreshed.finished_at) if refreshed else None
    names = dict(qpvs_current().values_list("code", "name"))
    with translation.override("fr"):
        labels = {value: str(label) for value, label in Metric.choices}
        hidden_text = small_count_text()
        for code, period, metric, dimension, value in figures:
            quarter = Quarter.from_slug(period)
            if quarter is None:
                continue
            hidden = is_hidden(value, about_people=metric in ABOUT_PEOPLE)
            yield {
                "qpv_code": code,
                "qpv_name": names.get(code, ""),
                "quarter": quarter.slug,
                "quarter_start": quarter.first_day.isoformat(),
                "metric": metric,
                "metric_label": labels.get(metric, metric),
                "dimension": dimension if dimension != TOTAL else TOTAL_CODE,
                "value": hidden_text if hidden else value,
                "small_count": hidden,
                "computed_at": computed_at,
            }


def figures_csv() -> str:
    return rows_csv(figure_rows(qpv_quarter_figures()), COLUMN_NAMES)


def figures_json() -> list[dict]:
    return list(figure_rows(qpv_quarter_figures()))
