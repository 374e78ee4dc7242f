"""The shared loop of every row-by-row import job: good rows land, bad rows are listed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from youke.core.domain import jobs
from youke.core.models import Job
from youke.core.tabular import Column, RowError, TableError, read_table

MAX_REPORTED_ERRORS = 5000


class RowRefused(Exception):
    """A row the actor may not import (e.g. outside their scope); reported, not fatal."""

    def __init__(self, column_key: str, message: str) -> None:
        super().__init__(message)
        self.column_key = column_key
        self.message = message


@dataclass
class RowCounts:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_result(self, message: str) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "failed": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:MAX_REPORTED_ERRORS]],
            "message": message,
        }


def open_rows(
    job: Job, columns: list[Column], *, allow_csv: bool = False
) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    """Open the job's file and check its header; a file that cannot be read fails the job.

    The caller closes ``job.input_file`` when done with the rows.
    """
    job.input_file.open("rb")
    try:
        return read_table(
            job.input_file.file, columns, allow_csv=allow_csv, max_rows=settings.IMPORT_MAX_ROWS
        )
    except TableError as exc:
        job.input_file.close()
        raise jobs.JobError(str(exc)) from exc


def row_errors(number: int, exc: ValidationError, headers: dict[str, str]) -> list[RowError]:
    """One report line per invalid field, named by its column header."""
    if hasattr(exc, "error_dict"):
        return [
            RowError(number, headers.get(key, key), messages[0])
            for key, messages in exc.message_dict.items()
        ]
    return [RowError(number, "", exc.messages[0])]


def import_each_row(
    job: Job,
    progress: jobs.JobProgress,
    columns: list[Column],
    import_row: Callable[[dict[str, Any]], bool],
    *,
    allow_csv: bool = False,
) -> RowCounts:
    """Run ``import_row`` (returns True when it created) on every row, each in its own
    transaction, so one bad row never undoes or blocks the good ones."""
    headers = {c.key: c.header for c in columns}
    total, rows = open_rows(job, columns, allow_csv=allow_csv)
    progress.set_total(total)
    counts = RowCounts()
    try:
        for index, (number, row) in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    created = import_row(row)
            except ValidationError as exc:
                counts.errors.extend(row_errors(number, exc, headers))
            except RowRefused as exc:
                counts.errors.append(
                    RowError(number, headers.get(exc.column_key, exc.column_key), exc.message)
                )
            else:
                counts.created += created
                counts.updated += not created
            progress.advance(index)
    finally:
        job.input_file.close()
    return counts
