"""``flush`` that also empties the append-only audit log on SQLite.

Flushing resets the whole database (tests between transactional cases, a developer
starting over); it is not a change to recorded history. PostgreSQL flushes with TRUNCATE,
which the row triggers do not see; SQLite flushes with DELETE, so its audit triggers are
lifted for the flush and put back exactly as they were.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["core_auditevent"],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
