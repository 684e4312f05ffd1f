"""Table documents as one self-contained printable HTML page: each table on its own A4 page.

The page needs nothing from outside (no stylesheet, script or font to fetch): its style is
inline, with ``@page`` set to A4 landscape. Each table is laid out as its form prints it (see
``form_layout``), its title and year above it, merged cells as ``rowspan``/``colspan``.
Everything a document says is escaped by Jinja's autoescaping; a line break within a cell is
a ``<br>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jinja2 import Environment
from markupsafe import Markup, escape

from domain.document import TableDocument
from infra.documents.form_layout import document_layout
from infra.documents.layout import Box, FormLayout, Role

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ heading }}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { margin: 0; font-size: 10.5pt; font-family: {{ fonts }}; }
section.sheet { break-after: page; page-break-after: always; }
section.sheet:last-child { break-after: auto; page-break-after: auto; }
h1 { margin: 0 0 4pt; font-size: 16pt; text-align: center; }
p.year { margin: 0 0 8pt; text-align: center; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: middle;
  overflow-wrap: anywhere; white-space: pre-wrap; }
th, td.label { font-weight: bold; background: #f2f2f2; text-align: center; }
td.category { text-align: center; }
td.amount { text-align: right; }
td.long { vertical-align: top; }
td.note { border: 0; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media screen { section.sheet { max-width: 297mm; margin: 12mm auto; } }
</style>
</head>
<body>
{% for layout in layouts %}
<section class="sheet" data-form="{{ layout.form.value }}">
<h1>{{ layout.title }}</h1>
<p class="year">{{ layout.year }}</p>
<table>
<colgroup>{% for width in widths(layout) %}<col style="width:{{ width }}%">{% endfor %}</colgroup>
<tbody>
{% for row in layout.rows() %}<tr>{% for box in row %}{{ cell(box) }}{% endfor %}</tr>
{% endfor %}</tbody>
</table>
</section>
{% endfor %}
</body>
</html>
"""

# The fonts of government PCs (宋体, then 仿宋), then those of other systems; a Chinese sans
# that Debian has before the generic family, so that digits print in the font of the Chinese
# beside them (with ``serif`` next, digits printed in a Latin serif beside a sans fallback).
FONTS = (
    '"SimSun", "宋体", "FangSong", "仿宋", "Songti SC", "Noto Serif CJK SC", '
    '"Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
)
_TEMPLATE = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(_PAGE)
_CELL = Markup('<{tag} class="{role}"{colspan}{rowspan}>{text}</{tag}>')


def printable_html(documents: Iterable[TableDocument]) -> str:
    """The documents as one page to print, a table per A4 landscape page."""
    layouts = [document_layout(document) for document in documents]
    heading = layouts[0].title if layouts else ""
    return _TEMPLATE.render(
        layouts=layouts, heading=heading, widths=_widths, cell=_cell, fonts=Markup(FONTS)
    )


def _widths(layout: FormLayout) -> list[str]:
    total = sum(layout.widths)
    return [f"{100 * width / total:.1f}" for width in layout.widths]


def _cell(box: Box) -> Markup:
    return _CELL.format(
        tag="th" if box.role is Role.HEADING else "td",
        role=box.role.value,
        colspan=Markup(f' colspan="{box.width}"') if box.width > 1 else "",
        rowspan=Markup(f' rowspan="{box.height}"') if box.height > 1 else "",
        text=_text(box.value),
    )


def _text(value: str | Decimal | None) -> Markup:
    if value is None:
        return Markup("")
    if isinstance(value, Decimal):
        return escape(amount_text(value))
    return Markup("<br>").join(escape(line) for line in value.split("\n"))


def amount_text(amount: Decimal) -> str:
    """An amount exactly as written: ``249`` stays ``249``, ``36.20`` keeps its zero."""
    return format(amount, "f")
