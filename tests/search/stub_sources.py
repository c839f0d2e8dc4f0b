"""A kind source made of records in memory, to test the index without the other apps."""

from dataclasses import replace
from datetime import datetime

from quartiers40.search.records import SearchSource


class MemorySource:
    topics = ("projects",)

    def __init__(self, kind: str, records: list[SearchSource] | None = None) -> None:
        self.kind = kind
        self.records = {record.object_id: record for record in records or []}
        self.stamp_of: dict[int, datetime | None] = {}

    def put(self, record: SearchSource, stamp: datetime | None = None) -> None:
        # As the real sources: the record carries the same timestamp as its stamp.
        self.records[record.object_id] = replace(record, updated_at=stamp)
        self.stamp_of[record.object_id] = stamp

    def remove(self, object_id: int) -> None:
        self.records.pop(object_id, None)

    def stamps(self):
        return ((pk, self.stamp_of.get(pk)) for pk in self.records)

    def build(self, ids):
        return [self.records[pk] for pk in ids if pk in self.records]


def record(object_id: int, title: str, body: str = "", **fields) -> SearchSource:
    defaults = {
        "kind": "project",
        "url": f"/projets/p{object_id}/",
        "summary": "",
        "tags": (),
        "places": (),
    }
    defaults.update(fields)
    return SearchSource(object_id=object_id, title=title, body=body, **defaults)
