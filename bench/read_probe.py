"""Read one workbook in this fresh process; print what it found, its time and memory (JSON).

Modes: ``read`` reads the tables (as an import does, holding every table's document),
``stream`` only streams the sheets' rows (the reader's own cost), ``load`` opens the workbook
with openpyxl's ordinary (not read-only) mode, which holds every cell of every sheet.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from openpyxl import load_workbook

from infra.documents.reading import read_documents
from infra.documents.xlsx import xlsx_sheets


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (ru_maxrss would carry the parent's peak
    across exec; VmHWM, the peak resident set, starts anew with the program)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"/proc/self/status has no {field}")


def main() -> None:
    mode, path, jurisdiction = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    data = path.read_bytes()
    baseline = _status_mb("VmRSS")
    started = time.perf_counter()
    if mode == "read":
        found = len(read_documents(data, path.name, jurisdiction))
    elif mode == "stream":
        found = sum(len(lines) for lines in xlsx_sheets(data, path.name))
    else:
        found = len(load_workbook(path).worksheets)
    seconds = round(time.perf_counter() - started, 1)
    grown = round(_status_mb("VmHWM") - baseline, 1)
    print(json.dumps({"found": found, "seconds": seconds, "grown_mb": grown}))


if __name__ == "__main__":
    main()
