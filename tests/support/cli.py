"""The ``jixiao`` command run as a person runs it: its own process, a data directory of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

JIXIAO = Path(sys.executable).parent / "jixiao"


def run(
    data_dir: Path, *args: str, ok: bool = True, columns: int = 160
) -> subprocess.CompletedProcess[str]:
    """``jixiao ARGS`` on the SQLite node under ``data_dir``, at a terminal ``columns`` wide;
    ``ok`` asks for a zero exit."""
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir), "COLUMNS": str(columns)}
    env.pop("JIXIAO_DATABASE_URL", None)
    result = subprocess.run(
        [str(JIXIAO), *args], capture_output=True, text=True, env=env, timeout=120
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result
