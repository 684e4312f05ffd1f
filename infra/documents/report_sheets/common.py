"""The labels both report forms share, and how a label is compared."""

from __future__ import annotations

from domain import vocabulary

TICK = "√"
PROJECT = "项目名称"
FUNDS = "项目资金（万元）"
TOTAL = vocabulary.FUND_TOTAL_LABELS[1]  # 年度资金总额
INITIAL_BUDGET, RATE = "年初预算数", "执行率(%)"
LEVEL1, LEVEL2, NAME = vocabulary.INDICATOR_HEADER
TARGET = "年度指标值"


def fold(text: str) -> str:
    return vocabulary.normalise_label(text).rstrip(":")
