"""Full-text indexes over the pre-segmented columns, one per database engine.

SQLite: an FTS5 table with external content (the lesson table) kept in step by triggers;
the update trigger fires only when a search column changes, so counter flushes leave the
index alone. PostgreSQL: a GIN index on the weighted tsvector expression that
``domain.search.PG_VECTOR`` queries (it must stay character for character the same).
"""

from django.db import migrations

COLUMNS = "search_title, search_body, search_pinyin, search_grams"
NEW = "new.search_title, new.search_body, new.search_pinyin, new.search_grams"
OLD = "old.search_title, old.search_body, old.search_pinyin, old.search_grams"

# Constant SQL built from the column list above; no input reaches it.
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE library_fts USING fts5({COLUMNS},"
    " content='library_librarylesson', content_rowid='id')",
    f"CREATE TRIGGER library_fts_ai AFTER INSERT ON library_librarylesson BEGIN"  # noqa: S608
    f" INSERT INTO library_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER library_fts_ad AFTER DELETE ON library_librarylesson BEGIN"  # noqa: S608
    f" INSERT INTO library_fts(library_fts, rowid, {COLUMNS})"
    f" VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER library_fts_au AFTER UPDATE OF {COLUMNS} ON library_librarylesson BEGIN"  # noqa: S608, E501
    f" INSERT INTO library_fts(library_fts, rowid, {COLUMNS})"
    f" VALUES ('delete', old.id, {OLD});"
    f" INSERT INTO library_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "INSERT INTO library_fts(library_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_fts_au",
    "DROP TRIGGER IF EXISTS library_fts_ad",
    "DROP TRIGGER IF EXISTS library_fts_ai",
    "DROP TABLE IF EXISTS library_fts",
]
PG_FORWARD = [
    "CREATE INDEX library_search_gin ON library_librarylesson USING gin ("
    "(setweight(to_tsvector('simple', search_title), 'A')"
    " || setweight(to_tsvector('simple', search_pinyin), 'A')"
    " || setweight(to_tsvector('simple', search_grams), 'B')"
    " || setweight(to_tsvector('simple', search_body), 'D')))"
]
PG_BACKWARD = ["DROP INDEX IF EXISTS library_search_gin"]


def forward(apps, schema_editor):
    statements = PG_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = PG_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
