"""The audit log is append-only in the database: triggers refuse UPDATE and DELETE.

PostgreSQL gets one plpgsql trigger function; SQLite gets two triggers raising ABORT.
Both surface in Django as ``IntegrityError``. On SQLite, a later migration that rebuilds
``core_auditevent`` (any AlterField there) drops the triggers and must recreate them.
"""

from django.db import migrations

TABLE = "core_auditevent"
MESSAGE = "core_auditevent is append-only: rows are never changed or deleted"

POSTGRESQL = [
    f"""
    CREATE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS core_auditevent_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
]
SQLITE = [
    f"""
    CREATE TRIGGER core_auditevent_no_{op.lower()} BEFORE {op} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
    for op in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS core_auditevent_no_{op}" for op in ("update", "delete")]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)  # literal % in plpgsql

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_keeps_deleted_references"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
