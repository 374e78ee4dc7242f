"""A batch's PDFs rendered on every core.

Drawing and signing a certificate is pure computation (about 30 ms on one core), so a batch
of thousands is spread over a pool of processes while the job's own process reads the rows,
stores the files and updates the database. A rendering process gets everything it needs in a
``pdf.Kit`` once at start (layout, key files, the verify address): it touches no database and
no settings. Processes are spawned, not forked, so a worker's open connections and threads
are never copied.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from django.conf import settings

from youke.certificates.domain import pdf

# Below this many PDFs starting processes costs more than it saves.
POOL_FROM = 100

Item = tuple[dict, dict[str, str], str]  # fields, context, payload
Renderer = Callable[[list[Item]], Iterator[bytes]]

_kit: pdf.Kit | None = None


def processes_for(count: int) -> int:
    if count < POOL_FROM:
        return 1
    wanted = settings.PDF_PROCESSES or os.cpu_count() or 1
    return max(1, min(wanted, count // POOL_FROM))


def _start(kit: pdf.Kit) -> None:
    global _kit
    _kit = kit


def _render(item: Item) -> bytes:
    return pdf.render_with(_kit, *item)


@contextmanager
def renderer(kit: pdf.Kit, processes: int) -> Iterator[Renderer]:
    """A function from items to their PDF bytes, in order: inline for one process, else a
    pool that lives as long as the ``with`` block."""
    if processes <= 1:
        yield lambda items: (pdf.render_with(kit, *item) for item in items)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        processes, mp_context=context, initializer=_start, initargs=(kit,)
    ) as pool:
        yield lambda items: pool.map(_render, items, chunksize=8)
