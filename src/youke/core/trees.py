"""Bulk creation of materialized-path trees (treebeard MP_Node) in a few INSERTs.

``add_child`` costs several queries per node; loading a catalog or a demo province node by
node would take minutes. Here paths are computed in Python and rows inserted in batches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class Spec:
    """A node to create: its field values and its children."""

    fields: dict[str, Any]
    children: list[Spec] = field(default_factory=list)


def bulk_build(
    model: type[models.Model], specs: Iterable[Spec], parent=None, batch_size: int = 2000
) -> int:
    """Append ``specs`` as new children of ``parent`` (or as new roots); returns the count."""
    specs = list(specs)
    if parent is None:
        last = model.get_last_root_node()
        base_path, depth = "", 1
    else:
        parent.refresh_from_db()
        last = parent.get_last_child()
        base_path, depth = parent.path, parent.depth + 1
    start = 1 if last is None else model._str2int(last.path[-model.steplen :]) + 1
    rows: list[models.Model] = []

    def visit(spec_list: list[Spec], path: str, level_depth: int, first: int) -> None:
        for offset, spec in enumerate(spec_list):
            node_path = path + model._int2str(first + offset).rjust(model.steplen, "0")
            rows.append(
                model(path=node_path, depth=level_depth, numchild=len(spec.children), **spec.fields)
            )
            visit(spec.children, node_path, level_depth + 1, 1)

    visit(specs, base_path, depth, start)
    model.objects.bulk_create(rows, batch_size=batch_size)
    if parent is not None:
        model.objects.filter(pk=parent.pk).update(numchild=models.F("numchild") + len(specs))
    return len(rows)
