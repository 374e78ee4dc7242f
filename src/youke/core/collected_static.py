"""Collect static files once per set of sources, whatever number of processes start.

Every `youke serve` used to run ``collectstatic`` (with whitenoise compressing every file)
on start. Several web processes on one machine share the data folder, so they rewrote the
same files at the same time while another was already serving them, and each start (or
restart after a crash) spent most of a minute compressing files that had not changed. Now a
start takes an exclusive lock on the static folder, compares a fingerprint of the sources
(path, size and modification time of every file the finders list) with the one recorded by
the last collection, and collects only when they differ.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command


def sources_fingerprint() -> str:
    lines = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            lines.append(f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def collect_static() -> bool:
    """Run ``collectstatic`` unless the sources are what was last collected; True if it ran."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{root.name}.lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # a second start waits for the first
        fingerprint = sources_fingerprint()
        marker = root.parent / f"{root.name}.collected"  # outside what is served
        if marker.exists() and marker.read_text() == fingerprint:
            return False
        marker.unlink(missing_ok=True)  # an interrupted collection must run again
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text(fingerprint)
        return True
