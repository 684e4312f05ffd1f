"""LibreOffice as a bureau uses it: files saved through ``soffice`` (installed by
``.ci/install-office``), for the tests of documents in other office software."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

OFFICE_FIXTURES = Path(__file__).parent.parent / "fixtures" / "office"
_TIMEOUT = 180  # seconds; a cold start of LibreOffice on a busy machine takes a while


def soffice() -> str:
    """The LibreOffice binary; fails the test (never skips it) when it is missing."""
    found = shutil.which("soffice")
    if found is None:
        raise AssertionError(
            "LibreOffice is not installed (no soffice on PATH): run .ci/install-office"
        )
    return found


def convert(files: Sequence[Path], target: str, folder: Path) -> list[Path]:
    """``files`` saved by LibreOffice as ``target`` (``xls``, ``xlsx``, ``pdf``) into ``folder``."""
    profile = folder / "libreoffice-profile"
    command = [
        soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        target,
        "--outdir",
        str(folder),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=_TIMEOUT)
    extension = target.split(":")[0]
    saved = [folder / f"{item.stem}.{extension}" for item in files]
    missing = [item.name for item in saved if not item.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return saved
