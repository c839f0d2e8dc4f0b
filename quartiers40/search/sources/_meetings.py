"""What the meetings kinds share (editions, agenda items, minutes): where and when."""

import re
from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.meetings.enums import EditionFormat, EditionStatus
from quartiers40.meetings.models import Edition
from quartiers40.territories.selectors import communes_named
from quartiers40.territories.text import search_text

from ..enums import DocumentState
from ._common import Places, department_of_commune, places_of

# "6 rue de la République, 93200 Saint-Denis": the last postcode and the words after it.
_POSTCODE_AND_TOWN = re.compile(r"(?<!\d)(\d{5})\s+([^\d,;()]+)")


def address_town(address: str) -> tuple[str, str]:
    """(postcode, commune name) written in an address, ("", "") when there is none."""
    matches = _POSTCODE_AND_TOWN.findall(address or "")
    if not matches:
        return "", ""
    postcode, town = matches[-1]
    town = re.sub(r"\s+cedex(\s+\d+)?$", "", town.strip(), flags=re.IGNORECASE).strip(" -.")
    return postcode, town


def editions_places(editions: Iterable[Edition]) -> dict[int, Places]:
    """Where each edition takes place, from the commune its address names (one query for
    all of them: the communes so named). An edition has no coordinates: no point."""
    editions = list(editions)
    towns = {edition.pk: address_town(edition.address) for edition in editions}
    communes: dict[str, list] = {}
    for commune in communes_named([search_text(town) for _postcode, town in towns.values()]):
        communes.setdefault(commune.search_name, []).append(commune)
    found = {}
    for edition in editions:
        postcode, town = towns[edition.pk]
        if edition.format == EditionFormat.ONLINE or not town:
            label = _("En ligne") if edition.format == EditionFormat.ONLINE else ""
            found[edition.pk] = Places(place_label=label)
            continue
        commune = _commune_for(communes.get(search_text(town), []), postcode)
        if commune is not None:
            code = commune.parent_code or commune.code
            where = places_of(
                [],
                commune_names=[commune.name],
                commune_codes=[code],
                department_codes=[commune.department_code],
            )
        else:
            department = "" if postcode.startswith("20") else department_of_commune(postcode)
            where = places_of([], commune_names=[town], department_codes=[department])
        found[edition.pk] = where
    return found


def _commune_for(candidates: list, postcode: str):
    """The commune of this postcode among those so named (else one of its department)."""
    for commune in candidates:
        if postcode in (commune.postcodes or []):
            return commune
    department = department_of_commune(postcode)
    same_department = [c for c in candidates if c.department_code == department]
    return same_department[0] if len(same_department) == 1 else None


def edition_state(edition: Edition, *, now: datetime | None = None) -> tuple[str, str]:
    """(DocumentState, status label): cancelled and past editions are over."""
    now = now or timezone.now()
    if edition.status == EditionStatus.CANCELLED:
        return DocumentState.CLOSED.value, str(EditionStatus.CANCELLED.label)
    if edition.ends_at < now:
        return DocumentState.CLOSED.value, _("Passée")
    return DocumentState.ACTIVE.value, _("À venir")


def edition_when(edition: Edition) -> dict:
    return {
        "starts_at": edition.starts_at.isoformat(),
        "ends_at": edition.ends_at.isoformat(),
    }
