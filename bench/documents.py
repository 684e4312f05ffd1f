"""Reading documents: import time per table in each format, and memory for a big workbook.

Each format holds the same tables (the eight seed tables, repeated under new names). The
memory of reading a 5,000-table workbook is measured in fresh processes (peak RSS over the
process's own): streaming its sheets, reading its tables, and openpyxl's ordinary load.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import xlwt
from openpyxl import load_workbook

from api.cli.context import SEED_DOCUMENTS
from bench.dataset import templates
from domain.document import TableDocument
from domain.model import Project
from infra.documents.printable import printable_html
from infra.documents.reading import read_documents
from infra.documents.workbook import write_workbook

JURISDICTION = "320000"


def tables(count: int) -> list[TableDocument]:
    shapes = templates(JURISDICTION)
    found: list[TableDocument] = []
    for number in range(count):
        shape = shapes[number % len(shapes)]
        project: Project = replace(shape.project, name=f"{shape.project.name}（第{number}号）")
        found.append(replace(shape, id=None, project=project))
    return found


def workbook(documents: list[TableDocument]) -> bytes:
    buffer = io.BytesIO()
    write_workbook(documents, buffer)
    return buffer.getvalue()


def legacy_workbook(xlsx: bytes) -> bytes:
    """The same sheets as an Excel 97–2003 file, merges and all."""
    source = load_workbook(io.BytesIO(xlsx))
    book = xlwt.Workbook(encoding="utf-8")
    for sheet in source.worksheets:
        target = book.add_sheet(sheet.title)
        spans = {
            (item.min_row, item.min_col): (item.max_row, item.max_col)
            for item in sheet.merged_cells.ranges
        }
        covered = {
            (row, column)
            for (first_row, first_column), (last_row, last_column) in spans.items()
            for row in range(first_row, last_row + 1)
            for column in range(first_column, last_column + 1)
        }
        for row in sheet.iter_rows():
            for cell in row:
                where = (int(cell.row or 0), int(cell.column or 0))
                if (last := spans.get(where)) is not None:
                    first_row, first_column = where
                    target.write_merge(
                        first_row - 1, last[0] - 1, first_column - 1, last[1] - 1, cell.value
                    )
                elif cell.value is not None and where not in covered:
                    target.write(where[0] - 1, where[1] - 1, cell.value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def text(documents: list[TableDocument]) -> str:
    """The documents' own seed text, repeated: what PDF extraction gives."""
    seeds = [path.read_text(encoding="utf-8") for code, path in SEED_DOCUMENTS if code == "320000"]
    return "\n".join(seeds * max(1, len(documents) // 4))


def per_table_ms(data: bytes, name: str, rounds: int = 3) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(rounds):
        started = time.perf_counter()
        count = len(read_documents(data, name, JURISDICTION))
        best = min(best, time.perf_counter() - started)
    return round(best * 1000 / count, 2), count


def measure(count: int = 200, big: int = 5_000) -> dict[str, Any]:
    documents = tables(count)
    xlsx = workbook(documents)
    page = printable_html(documents)
    formats: dict[str, Callable[[], bytes]] = {
        "xlsx": lambda: xlsx,
        "xls": lambda: legacy_workbook(xlsx),
        "html": lambda: page.encode("utf-8"),
        "text_utf8": lambda: text(documents).encode("utf-8"),
        "text_gbk_crlf": lambda: text(documents).replace("\n", "\r\n").encode("gb18030"),
        "text_utf16": lambda: text(documents).encode("utf-16"),
    }
    results: dict[str, Any] = {}
    for name, build in formats.items():
        milliseconds, read = per_table_ms(build(), f"bench.{name}")
        results[f"import_{name}_ms_per_table"] = milliseconds
        results[f"import_{name}_tables"] = read
    results.update(memory(big, big // 10))
    return results


def memory(big: int, small: int) -> dict[str, Any]:
    """Memory over a fresh process's own, reading a ``big``- and a ``small``-table workbook.

    ``stream`` is the reader's own cost (one sheet at a time: the same for both), ``read``
    adds every table's document (an import is all or nothing, so it holds them all), and
    ``load`` is openpyxl's ordinary mode, which holds every cell of every sheet.
    """
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="jixiao-docs-") as folder:
        for label, count in (("big", big), ("small", small)):
            path = Path(folder) / f"{count}.xlsx"
            with path.open("wb") as stream:
                write_workbook(tables(count), stream)
            results[f"workbook_{label}_tables"] = count
            results[f"workbook_{label}_megabytes"] = round(path.stat().st_size / 1024**2, 1)
            for mode in ("stream", "read", "load"):
                found = _probe(mode, path)
                results[f"workbook_{label}_{mode}_seconds"] = found["seconds"]
                results[f"workbook_{label}_{mode}_mb"] = found["grown_mb"]
    results["workbook_stream_kb_per_table"] = round(
        1024 * results["workbook_big_stream_mb"] / big, 1
    )
    results["workbook_load_vs_stream_mb"] = round(
        results["workbook_big_load_mb"] / max(0.1, results["workbook_big_stream_mb"]), 1
    )
    results["workbook_read_kb_per_table"] = round(1024 * results["workbook_big_read_mb"] / big, 1)
    results["workbook_load_vs_read_mb"] = round(
        results["workbook_big_load_mb"] / max(0.1, results["workbook_big_read_mb"]), 2
    )
    return results


def _probe(mode: str, path: Path) -> dict[str, Any]:
    probe = subprocess.run(
        [sys.executable, "-m", "bench.read_probe", mode, str(path), JURISDICTION],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, Any] = json.loads(probe.stdout)
    return found
