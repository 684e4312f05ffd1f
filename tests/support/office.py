"""LibreOffice as a bureau uses it: files saved through ``soffice`` (installed by
``.ci/install-office``), for the tests of documents in other office software."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

OFFICE_FIXTURES = Path(__file__).parent.parent / "fixtures" / "office"
_TIMEOUT = 180  # seconds; a cold start of LibreOffice on a busy machine takes a while


def tool(name: str) -> str:
    """An office tool (``soffice``, ``pdffonts``, ``pdftotext``); fails the test (never skips
    it) when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise AssertionError(f"{name} is not installed: run .ci/install-office")
    return found


def soffice() -> str:
    return tool("soffice")


def pdf_fonts(pdf: Path) -> list[str]:
    """The names of the fonts a PDF embeds, as ``pdffonts`` lists them (subset tag dropped)."""
    listed = subprocess.run(
        [tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True, timeout=60
    ).stdout.splitlines()[2:]
    return [line.split()[0].split("+")[-1] for line in listed if line.strip()]


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF."""
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    return text.split("\f")[:-1]


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
