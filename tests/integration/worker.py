"""``youke worker`` with one test hook: a chosen file's video check pauses, so a test can kill
the worker while that check is in progress (a real check of a short video takes well under a
second, too short to hit reliably from outside).

The hook lives here, not in youke: ``YOUKE_TEST_PAUSE_CHECK_OF`` names the upload's file name,
``YOUKE_TEST_PAUSE_SECONDS`` the pause. The worker logs ``paused check of material <id>``
when the check starts pausing, which tells the test which worker holds the check.
"""

from __future__ import annotations

import os
import sys
import time

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from youke.submissions.domain import checks  # noqa: E402

PAUSED_FILE = os.environ.get("YOUKE_TEST_PAUSE_CHECK_OF", "")
PAUSE_SECONDS = float(os.environ.get("YOUKE_TEST_PAUSE_SECONDS", "0") or 0)
_check_video = checks._check_video


def _paused_check_video(asset, material):
    if PAUSED_FILE and material.upload.filename == PAUSED_FILE:
        print(f"paused check of material {material.pk}", file=sys.stderr, flush=True)
        time.sleep(PAUSE_SECONDS)
    return _check_video(asset, material)


checks._check_video = _paused_check_video

if __name__ == "__main__":
    call_command("worker", *sys.argv[1:])
