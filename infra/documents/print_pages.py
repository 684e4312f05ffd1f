"""How a form's sheet falls on printed pages: the scale, the rows repeated on every page, and
page breaks that keep merged blocks (a 一级指标 with its rows, the 项目资金 block) together.

Office software breaks pages wherever a page is full, cutting a merged block in two. Here
the pages are counted as the office software will count them — the sheet's rows at a fixed
scale (not "fit to width", under which Excel ignores manual breaks) — and a manual break is
put before a block that would not fit on what is left of its page, when the block fits on a
page of its own. A block taller than a page is broken between its rows, as it must be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from infra.documents.layout import Box, FormLayout, Role

# A4 landscape in points, and the margins the sheets are printed with (inches).
PAGE_WIDTH, PAGE_HEIGHT = 841.9, 595.3
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN, HEADER_MARGIN = 0.4, 0.7, 0.6, 0.3
_POINTS_PER_INCH = 72
# A column ``w`` characters wide is ``w`` widths of a digit of the default font, plus padding.
# Excel's Calibri digit is 5.25 pt; LibreOffice without Calibri measures with DejaVu Sans, 7 pt.
# The wider is assumed, so that no column is cut off a page (Excel then prints a little small).
_CHARACTER_POINTS, _PADDING_POINTS = 7.0, 3.75


@dataclass(frozen=True)
class Pages:
    """The print setup of one sheet: its scale (percent), its repeated rows, its breaks."""

    scale: int
    repeated: tuple[int, int] | None  # first and last sheet row (1-based) on every page
    breaks: tuple[int, ...]  # sheet rows (1-based) after which a new page starts


def pages(layout: FormLayout, heights: Sequence[float], above: int) -> Pages:
    """The pages of a sheet whose rows are ``heights`` points tall: ``above`` rows (title,
    year) over the layout's grid."""
    scale = _scale(layout.widths)
    room = (PAGE_HEIGHT - (TOP_MARGIN + BOTTOM_MARGIN) * _POINTS_PER_INCH) * 100 / scale
    header = header_rows(layout)
    repeated = None if header is None else (header[0] + above + 1, header[1] + above)
    units = _units(layout, header, above, len(heights))
    repeat_height = 0.0 if repeated is None else sum(heights[repeated[0] - 1 : repeated[1]])
    return Pages(scale, repeated, tuple(_breaks(units, heights, room, repeat_height, repeated)))


def _scale(widths: Sequence[int]) -> int:
    """The largest percentage (at most 100) at which every column fits across the page."""
    sheet = sum(_CHARACTER_POINTS * width + _PADDING_POINTS for width in widths)
    across = PAGE_WIDTH - 2 * SIDE_MARGIN * _POINTS_PER_INCH
    return max(10, min(100, int(across * 100 / sheet)))


def header_rows(layout: FormLayout) -> tuple[int, int] | None:
    """The grid rows (first, end) of the last run of rows made of headings only: the
    indicator table's header, repeated on every page."""
    cells = layout.cells()
    runs: list[tuple[int, int]] = []
    for row in range(layout.height):
        boxes = [cells[(row, column)] for column in range(len(layout.widths))]
        if all(box.role is Role.HEADING for box in boxes):
            if runs and runs[-1][1] == row:
                runs[-1] = (runs[-1][0], row + 1)
            else:
                runs.append((row, row + 1))
    return runs[-1] if runs else None


def _units(
    layout: FormLayout, header: tuple[int, int] | None, above: int, count: int
) -> list[tuple[int, int]]:
    """The sheet's rows (0-based, end excluded) in runs a page should not split: each row,
    rows merged together by a box, and the header with the block under it."""
    ends = list(range(1, count + 1))  # ends[row]: where the unit starting at row ends
    tall: list[Box] = [box for box in layout.boxes if box.height > 1]
    spans = [(box.row + above, box.row + box.height + above) for box in tall]
    if header is not None:
        spans.append((header[0] + above, header[1] + above + 1))
    for start, end in sorted(spans):
        ends[start] = max(ends[start], end)
    units: list[tuple[int, int]] = []
    row = 0
    while row < count:
        end = ends[row]
        inner = row
        while inner < end:  # a box inside the run may reach further down
            end = max(end, ends[inner])
            inner += 1
        units.append((row, min(end, count)))
        row = units[-1][1]
    return units


def _breaks(
    units: list[tuple[int, int]],
    heights: Sequence[float],
    room: float,
    repeat_height: float,
    repeated: tuple[int, int] | None,
) -> list[int]:
    breaks: list[int] = []
    used = 0.0
    for start, end in units:
        height = sum(heights[start:end])
        again = repeat_height if repeated is not None and start >= repeated[1] else 0.0
        if used + height <= room or used == 0:
            used += height
        elif again + height <= room:
            breaks.append(start)
            used = again + height
        else:  # taller than a page: break between its rows
            for row in range(start, end):
                if used + heights[row] > room and used > again:
                    breaks.append(row)
                    used = again
                used += heights[row]
    return breaks
