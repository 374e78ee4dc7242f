"""PDF previews of office documents through LibreOffice, when the worker has it.

LibreOffice is optional: detected at run time; without it documents are still checked,
only the in-page preview is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_SECONDS = 120


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(path: Path, out_dir: Path) -> Path | None:
    """The PDF rendering of ``path`` in ``out_dir``, or None when it cannot be made."""
    binary = office_binary()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        # A private profile: parallel conversions must not share LibreOffice's user folder.
        command = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(path),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=CONVERT_SECONDS)
        except (subprocess.SubprocessError, OSError):
            return None
    result = out_dir / (path.stem + ".pdf")
    return result if result.exists() else None
