"""Gates other apps add to recommending (e.g. originality): each gate is a function
``(campaign, entries) -> list[str]`` of Chinese problems that refuse moving those entries
up. ``decide`` asks them for one entry, ``confirm_list`` for the whole list; the apps
register in their ``AppConfig.ready`` so selection never imports them."""

from __future__ import annotations

from collections.abc import Callable

Gate = Callable[[object, list], list[str]]
_GATES: dict[str, Gate] = {}


def register_gate(name: str, gate: Gate) -> None:
    _GATES[name] = gate


def gate_problems(campaign, entries: list) -> list[str]:
    problems: list[str] = []
    for gate in _GATES.values():
        problems += gate(campaign, entries)
    return problems
