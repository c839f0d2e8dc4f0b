from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from quartiers40.observatory.quarters import Quarter, quarter_range, quarters_back


def test_quarter_of_a_date_and_an_aware_datetime():
    assert Quarter.of(date(2026, 12, 31)) == Quarter(2026, 4)
    assert Quarter.of(date(2026, 1, 1)) == Quarter(2026, 1)
    # 31 March 23:30 in UTC is already 1 April in Paris.
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=timezone.get_fixed_timezone(0))
    assert Quarter.of(moment) == Quarter(2026, 2)


def test_bounds_labels_slugs_and_steps():
    quarter = Quarter(2026, 4)
    assert quarter.start == timezone.make_aware(datetime(2026, 10, 1))
    assert quarter.end == timezone.make_aware(datetime(2027, 1, 1))
    assert quarter.slug == "2026-t4"
    assert Quarter.from_slug("2026-t4") == quarter
    assert Quarter.from_slug("2026-t5") is None
    assert quarter.previous() == Quarter(2026, 3)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert quarter.next() == Quarter(2027, 1)
    assert quarter.label == "T4 2026"
    with pytest.raises(ValueError):
        Quarter(2026, 5)


def test_label_is_translated():
    with translation.override("en"):
        assert Quarter(2026, 4).label in {"T4 2026", "Q4 2026"}


def test_ranges():
    assert [q.slug for q in quarter_range(Quarter(2025, 3), Quarter(2026, 1))] == [
        "2025-t3",
        "2025-t4",
        "2026-t1",
    ]
    assert list(quarter_range(Quarter(2026, 1), Quarter(2025, 1))) == []
    assert quarters_back(3, last=Quarter(2026, 1)) == [
        Quarter(2025, 3),
        Quarter(2025, 4),
        Quarter(2026, 1),
    ]
