"""PostgreSQL: the titles and tags alone in a tsvector of their own, with its own GIN index,
for the queries whose words are in too many documents to score them all (stage 1's
`head_only`; SQLite's FTS5 restricts a query to columns by itself); and a small vector that
stage 1 ranks on."""

from django.db import migrations

FORWARD = [
    """ALTER TABLE search_searchdocument ADD COLUMN head_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', tag_terms), 'B')
        ) STORED""",
    "CREATE INDEX search_doc_head_vector ON search_searchdocument USING gin (head_vector)",
    # What stage 1 ranks on: the title, tags, places and the start of the body, small enough
    # to stay in the row (ranking on search_vector reads each body out of TOAST).
    """ALTER TABLE search_searchdocument ADD COLUMN rank_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', tag_terms), 'B')
            || setweight(to_tsvector('simple', place_terms), 'C')
            || setweight(to_tsvector('simple', left(body_terms, 600)), 'D')
        ) STORED""",
]
BACKWARD = [
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS rank_vector",
    "DROP INDEX IF EXISTS search_doc_head_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS head_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
