"""Web pages as government sites publish the forms read to the same tables as the seeds."""

from __future__ import annotations

from infra.documents.reading import read_documents
from tests.documents.form_grid import Printing
from tests.documents.layout import Layout, Spread
from tests.documents.pages import Page
from tests.documents.published import (
    JIANGSU_CODE,
    NANCHANG_CODE,
    forms,
    jiangsu,
    nanchang,
    page,
    soil,
)


def test_utf8_page_without_a_charset_and_with_spans_reads_as_the_seed_tables() -> None:
    data = page(forms(jiangsu()), Layout(), Page())

    assert b"charset" not in data
    assert read_documents(data, "jiangsu.html", JIANGSU_CODE) == list(jiangsu())


def test_gbk_page_that_names_its_charset_reads_as_the_seed_tables() -> None:
    data = page(forms(nanchang()), Layout(), Page(encoding="gbk", meta_charset="gbk"))

    assert read_documents(data, "nanchang.html", NANCHANG_CODE) == list(nanchang())


def test_page_without_spans_nested_in_a_layout_table() -> None:
    layout = Layout(levels=Spread.FIRST, labels=Spread.FIRST, values=Spread.FIRST)
    data = page(forms(nanchang()), layout, Page(meta_charset="utf-8", in_layout_table=True))

    assert read_documents(data, "nested.html", NANCHANG_CODE) == list(nanchang())


def test_page_with_the_categories_repeated_and_no_chrome() -> None:
    layout = Layout(levels=Spread.REPEAT)
    data = page(forms(jiangsu()), layout, Page(chrome=False))

    assert read_documents(data, "bare.html", JIANGSU_CODE) == list(jiangsu())


def test_page_saved_with_an_unhelpful_name_is_still_a_page() -> None:
    data = page(forms(soil()), Layout(), Page(encoding="gb18030", meta_charset="gb18030"))

    assert read_documents(data, "download.bin", NANCHANG_CODE) == list(soil())


def test_project_dates_broken_over_two_lines_in_one_cell() -> None:
    printing = Printing(period_in_one_cell=True, period_separator="\n")
    layout = Layout(printing=printing)
    data = page(forms(nanchang(), printing), layout, Page())

    assert b"<br>" in data
    assert read_documents(data, "dates.html", NANCHANG_CODE) == list(nanchang())
