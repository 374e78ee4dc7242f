"""Helpers for thin views: run one domain action and report its outcome as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from youke.orgs.domain.units import PermissionDenied


def run_action(
    request,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    done: HttpResponse,
    *,
    denied: str | None = None,
) -> HttpResponse:
    """Call ``action``; flash ``success`` (or ``success(result)`` when callable) or its errors.

    ``denied=None`` turns a domain refusal into 404 (the object's existence stays hidden);
    a message suits pages where the person can see the object but not act on it.
    """
    try:
        result = action()
    except PermissionDenied as exc:
        if denied is None:
            raise Http404("action") from exc
        messages.error(request, denied)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return done
