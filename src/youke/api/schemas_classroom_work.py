"""Request and answer shapes of the 三个课堂 replay, 集体备课 and workload operations."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema


class ReplayOut(Schema):
    """``state``: "" (none), processing, failed or ready; URLs only when ready."""

    state: str
    upload_id: UUID | None = None
    filename: str = ""
    duration_seconds: float | None = None
    error: str = ""
    play_url: str = ""
    hls_url: str = ""
    uploaded_at: dt.datetime | None = None
