"""Demo curriculum catalog kept as plain-text outlines.

Each file under ``catalog/`` is an indentation outline (two spaces per level) whose levels
are stage → subject → edition → volume → unit → lesson. Keeping the data as text lets
curriculum staff review it without reading Python, and keeps this module free of Django so
the parser can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("stage", "subject", "edition", "volume", "unit", "lesson")

INDENT = 2
DEMO_CATALOG_DIR = Path(__file__).parent / "catalog"


@dataclass(frozen=True)
class OutlineNode:
    level: str
    name: str
    children: tuple[OutlineNode, ...] = ()


@dataclass
class _Draft:
    """Mutable twin of OutlineNode used while parsing, frozen once complete."""

    depth: int
    name: str
    children: list[_Draft]

    def freeze(self) -> OutlineNode:
        return OutlineNode(
            level=LEVELS[self.depth],
            name=self.name,
            children=tuple(child.freeze() for child in self.children),
        )


def parse_outline(text: str) -> list[OutlineNode]:
    """Parse one outline file; the top level is always a stage."""
    roots: list[_Draft] = []
    stack: list[_Draft] = []  # stack[d] is the open node at depth d
    for lineno, line in enumerate(text.splitlines(), start=1):
        # Only ASCII spaces count as blank, so a line of e.g. ideographic spaces is reported
        # as an empty name instead of silently vanishing.
        if not line.strip(" ") or line.lstrip(" \t").startswith("#"):
            continue
        if "\t" in line:
            raise ValueError(f"line {lineno}: tab character found; indent with 2 spaces")
        indent = len(line) - len(line.lstrip(" "))
        if indent % INDENT:
            raise ValueError(
                f"line {lineno}: indentation of {indent} spaces is not a multiple of {INDENT}"
            )
        depth = indent // INDENT
        if depth >= len(LEVELS):
            raise ValueError(
                f"line {lineno}: outline is deeper than {len(LEVELS)} levels ({' > '.join(LEVELS)})"
            )
        if depth > len(stack):
            deepest = len(stack)  # 0-based depth of the deepest level allowed here
            expected = (
                "a stage at indentation 0"
                if not stack
                else f"level {deepest + 1} ({LEVELS[deepest]}) or shallower"
            )
            raise ValueError(
                f"line {lineno}: indentation jumps from level {len(stack)} to {depth + 1}; "
                f"expected {expected}"
            )
        name = line.strip()
        if not name:
            raise ValueError(f"line {lineno}: empty name")
        node = _Draft(depth=depth, name=name, children=[])
        del stack[depth:]
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return [root.freeze() for root in roots]


def merge_outlines(forests: Iterable[Iterable[OutlineNode]]) -> list[OutlineNode]:
    """Merge forests so same-named siblings become one node, keeping first-seen order."""
    merged: dict[str, list[OutlineNode]] = {}
    for forest in forests:
        for node in forest:
            merged.setdefault(node.name, []).append(node)
    return [
        OutlineNode(
            level=group[0].level,
            name=name,
            children=tuple(merge_outlines(node.children for node in group)),
        )
        for name, group in merged.items()
    ]


def load_demo_outline(directory: Path = DEMO_CATALOG_DIR) -> list[OutlineNode]:
    """Read every ``*.txt`` outline in ``directory`` (sorted by name) and merge them."""
    forests = []
    for path in sorted(directory.glob("*.txt")):
        try:
            forests.append(parse_outline(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
    return merge_outlines(forests)


def iter_paths(
    nodes: Iterable[OutlineNode], parents: tuple[OutlineNode, ...] = ()
) -> Iterator[tuple[OutlineNode, ...]]:
    """Yield the path (root first) to every node, depth first, parents before children."""
    for node in nodes:
        path = (*parents, node)
        yield path
        yield from iter_paths(node.children, path)
