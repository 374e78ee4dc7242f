"""The demo curriculum catalog, loaded from ``youke.catalog.demo`` outlines."""

from __future__ import annotations

from collections import Counter

from youke.catalog.demo.outline import OutlineNode, load_demo_outline
from youke.catalog.enums import NodeLevel
from youke.catalog.models import CourseNode
from youke.core.trees import Spec, bulk_build

# Two digits per level, so a lesson code (stage…lesson) is 12 digits: 010203040506.
CODE_WIDTH = 2


def catalog_specs(
    nodes: tuple[OutlineNode, ...] | list[OutlineNode],
    prefix: str = "",
    counts: Counter | None = None,
) -> list[Spec]:
    """Specs for ``nodes``; a code is the parent's code plus the 1-based sibling position."""
    specs = []
    for position, node in enumerate(nodes, start=1):
        if position >= 10**CODE_WIDTH:
            raise ValueError(f"{prefix or 'root'}: more than {10**CODE_WIDTH - 1} children")
        code = f"{prefix}{position:0{CODE_WIDTH}d}"
        if counts is not None:
            counts[node.level] += 1
        specs.append(
            Spec(
                {"code": code, "name": node.name, "level": NodeLevel(node.level)},
                catalog_specs(node.children, code, counts),
            )
        )
    return specs


def build_catalog() -> Counter | None:
    """Create the demo catalog unless any catalog already exists; returns counts by level."""
    if CourseNode.objects.exists():
        return None
    counts: Counter = Counter()
    bulk_build(CourseNode, catalog_specs(load_demo_outline(), counts=counts))
    return counts


def expert_subjects() -> list[CourseNode]:
    """Subject nodes experts can be assigned to (stage nodes if a catalog has no subjects)."""
    for level in (NodeLevel.SUBJECT, NodeLevel.STAGE):
        nodes = list(CourseNode.objects.filter(level=level, is_active=True).order_by("path"))
        if nodes:
            return nodes
    return []
