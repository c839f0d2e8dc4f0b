"""The frictionless Table Schema of a CSV export, from its list of columns.

The same shape as the projects', défis' and opportunities' schemas (`<app>/exports.py`):
one `(name, type, description, constraints)` tuple per column, in the CSV's order;
timestamps in UTC as `core.opendata.TIMESTAMP_FORMAT`, booleans written `true`/`false`.
"""

from collections.abc import Iterable

from quartiers40.core.opendata import TIMESTAMP_FORMAT

Column = tuple[str, str, str, dict]


def table_schema(
    columns: Iterable[Column],
    *,
    title: str,
    description: str,
    uri_columns: Iterable[str] = (),
    primary_key: str = "id",
) -> dict:
    uris = set(uri_columns)
    fields = []
    for name, kind, text, constraints in columns:
        field: dict = {"name": name, "type": kind, "description": text}
        if kind == "string" and name in uris:
            field["format"] = "uri"
        if kind == "datetime":
            field["format"] = TIMESTAMP_FORMAT
        if kind == "boolean":
            field["trueValues"] = ["true"]
            field["falseValues"] = ["false"]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "title": title,
        "description": description,
        "fields": fields,
        "primaryKey": [primary_key],
        "missingValues": [""],
    }
