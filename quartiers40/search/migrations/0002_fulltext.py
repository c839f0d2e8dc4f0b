"""The database's own full-text index over the analysed terms of each document.

SQLite: an external-content FTS5 table kept in step by triggers (bm25 ranking).
PostgreSQL: a generated tsvector column ('simple' configuration: the terms are already
analysed by the engine), weighted title > tags > places > body, with a GIN index.
"""

from django.db import migrations

TERM_COLUMNS = "title_terms, tag_terms, body_terms, place_terms"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_fts USING fts5({TERM_COLUMNS},
        content='search_searchdocument', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0")""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {TERM_COLUMNS})
        VALUES (new.id, new.title_terms, new.tag_terms, new.body_terms, new.place_terms);
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {TERM_COLUMNS})
        VALUES ('delete', old.id, old.title_terms, old.tag_terms, old.body_terms, old.place_terms);
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE OF {TERM_COLUMNS} ON search_searchdocument
    BEGIN
        INSERT INTO search_fts(search_fts, rowid, {TERM_COLUMNS})
        VALUES ('delete', old.id, old.title_terms, old.tag_terms, old.body_terms, old.place_terms);
        INSERT INTO search_fts(rowid, {TERM_COLUMNS})
        VALUES (new.id, new.title_terms, new.tag_terms, new.body_terms, new.place_terms);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', tag_terms), 'B')
            || setweight(to_tsvector('simple', place_terms), 'C')
            || setweight(to_tsvector('simple', body_terms), 'D')
        ) STORED""",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
