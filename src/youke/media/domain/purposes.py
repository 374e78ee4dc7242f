"""What an upload is for: each purpose decides who may upload how much, and what happens next.

Data apps register a purpose at start-up (in ``AppConfig.ready``), e.g. submissions register
``"material"``, which reads the submission and material ids from the tus metadata::

    register_purpose("material", authorize=authorize_material, on_complete=claim_material)

``authorize(person, metadata, length)`` runs when the upload is created, before any byte is
sent. It returns the largest size allowed in bytes (the upload is refused with 413 when
``length`` exceeds it) or raises ``UploadRefused`` with a Chinese message naming the
problem and the fix.

``on_complete(upload)`` runs after the transaction that marked the upload complete commits.
The upload layer only records what the bytes are (``content_type`` is sniffed from the
content); refusing a file whose content does not fit the material — e.g. a text file
renamed to .mp4, recorded as ``text/plain`` — is the purpose's decision, because only it
knows which types the material accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from youke.media.models import Upload
    from youke.orgs.models import Person

Authorize = Callable[["Person", dict[str, Any], int], int]
OnComplete = Callable[["Upload"], None]


class UploadRefused(Exception):
    """An upload that may not start; the message is shown to the person as it is."""

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Purpose:
    name: str
    authorize: Authorize
    on_complete: OnComplete


_PURPOSES: dict[str, Purpose] = {}


def register_purpose(name: str, *, authorize: Authorize, on_complete: OnComplete) -> Purpose:
    purpose = Purpose(name=name, authorize=authorize, on_complete=on_complete)
    _PURPOSES[name] = purpose
    return purpose


def unregister_purpose(name: str) -> None:
    """For tests that register a purpose of their own."""
    _PURPOSES.pop(name, None)


def find_purpose(name: str) -> Purpose | None:
    return _PURPOSES.get(name)


def get_purpose(name: str) -> Purpose:
    """The registered purpose, or a refusal the person can act on."""
    purpose = _PURPOSES.get(name)
    if purpose is None:
        if not name:
            raise UploadRefused(
                _("上传请求缺少用途（purpose），请从申报页面的上传按钮上传文件。"), status=400
            )
        raise UploadRefused(
            _("不支持的上传用途“%(purpose)s”，请从申报页面的上传按钮上传文件。")
            % {"purpose": name[:64]},
            status=400,
        )
    return purpose
