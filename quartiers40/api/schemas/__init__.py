"""Pydantic schemas of the API: one module per domain, shared pieces in `common`."""
