"""/observatory/: the observatory's figures, as on the dashboards.

GET    /observatory/{kind}/{code}/    every figure of a scope (national: code "fr"), with
                                      its trend by quarter; counts of people under 5 are
                                      "moins de 5"
"""

from django.http import HttpRequest
from ninja import Router

from quartiers40.observatory.enums import ScopeKind
from quartiers40.observatory.selectors import dashboard_get, dashboard_rows, scope_get

from ..errors import ApiError
from ..schemas.common import ErrorOut
from ..schemas.observatory import FiguresOut

router = Router(tags=["Observatoire"])
NATIONAL_CODE = "fr"


@router.get(
    "/{kind}/{code}/",
    response={200: FiguresOut, 404: ErrorOut, 429: ErrorOut},
    summary="Les chiffres d'un territoire ou d'un thème",
    description="`kind`: national (code `fr`), region, department, commune (code INSEE), "
    "qpv, theme. Chaque chiffre est donné depuis le début (`period` vide) et par trimestre.",
)
def figures_of_scope(request: HttpRequest, kind: str, code: str):
    if kind not in ScopeKind.values:
        raise ApiError(status=404)
    scope = scope_get(kind, "" if kind == ScopeKind.NATIONAL else code)
    if scope is None or (kind == ScopeKind.NATIONAL and code != NATIONAL_CODE):
        raise ApiError(status=404)
    board = dashboard_get(scope)
    return {
        "scope": {"kind": scope.kind, "code": scope.code or NATIONAL_CODE, "name": scope.name},
        "refreshed_at": board.refreshed.finished_at if board.refreshed else None,
        "quarters": [quarter.slug for quarter in board.quarters],
        "solved_share": board.solved_share,
        "figures": list(dashboard_rows(board)),
    }
