"""Web pages as government sites publish the forms: chrome around, tables with spans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from tests.documents.form_grid import Form
from tests.documents.layout import Grid, Layout, Placed, arrange

# Header labels broken over two lines, as the printed forms show them.
_BROKEN = {
    "半年(程)指标值": "半年(程)<br>指标值",
    "全年(程)指标值": "全年(程)<br>指标值",
    "半年(程)计划执行数": "半年(程)<br/>计划执行数",
    "全年(程)预算数": "全年(程)<br>预算数",
    "项目资金(万元)": "项目资金<br>&nbsp;(万元)",
}
_NARRATIVES = {"necessity", "feasibility", "content", "long_term", "annual"}


@dataclass(frozen=True)
class Page:
    """How a site wraps the tables."""

    encoding: str = "utf-8"
    meta_charset: str | None = None  # None: the page does not say its charset
    chrome: bool = True  # navigation, 发布日期, 打印/关闭 around the tables
    in_layout_table: bool = False  # the whole page laid out in a table, the forms nested inside
    heading: str = "2026年度部门项目支出绩效目标公开"


def page_bytes(forms: Sequence[Form], layout: Layout, page: Page) -> bytes:
    tables = "\n".join(_section(form, arrange(form, layout)) for form in forms)
    body = tables
    if page.chrome:
        body = f"{_masthead(page)}\n{tables}\n{_tools()}"
    if page.in_layout_table:
        body = (
            '<table width="960" align="center"><tr><td class="left">'
            '<a href="/">返回首页</a></td>\n'
            f'<td class="main">{body}</td></tr></table>'
        )
    meta = f'<meta charset="{page.meta_charset}">' if page.meta_charset else ""
    html = (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{page.heading}</title></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
    return html.encode(page.encoding)


def table_row(form: Form, layout: Layout, key: str) -> int:
    """The 1-based row of the cell named ``key`` within the form's HTML table."""
    return arrange(form, layout).where(key)[0] + 1


def _masthead(page: Page) -> str:
    return (
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; '
        '<a href="/xxgk/czyjs/">财政预决算</a></div>\n'
        f"<h1>{page.heading}</h1>\n"
        '<div class="info">发布日期：2026-02-10&nbsp;&nbsp;来源：本站&nbsp;&nbsp;'
        "浏览次数：1024&nbsp;&nbsp;字号：[大 中 小]</div>"
    )


def _tools() -> str:
    return (
        '<div class="tools"><a href="javascript:window.print()">【打印本页】</a>'
        '&nbsp;<a href="javascript:window.close()">【关闭窗口】</a></div>\n'
        '<div class="footer">主办单位：本站&nbsp;&nbsp;<a href="/sitemap">网站地图</a></div>'
    )


def _section(form: Form, grid: Grid) -> str:
    heading = f'<h2 align="center">{escape(form.title)}</h2>\n<p align="center">{form.year}</p>'
    table = _table(grid, form.width)
    footer = f"\n<p>{escape(form.footer)}</p>" if form.footer else ""
    return f"{heading}\n{table}{footer}"


def _table(grid: Grid, width: int) -> str:
    by_row: dict[int, list[Placed]] = {}
    covered: set[tuple[int, int]] = set()
    for cell in grid.cells:
        by_row.setdefault(cell.row, []).append(cell)
        for row in range(cell.row, cell.row + cell.rows):
            for column in range(cell.column, cell.column + cell.columns):
                covered.add((row, column))
    lines = ['<table border="1" cellspacing="0" cellpadding="2" width="100%">']
    for row in range(grid.height):
        cells = {cell.column: cell for cell in by_row.get(row, [])}
        tds: list[str] = []
        for column in range(width):
            if column in cells:
                tds.append(_td(cells[column]))
            elif (row, column) not in covered:
                tds.append("<td>&nbsp;</td>")
        lines.append(f"<tr>{''.join(tds)}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _td(cell: Placed) -> str:
    spans = ""
    if cell.rows > 1:
        spans += f' rowspan="{cell.rows}"'
    if cell.columns > 1:
        spans += f' colspan="{cell.columns}"'
    return f"<td{spans}>{_content(cell)}</td>"


def _content(cell: Placed) -> str:
    if not cell.text:
        return "&nbsp;"
    if cell.text in _BROKEN:
        return _BROKEN[cell.text]
    lines = [escape(line) for line in cell.text.split("\n")]
    if cell.key in _NARRATIVES:
        return "".join(f"<p>{line}</p>" for line in lines)
    return "<br>".join(lines)
