"""Irreversible actions ask first: the first POST shows what will happen, the second acts.

The confirmation page re-posts the original form fields with ``confirmed=1``; a POST
without it never changes anything, so a stray click or a replayed form does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"


def confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "1"


@dataclass
class Confirmation:
    title: str
    consequences: list[str]  # sentences: what will happen, with counts and the next level
    items: list[str] = field(default_factory=list)  # the names concerned
    warnings: list[str] = field(default_factory=list)  # why it will be refused, if it will
    button: str = ""
    danger: bool = False


def ask(request, confirmation: Confirmation, cancel_url: str):
    """The confirmation page, carrying the original POST fields forward."""
    carried = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    return render(
        request,
        "manage/confirm_action.html",
        {"c": confirmation, "carried": carried, "cancel_url": cancel_url},
    )
