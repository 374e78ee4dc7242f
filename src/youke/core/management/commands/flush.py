"""``flush`` that also empties the append-only audit log on SQLite.

Flushing resets the whole database (tests between transactional cases, a developer
starting over); it is not a change to recorded history. PostgreSQL flushes with TRUNCATE,
which the row triggers do not see; SQLite flushes with DELETE, so its audit triggers are
lifted for the flush and put back exactly as they were.
"""

import time

from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

# Dropping a trigger needs the schema lock; a request that another thread (a live test
# server, a page still streaming a video) is finishing can hold it for a moment.
LOCK_RETRIES = 40
LOCK_WAIT_SECONDS = 0.25


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        for attempt in range(LOCK_RETRIES):
            try:
                return self._flush_sqlite(connection, **options)
            except (OperationalError, CommandError) as exc:
                if "locked" not in str(exc) + str(exc.__cause__) or attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(LOCK_WAIT_SECONDS)

    def _flush_sqlite(self, connection, **options):
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
