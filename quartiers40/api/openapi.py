"""What ninja leaves out of the OpenAPI document, added in one place for every operation.

- Every operation may answer 400 in the error format: a body that is not JSON, a request
  Django refuses (an oversized upload, a malformed header).
- A response declared with another media type (`openapi_extra`, `{GEOJSON: {}}`,
  `{"text/csv": {}}`) is sent with that type only: the schema ninja put under
  `application/json` moves there.
"""

from typing import Any

JSON = "application/json"
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}
BAD_REQUEST = {
    "description": "Bad Request: corps illisible (JSON invalide) ou requête refusée.",
    "content": {JSON: {"schema": ERROR_SCHEMA}},
}


def openapi_document_complete(schema: dict[str, Any]) -> None:
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if 400 not in responses and "400" not in responses:
                responses[400] = BAD_REQUEST
            for response in responses.values():
                _one_media_type(response)


def _one_media_type(response: dict[str, Any]) -> None:
    content = response.get("content") or {}
    others = [media_type for media_type in content if media_type != JSON]
    if JSON not in content or not others:
        return
    json_schema = content.pop(JSON).get("schema")
    for media_type in others:
        if json_schema is not None and not content[media_type].get("schema"):
            content[media_type]["schema"] = json_schema
