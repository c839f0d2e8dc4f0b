"""PostgreSQL: stage 1 reads a narrow table of its own, `search_rank`, kept by triggers.

The vectors used to be generated columns of the documents' table (0002, 0003), whose rows
are wide (the analysed body, the reranking data): PostgreSQL moved the ranking vector out
of the row (TOAST), and scoring 17,000 matches read 80,000 buffers (110-400 ms at 100,000
documents). Here each document has one narrow row: what the filters read (type, state,
codes, point) and its three vectors, the ranking one kept in the row (STORAGE MAIN); 24 ms
for the same query. Triggers keep it in step with every write to the documents (inserts,
bulk updates, deletes, and the TRUNCATE of the test runner's flush), as FTS5's triggers do
on SQLite. Nothing to do on SQLite.
"""

from django.db import migrations

VECTORS = """
    setweight(to_tsvector('simple', {row}.title_terms), 'A')
    || setweight(to_tsvector('simple', {row}.tag_terms), 'B')
    || setweight(to_tsvector('simple', {row}.place_terms), 'C')
    || setweight(to_tsvector('simple', {row}.body_terms), 'D'),
    setweight(to_tsvector('simple', {row}.title_terms), 'A')
    || setweight(to_tsvector('simple', {row}.tag_terms), 'B'),
    setweight(to_tsvector('simple', {row}.title_terms), 'A')
    || setweight(to_tsvector('simple', {row}.tag_terms), 'B')
    || setweight(to_tsvector('simple', {row}.place_terms), 'C')
    || setweight(to_tsvector('simple', left({row}.body_terms, 600)), 'D')
"""
COLUMNS = (
    "id, kind, state, qpv_codes, commune_codes, department_codes, latitude, longitude, "
    "search_vector, head_vector, rank_vector"
)
FILTER_COLUMNS = "{row}.id, {row}.kind, {row}.state, {row}.qpv_codes, {row}.commune_codes, " \
    "{row}.department_codes, {row}.latitude, {row}.longitude"

FORWARD = [
    """CREATE TABLE search_rank (
        id bigint PRIMARY KEY,
        kind varchar(20) NOT NULL,
        state varchar(10) NOT NULL,
        qpv_codes jsonb NOT NULL,
        commune_codes jsonb NOT NULL,
        department_codes jsonb NOT NULL,
        latitude double precision,
        longitude double precision,
        search_vector tsvector NOT NULL,
        head_vector tsvector NOT NULL,
        rank_vector tsvector NOT NULL
    )""",
    # In the row, compressed if need be: the point of the table.
    "ALTER TABLE search_rank ALTER COLUMN rank_vector SET STORAGE MAIN",
    f"""CREATE FUNCTION search_rank_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO search_rank ({COLUMNS})
        VALUES ({FILTER_COLUMNS.format(row="NEW")}, {VECTORS.format(row="NEW")})
        ON CONFLICT (id) DO UPDATE SET
            kind = EXCLUDED.kind, state = EXCLUDED.state, qpv_codes = EXCLUDED.qpv_codes,
            commune_codes = EXCLUDED.commune_codes,
            department_codes = EXCLUDED.department_codes, latitude = EXCLUDED.latitude,
            longitude = EXCLUDED.longitude, search_vector = EXCLUDED.search_vector,
            head_vector = EXCLUDED.head_vector, rank_vector = EXCLUDED.rank_vector;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_rank_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_rank WHERE id = OLD.id;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION search_rank_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_rank;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_rank_write AFTER INSERT OR UPDATE ON search_searchdocument
        FOR EACH ROW EXECUTE FUNCTION search_rank_write()""",
    """CREATE TRIGGER search_rank_delete AFTER DELETE ON search_searchdocument
        FOR EACH ROW EXECUTE FUNCTION search_rank_delete()""",
    """CREATE TRIGGER search_rank_truncate AFTER TRUNCATE ON search_searchdocument
        FOR EACH STATEMENT EXECUTE FUNCTION search_rank_truncate()""",
    f"""INSERT INTO search_rank ({COLUMNS})
        SELECT {FILTER_COLUMNS.format(row="d")}, {VECTORS.format(row="d")}
        FROM search_searchdocument d""",
    "CREATE INDEX search_rank_vector ON search_rank USING gin (search_vector)",
    "CREATE INDEX search_rank_head_vector ON search_rank USING gin (head_vector)",
    "CREATE INDEX search_rank_kind_state ON search_rank (kind, state)",
    # The generated columns of 0002 and 0003 (and their indexes) are not read any more.
    "ALTER TABLE search_searchdocument DROP COLUMN rank_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN head_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN search_vector",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS search_rank_truncate ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_rank_delete ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_rank_write ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_rank_truncate()",
    "DROP FUNCTION IF EXISTS search_rank_delete()",
    "DROP FUNCTION IF EXISTS search_rank_write()",
    "DROP TABLE IF EXISTS search_rank",
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', tag_terms), 'B')
            || setweight(to_tsvector('simple', place_terms), 'C')
            || setweight(to_tsvector('simple', body_terms), 'D')
        ) STORED""",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (search_vector)",
    """ALTER TABLE search_searchdocument ADD COLUMN head_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', tag_terms), 'B')
        ) STORED""",
    "CREATE INDEX search_doc_head_vector ON search_searchdocument USING gin (head_vector)",
    """ALTER TABLE search_searchdocument ADD COLUMN rank_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', tag_terms), 'B')
            || setweight(to_tsvector('simple', place_terms), 'C')
            || setweight(to_tsvector('simple', left(body_terms, 600)), 'D')
        ) STORED""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_head_vector")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
