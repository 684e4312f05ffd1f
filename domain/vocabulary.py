"""The Chinese labels users see, and the normalised codes the code uses.

Every label that appears on a 绩效目标表 lives here, so that parsers, findings
and the terminal view share one vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Fold a label to the form it is matched in: NFKC, no spaces, ASCII brackets."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Category:
    """An indicator category: its code, the label as printed, and its parents."""

    code: str
    label: str
    aliases: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()


LEVEL1: tuple[Category, ...] = (
    Category("decision", "决策", ("决策指标",)),
    Category("process", "过程", ("过程指标",)),
    Category("output", "产出指标", ("产出",)),
    Category("cost", "成本指标", ("成本",)),
    Category("benefit", "效益指标", ("效益",)),
    Category("satisfaction", "满意度指标", ("满意度",)),
)

LEVEL2: tuple[Category, ...] = (
    Category("project_approval", "项目立项", (), ("decision",)),
    Category("performance_goals", "绩效目标", (), ("decision",)),
    Category("funding_input", "资金投入", (), ("decision",)),
    Category("fund_management", "资金管理", (), ("process",)),
    Category("organisation", "组织实施", (), ("process",)),
    Category("quantity", "数量指标", ("数量",), ("output",)),
    Category("quality", "质量指标", ("质量",), ("output",)),
    Category("timeliness", "时效指标", ("时效",), ("output",)),
    Category("output_cost", "成本指标", ("成本",), ("output",)),
    Category("economic_cost", "经济成本指标", ("经济成本",), ("cost",)),
    Category("social_cost", "社会成本指标", ("社会成本",), ("cost",)),
    Category("ecological_cost", "生态环境成本指标", ("生态环境成本", "生态成本指标"), ("cost",)),
    Category("economic_benefit", "经济效益指标", ("经济效益",), ("benefit",)),
    Category("social_benefit", "社会效益指标", ("社会效益",), ("benefit",)),
    Category("ecological_benefit", "生态效益指标", ("生态效益",), ("benefit",)),
    Category("sustainability", "可持续影响指标", ("可持续影响",), ("benefit",)),
    Category(
        "beneficiary_satisfaction",
        "服务对象满意度指标",
        ("服务对象满意度",),
        ("satisfaction",),
    ),
)

UNKNOWN_LEVEL2 = "other"

# Suffixes that mark a cell as a category label we do not know yet.
CATEGORY_SUFFIXES = ("指标", "效益", "影响", "满意度")

# Level-1 categories each form requires at least one indicator in.
REQUIRED_LEVEL1 = {
    "provincial": ("decision", "process", "output", "benefit", "satisfaction"),
    "municipal": ("cost", "output", "benefit", "satisfaction"),
}


def _index(categories: tuple[Category, ...]) -> dict[str, Category]:
    index: dict[str, Category] = {}
    for category in categories:
        for label in (category.label, *category.aliases):
            index[normalise_label(label)] = category
    return index


_LEVEL1_BY_LABEL = _index(LEVEL1)
_LEVEL2_BY_LABEL: dict[str, list[Category]] = {}
for _category in LEVEL2:
    for _label in (_category.label, *_category.aliases):
        _LEVEL2_BY_LABEL.setdefault(normalise_label(_label), []).append(_category)

LEVEL1_BY_CODE = {category.code: category for category in LEVEL1}
LEVEL2_BY_CODE = {category.code: category for category in LEVEL2}


def level1_for(label: str) -> Category | None:
    return _LEVEL1_BY_LABEL.get(normalise_label(label))


def level2_for(label: str, level1_code: str | None = None) -> Category | None:
    """The level-2 category a label names, preferring one that fits under ``level1_code``."""
    candidates = _LEVEL2_BY_LABEL.get(normalise_label(label), [])
    for category in candidates:
        if level1_code in category.parents:
            return category
    return candidates[0] if candidates else None


def looks_like_category(label: str) -> bool:
    """True for a short cell worded like a category label (e.g. ``环境效益``)."""
    folded = normalise_label(label)
    return 2 <= len(folded) <= 10 and folded.endswith(CATEGORY_SUFFIXES)


# --- funds ----------------------------------------------------------------

FUND_TOTAL_LABELS = ("资金总额", "年度资金总额", "项目资金总额")

FUND_SOURCES: dict[str, str] = {
    "general_public_budget": "一般公共预算资金",
    "government_fund": "政府性基金",
    "state_capital": "国有资本金",
    "social_insurance_fund": "社保基金",
    "special_account": "财政专户管理资金",
    "prior_year_carryover": "上年结转资金",
    "fiscal_appropriation": "财政拨款",
    "other": "其他资金",
}

# The sources each 其中 row of the monitoring and self-evaluation forms counts: 财政拨款 is the
# money budgets give (a municipal table's 财政拨款, a provincial one's 一般公共预算, 政府性基金
# and 国有资本金); 上年结转资金 and 其他资金 are themselves.
REPORT_FUND_ROWS: dict[str, tuple[str, ...]] = {
    "fiscal": ("fiscal_appropriation", "general_public_budget", "government_fund", "state_capital"),
    "carryover": ("prior_year_carryover",),
    "other": ("other",),
}

_FUND_SOURCE_ALIASES = {
    "其中:财政拨款": "fiscal_appropriation",
    "其中:一般公共预算资金": "general_public_budget",
    "政府性基金预算资金": "government_fund",
    "国有资本经营预算资金": "state_capital",
    "社会保险基金": "social_insurance_fund",
    "其他": "other",
}


_FUND_SOURCE_BY_LABEL = {
    **{normalise_label(text): code for code, text in FUND_SOURCES.items()},
    **{normalise_label(text): code for text, code in _FUND_SOURCE_ALIASES.items()},
}
_FUND_TOTALS = frozenset(normalise_label(text) for text in FUND_TOTAL_LABELS)


def fund_source_for(label: str) -> str | None:
    return _FUND_SOURCE_BY_LABEL.get(normalise_label(label))


def is_fund_total(label: str) -> bool:
    return normalise_label(label) in _FUND_TOTALS


# --- project kinds, statuses, roles ---------------------------------------

KIND_LABELS = {
    "current_year": "当年项目",
    "carryover": "上年结转项目",
    "recurring": "常年安排项目",
}

_KIND_KEYWORDS = (
    ("结转", "carryover"),
    ("常年", "recurring"),
    ("经常", "recurring"),
    ("延续", "recurring"),
    ("当年", "current_year"),
    ("一次性", "current_year"),
    ("新增", "current_year"),
)


def kind_for(label: str) -> str | None:
    folded = normalise_label(label)
    for keyword, code in _KIND_KEYWORDS:
        if keyword in folded:
            return code
    return None


STATUS_LABELS = {
    "draft": "草稿",
    "submitted": "已提交",
    "returned": "已退回",
    "approved": "已审核通过",
    "adjusting": "调整中",
}

# Where a table's status came from, when not from the workflow (see domain/history.py).
STATUS_SOURCE_LABELS = {"document": "管理员导入时沿用文件所载状态"}

# What each finding code means, as the clerk reads it (see domain/finding_words.py).
FINDING_HEADLINES = {
    "funds.total_missing": "未填写资金总额",
    "funds.sources_mismatch": "资金来源合计与资金总额不一致",
    "expenditures.missing": "未填写支出明细",
    "expenditures.sum_mismatch": "支出明细全年合计与资金总额不一致",
    "expenditures.unnamed": "支出明细缺少名称",
    "expenditures.half_exceeds_full": "支出明细的半年计划执行数超过全年预算数",
    "cost.sum_mismatch": "成本指标合计与年度资金总额不一致",
    "indicators.level1_missing": "缺少必填的一级指标",
    "indicators.empty_category": "二级指标下没有三级指标",
    "indicators.unknown_category": "无法识别的二级指标",
    "indicators.half_exceeds_full": "半年指标值超过全年指标值",
    "indicators.unit_mismatch": "指标值的单位与指标名称不符",
    "indicators.impossible_bound": "指标值无法达到",
    "indicators.degenerate_bound": "指标值只能恰好在边界上达到",
    "indicators.date_outside_period": "时间指标超出项目日期范围",
    "indicators.invalid_value": "指标值不是数值、日期或文字（如比较符后没有数值、日期不存在）",
    "text.unsafe_character": "含有控制字符或双向文字控制符，请删除后再提交",
}

# The reason the CLI stores with an import when none is given; people read it in the history.
IMPORTED_FROM = "导入自文件：{files}"
SEEDED_FROM = "载入示例文件：{file}"

# The clock every time is shown on (see domain/moments.py).
SHOWN_ZONE_LABEL = "北京时间"

# A reviewer's decision (``review.action``) as people read it.
DECISION_LABELS = {"approve": "审核通过", "return": "退回"}

ROLE_LABELS = {
    "editor": "编报人",
    "reviewer": "审核人",
    "auditor": "审计人",
    "admin": "管理员",
    "system": "系统",
}

FORM_TITLES = {
    "provincial": "省级项目预算绩效目标表",
    "municipal": "项目支出绩效目标表",
}

PERIOD_LABELS = {"half_year": "半年(程)指标值", "full_year": "全年(程)指标值"}

# What the workbench says while a person edits.
UNSAVED_EDITOR = "正在编辑的内容尚未保存：请先保存或取消，再打开其他编辑框"
ADD_AFTER_ITS_CATEGORY = "同类指标之后"
# Why a sign-in token is refused (``api.auth.InvalidToken.problem``).
TOKEN_REFUSED = "令牌无效：{problem}"
TOKEN_PROBLEMS = {
    "expired": "令牌已过期，请向管理员重新获取",
    "signature": "令牌不是本节点签发的，或内容已被改动",
    "unreadable": "令牌无法读取，请完整复制管理员发给您的令牌",
    "claims": "令牌缺少必要的信息（用户、角色或行政区划）",
    "role": "令牌所含的角色不能用令牌授予",
}

# Asked before a step that hands the table on; {version} is the version the page shows.
CONFIRM_STEPS = {
    "submit": "确认提交第{version}版？提交后，审核结束前不能再修改。",
    "adjust": "确认对已批复的第{version}版申请调整？调整后须重新提交审核。",
    "approve": "确认审核通过第{version}版？通过后即为批复版本。",
    "return": "确认退回第{version}版？退回原因和逐项意见将发给编报单位。",
}

FIELD_LABELS = {
    "name": "项目名称",
    "department": "主管部门",
    "implementing_unit": "实施单位",
    "kind": "项目属性",
    "level": "项目级次",
    "start": "开始时间",
    "end": "完成时间",
    "manager": "项目负责人/联系电话",
    "necessity": "立项必要性",
    "feasibility": "实施可行性",
    "content": "项目实施内容",
    "long_term": "中长期目标",
    "annual": "年度绩效目标",
    "total": "资金总额",
    "expenditures": "支出",
    "level1": "一级指标",
    "level2": "二级指标",
    "indicator": "三级指标",
    "value": "指标值",
    "half_year_budget": "半年(程)计划执行数",
    "full_year_budget": "全年(程)预算数",
}

EVENT_LABELS = {
    "Registered": "登记",
    "ProjectFieldChanged": "修改项目信息",
    "FundTotalChanged": "修改资金总额",
    "FundSourceChanged": "修改资金来源",
    "ExpenditureChanged": "修改支出明细",
    "GoalChanged": "修改绩效目标",
    "EmptyCategoriesChanged": "修改空指标类别",
    "IndicatorAdded": "新增指标",
    "IndicatorValueChanged": "修改指标值",
    "IndicatorRenamed": "修改指标名称",
    "IndicatorMoved": "调整指标类别",
    "IndicatorExplained": "修改指标解释及设定依据",
    "IndicatorRemoved": "删除指标",
    "Submitted": "报送",
    "Returned": "退回",
    "Approved": "批复",
    "AdjustmentOpened": "发起调整",
}

# Labels of the paths in a table's history (see domain/history.py).
PATH_LABELS = {
    "status": "状态",
    "status.source": "状态来源",
    "funds.total": "资金总额",
    "goals.long_term": "中长期目标",
    "goals.annual": "年度绩效目标",
    "review.action": "审核结论",
    "review.version": "审核版本",
    "review.comment": "审核意见",
    "name": "指标名称",
    "category": "指标类别",
    "half_year": "半年(程)指标值",
    "full_year": "全年(程)指标值",
    "explanation": "指标解释",
    "basis": "指标值设定依据",
    "department_code": "部门编码",
    "carried_over_from": "结转自",
}

# Units a number may carry; the longest match wins. ``万`` alone means 万元.
UNIT_ALIASES = {"万": "万元"}

# A figure beyond what a form can hold (``domain.values.Bound``).
BOUND_NAMES = {"amount": "金额（万元）", "number": "指标值的数", "points": "分值"}
OUT_OF_RANGE = "{number} 超出{what}的范围：整数部分至多 {integers} 位，小数至多 {decimals} 位"
NOT_FINITE = "{number} 不是有限的数"
REPORT_FAULT = "此报告所存的数据无法计算（{detail}），请联系管理员"
REPORT_FAULT_WORD = "数据有误"
BEYOND_CONTEXT = "数值超出可计算的范围"

# 全年预算数 A of a self-evaluation, when it is not the approved 年度资金总额.
BUDGET_NOTE_LABEL = "全年预算数与批复预算不同的原因"
BUDGET_NOTE_NEEDED = (
    "全年预算数（A）{given} 万元与批复的年度资金总额 {approved} 万元不同，请填写原因"
)

# Units that count things, for which a half-year value cannot exceed the full year.
COUNT_UNITS = frozenset(
    {"家", "条", "件", "次", "个", "块", "项", "份", "米", "人", "户", "台", "套", "篇", "场", "期"}
)

# What an indicator name promises about its unit: (name suffix, units that fit).
NAME_UNIT_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("率", frozenset({"%"})),
    ("企业数", frozenset({"家", "个"})),
    ("单位数", frozenset({"家", "个"})),
    ("次数", frozenset({"次"})),
    ("人数", frozenset({"人", "人次"})),
    ("件数", frozenset({"件"})),
)

# --- the labelled cells of the two forms ------------------------------------

HEADER_LABELS: dict[str, str] = {
    "项目名称": "name",
    "主管部门": "department",
    "实施单位": "implementing_unit",
    "项目属性": "kind",
    "项目类型": "kind",
    "项目级次": "level",
    "开始时间": "start",
    "完成时间": "end",
    "项目日期范围": "period",
    "项目起止时间": "period",
    "项目负责人/联系电话": "manager",
    "项目负责人": "manager",
    "立项必要性": "necessity",
    "实施可行性": "feasibility",
    "项目实施内容": "content",
    "中长期目标": "long_term",
    "年度目标": "annual",
    "年度绩效目标": "annual",
    "项目资金(万元)": "funds",
    "项目资金": "funds",
}

NARRATIVE_FIELDS = frozenset({"necessity", "feasibility", "content", "long_term", "annual"})

# Fields only one of the two forms prints.
PROVINCIAL_MARKERS = frozenset({"level", "start", "end", "necessity", "feasibility", "content"})
MUNICIPAL_MARKERS = frozenset({"period"})

FUNDS_INCOME_LABEL = "收入"
FUNDS_SPENDING_LABEL = "支出"
BUDGET_COLUMN_WORDS = ("计划执行数", "预算数")

INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标")
INDICATOR_VALUE_WORD = "指标值"
HALF_YEAR_WORD = "半年"

# Lines between tables that carry no cell of a table.
FOOTER_PREFIXES = ("注:", "注：", "备注")

# --- indicator explanation and value basis (MoF indicator standard) ----------

# 指标值设定依据: the kinds of standard a target value is set against, keyed by BasisKind value.
BASIS_LABELS: dict[str, str] = {
    "plan": "计划标准",
    "industry": "行业标准",
    "history": "历史标准",
    "other": "其他标准",
}

# Short forms written in a basis cell, e.g. ``计划`` for 计划标准.
BASIS_ALIASES: dict[str, str] = {
    "计划": "plan",
    "行业": "industry",
    "历史": "history",
    "其他": "other",
}

# Headers of the indicator table's optional columns.
EXPLANATION_HEADERS = ("指标解释", "指标说明")
BASIS_HEADERS = ("指标值设定依据", "指标值确定依据", "设定依据")

# --- documents refused for what they would fill (infra/documents/coverage.py) --

GRID_SHEET = "工作表"
GRID_TABLE = "表格"
GRID_PAGE = "网页"
GRID_TOO_LARGE = (
    "这个{what}的单元格（连同合并单元格、跨行跨列所覆盖的）超过 {limit} 个，不像一张绩效目标表"
)
MERGE_BEYOND_USED = "合并单元格 {merge} 超出了工作表中有单元格的区域 {used}，请取消这处合并后再导入"
JSON_TOO_DEEP = "JSON 的嵌套超过 {limit} 层，不是绩效目标表文档"
PART_TOO_LARGE = "工作簿中的 {part} 解压后有 {size} MB，超过了 {limit} MB 的上限"
DIRECTORY_TOO_LARGE = (
    "工作簿的部件清单有 {size} MB，超过了 {limit} MB 的上限，不像一个 Excel 工作簿"
)
PAGE_TOO_MANY_ELEMENTS = "这个网页的 HTML 元素超过 {limit} 个，不像一张绩效目标表"

# --- what a document's cells say, as problems people read --------------------

# A spreadsheet cell holding an error value (#NAME?, #DIV/0!) instead of what was typed.
CELL_ERROR_VALUE = "单元格为错误值 {error}（公式无法得出结果），请直接填写内容（如 ≥1次、100%）"

# A file given where a workbook is wanted (a monitoring or self-evaluation form): what it is.
OPEN_DOCUMENT_KINDS = {
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument 电子表格（.ods）",
    "application/vnd.oasis.opendocument.text": "OpenDocument 文档（.odt）",
}
NOT_A_WORKBOOK = "不是电子表格文件"
WORKBOOK_WANTED = (
    "{what}，无法读取：请提交 Excel 工作簿（.xlsx 或 .xls；在 WPS 或 LibreOffice 中"
    "“另存为”Excel 格式）"
)

# The footer of every printed page of an exported workbook (Excel's &P and &N fields).
PAGE_NUMBER = "第 {page} 页，共 {pages} 页"

# --- document problems: why an imported file is refused, as a clerk reads it ---------------
# Each follows the place the readers put first (文件!工作表!单元格, 文件!表格N!第N行 or
# 文件:行号). Values quoted 「…」 are the file's own text; a library's detail may follow a colon.
PAGE_PLACE = "!表格{table}!第{row}行"
FILE_EMPTY = "文件是空的"
FOREIGN_KINDS = {"pdf": "PDF 文件", "png": "PNG 图片", "jpeg": "JPEG 图片"}
ZIP_KINDS = {"word": "Word 文档", "zip": "ZIP 压缩包"}
DOCUMENTS_WANTED = "请提交 Excel 工作簿（.xlsx、.xls）、HTML 网页、文本或绩效目标表文档（JSON）"
NOT_A_DOCUMENT = "{what}不是可以导入的文件；" + DOCUMENTS_WANTED
NOT_AN_EXCEL_WORKBOOK = "{what}不是 Excel 工作簿；" + DOCUMENTS_WANTED
UNKNOWN_ENCODING = (
    "文件既不是 UTF-8、GBK/GB18030、Big5 或 UTF-16 编码的文本，也不是工作簿；" + DOCUMENTS_WANTED
)
XLS_UNREADABLE = "无法打开 .xls 工作簿（文件已损坏或不是 Excel 97–2003 格式）：{detail}"
XLS_SHEET_DAMAGED = "第 {number} 个工作表已损坏，无法读取：{detail}"
XLSX_UNREADABLE = "无法打开工作簿（文件已损坏或不是 Excel 格式）：{detail}"
XLSX_SHEET_DAMAGED = "工作表「{sheet}」已损坏，无法读取：{detail}"
ZIP_DAMAGED = "ZIP/Excel 文件已损坏：{detail}"
UNPACKED_TOO_LARGE = "文件解压后有 {size} MB，超过了上限"
PAGE_UNREADABLE = "无法读取这个 HTML 网页：{detail}"
JSON_INVALID = "不是有效的 JSON：{detail}"
JSON_SCHEMA_UNSUPPORTED = "不支持的文档版本（schema）{schema}，应为 1"
JSON_FIELD_INVALID = "{path}：不符合绩效目标表文档的格式（{detail}）"
JSON_FIELD_MISSING = "{path}：缺少这一项"
TABLE_ID_INVALID = "「{id}」不是表格编号（UUID）"
INDICATOR_ID_REPEATED = "指标编号「{id}」重复"
VALUE_DISAGREES = "「{raw}」读作 {expected}，文档中却写作 {stated}"
FIELD_REPEATED = "{label}在一张表中出现了两次"
TEXT_UNLABELLED = "这段文字不在任何带标签的单元格中：「{text}」"
AMOUNT_UNLABELLED = "金额「{amount}」没有对应的标签"
FUNDS_CELL_UNEXPECTED = "资金来源中有无法识别的单元格：「{cell}」"
EXPENDITURE_AMOUNTS = "支出明细行应有 1 或 2 个金额，实有 {count} 个：「{text}」"
FIELD_MISSING = "缺少{label}，或{label}为空"
KIND_UNKNOWN = "无法识别的项目属性「{kind}」（应为{kinds}）"
PERIOD_DATES = "项目期限中有 {count} 个日期：{dates}"
DATE_UNREADABLE = "无法把「{cell}」读作日期或年份"
INDICATOR_UNCATEGORISED = "这一行指标没有所属的一级/二级指标：「{text}」"
INDICATOR_UNNAMED = "这一行没有{name_label}（指标名称）：「{text}」"
INDICATOR_VALUELESS = "指标「{name}」没有{value_label}"
INDICATOR_SHAPE = "这一行应有{shape}，实有 {count} 个单元格：「{text}」"
INDICATOR_SHAPES = {1: "指标名称和指标值", 2: "指标名称、半年和全年指标值"}
INDICATOR_SHAPE_EXTRAS = "（如填写，还有{extras}）"
INDICATOR_BEFORE_CATEGORY = "指标出现在它的一级/二级指标之前：「{text}」"
INDICATOR_NAME_IS_VALUE = "指标名称像是一个指标值：「{name}」"
COLUMNS_AMBIGUOUS = "无法判断这一行 {columns} 中哪 {count} 列是空的：「{text}」"
BASIS_UNKNOWN = (
    "指标「{name}」的{header}「{cell}」无法识别："
    "应以{kinds}之一开头（其后可写说明，如「计划标准：…」）"
)
FISCAL_YEAR_IMPOSSIBLE = "{year} 不是预算年度（{first}–{last}）"
AMOUNT_NEGATIVE = "{amount} 是负数：金额以万元计，不能为负"
INDICATOR_ID_INVALID = "「{id}」（{name}）不是指标编号：{rule}"
INDICATOR_ID_RULE = "1–64 个英文字母、数字、「-」或「_」，首个须为字母或数字"
# The fields of a table document as a clerk names them, for problems found in its figures.
DOCUMENT_FIELD_LABELS = {
    "fiscal_year": "预算年度",
    "funds.total": "资金总额",
    "half_year": "半年(程)",
    "full_year": "全年(程)",
}
EXPENDITURE_FIELD = "第 {number} 行支出的{period}金额"
INDICATOR_FIELD = "指标「{name}」的{period}指标值"
NOT_A_TARGET_TABLE = "文件中没有「项目名称」单元格，不是绩效目标表"
INDICATOR_HEADER_MISSING = "表格缺少「一级指标/二级指标/三级指标」表头行"
FISCAL_YEAR_MISSING = "表格上方没有预算年度（如「2026年度」一行）"
INDICATORS_MISSING = "指标表中没有任何指标行"
# Problems of a filled-in monitoring or self-evaluation workbook (``monitoring set``).
SHEET_AMOUNT_WANTED = "{what}应为以万元计的金额，而不是「{text}」"
SHEET_NUMBER_WANTED = "{what}应为数字，而不是「{text}」"
SHEET_NEGATIVE = "{what}不能为负数（{text}）"
SHEET_OTHER_PROJECT = "这张工作表填的是「{given}」，不是本报告所属的项目「{project}」"
SHEET_NO_HEADER = "没有哪个工作表有{form}的指标表头（{level1}、{name}……）"
SHEET_UNKNOWN_INDICATOR = "「{name}」不是批复的绩效目标表中的指标（{known}）"
SHEET_INDICATOR_TWICE = "指标「{name}」填了两次"
SHEET_ROW_UNNAMED = "填了内容的行须写明{name}"
SHEET_TICK = "请用{tick}勾选或留空，而不是「{text}」"
SHEET_OTHER_YEAR = "这张工作表是 {year} 年度的，本报告是 {fiscal_year} 年度的"
SHEET_ROW_MISSING = "缺少{label}一行"
SHEET_OTHER_MONTH = (
    "这张工作表填报到 {month} 月（{text}），本轮监控截至 {through} 月（1-{through}月）"
)
SHEET_HEADER_LACKS = "表头中没有{label}"
SHEET_TICKED_TWICE = "完成目标可能性勾选了两项（{first}、{second}），请只勾选一项"
SHEET_FUNDS_MISSING = "指标上方缺少含{columns}的{funds}栏"
SHEET_FIELD_NEEDED = "须填写{label}"
SHEET_ABOVE_ZERO = "{label}须大于 0"
SHEET_BAND_UNKNOWN = "{band}应为{words}之一，而不是「{text}」"
# Why an import is refused for one of its documents (``service_layer.admission``).
IMPORT_DOCUMENT = "第 {at} 份文档（{name}）"
IMPORT_OTHER_JURISDICTION = "文档属于行政区划 {given}，不属于本节点（{node}）"
IMPORT_OTHER_PLACE = "{label}「{text}」属于{places}，不属于本节点（{node}）；请在{places}的节点导入"
IMPORT_PROVINCE_PROJECT = "项目级次「{level}」是省本级项目，而本节点是{node}；请在所属省的节点导入"
IMPORT_TABLE_ID_ELSEWHERE = (
    "{given} 不是这个项目的表格：按行政区划、预算年度、主管部门和项目名称应为 {expected}，"
    "本节点也没有以 {given} 存放这个项目的表格；请删去 id 或改用前者"
)
