"""What an app's public item looks like to the search: one record per item, built by
`sources` from the other apps' selectors."""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class SearchSource:
    kind: str  # DocumentKind
    object_id: int
    url: str
    title: str
    summary: str  # shown on the result card, at most ~300 characters
    body: str  # every other searchable text (description, problem, results, minutes…)
    tags: tuple[str, ...] = ()  # labels in French: themes, categories, audiences, kind
    places: tuple[str, ...] = ()  # place names, most specific first: QPV, commune, department
    place_label: str = ""  # shown on the card: "Franc-Moisin, Saint-Denis"
    qpv_codes: tuple[str, ...] = ()
    commune_codes: tuple[str, ...] = ()  # INSEE codes
    department_codes: tuple[str, ...] = ()
    point: tuple[float, float] | None = None  # (lat, lon)
    state: str = "active"  # DocumentState
    # The item's own status as its French message id ("Ouvert", "Résolu", "Inscriptions jusqu'au
    # %(date)s"): sources are built with no language active, and the label is translated when
    # shown (`SearchHit.status_text`), with `status_date` formatted in the visitor's language.
    status_label: str = ""
    status_date: date | None = None
    updated_at: datetime | None = None
    extra: dict = field(default_factory=dict)  # kind-specific display data (date of a meeting…)
