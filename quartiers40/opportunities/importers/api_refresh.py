"""Refresh what the data·inclusion API offers around the QPVs, with the files' mapping.

For each commune holding a QPV in force, every page of `/api/v1/search/services` is read
(`clients/data_inclusion.py`), each service is validated and mapped like a file's row
(`data_inclusion.record_read` / `service_item`), and written by the same runner, one
transaction per commune. Missing items are withdrawn only when every commune was read in
full: a refresh cut short (timeout, 5xx, refused token) withdraws nothing.
"""

from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.territories.models import QPV

from ..clients.data_inclusion import ApiStatus, conf, services_search
from . import data_inclusion
from .base import Row, RowError, Unit
from .runner import ImportReport, units_import

SOURCE = data_inclusion.FORMAT  # the same items as the files of data·inclusion


def qpv_communes() -> list[str]:
    codes: set[str] = set()
    for commune_codes in QPV.objects.current().values_list("commune_codes", flat=True):
        codes.update(code for code in commune_codes or () if code)
    return sorted(codes)


def _rows(records, *, seen: set[str]) -> Iterator[Row]:
    for index, record in enumerate(records, start=1):
        where = _("service %(n)s") % {"n": index}
        model, notes, errors = data_inclusion.record_read(record.service)
        identifier = str(record.service.get("id") or "")
        if identifier and identifier in seen:
            continue  # already read for another commune
        if identifier:
            seen.add(identifier)
        structure = None
        if not errors and model is not None and record.structure:
            structure, _notes, structure_errors = data_inclusion.record_read(record.structure)
            if structure_errors:
                notes.append(_("structure ignorée : %(why)s") % {"why": " ".join(structure_errors)})
                structure = None
        if errors or model is None:
            yield Row(
                where, error=RowError(where, " ".join(errors), identifier), notes=tuple(notes)
            )
            continue
        item = data_inclusion.service_item(model, structure, source=SOURCE)
        yield Row(where, item=item, notes=tuple(notes))


def opportunities_refresh(
    *, communes: list[str] | None = None, now: datetime | None = None, dry_run: bool = False
) -> ImportReport:
    now = now or timezone.now()
    report = ImportReport(
        format="data-inclusion-api", source=SOURCE, dry_run=dry_run, partial=False
    )
    if not conf.ENABLED:
        report.partial = True
        report.withdrawal_skipped = _("l'API data·inclusion est désactivée")
        return report
    units: list[Unit] = []
    seen: set[str] = set()
    failures: list[str] = []
    for code in qpv_communes() if communes is None else communes:
        result = services_search(code_commune=code)
        if result.status != ApiStatus.OK or not result.complete:
            failures.append(f"{code} ({result.error or result.status})")
            if result.status == ApiStatus.UNAUTHORIZED:
                break  # every other commune would be refused too
        records = result.records
        units.append(
            Unit(
                name=_("commune %(code)s") % {"code": code},
                total=len(records),
                rows=lambda records=records: _rows(records, seen=seen),
            )
        )
    if failures:
        report.partial = True
        report.withdrawal_skipped = _("l'API n'a pas tout donné : %(list)s") % {
            "list": ", ".join(failures)
        }
    return units_import(report, units, now=now)
