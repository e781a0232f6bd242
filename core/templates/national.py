"""The two national formats: 国办公开办函〔2019〕60号 (reports for 2019–2020) and 〔2021〕30号 (2021 on).

Everything that differs between them is written here once; see ../shared/docs/report-format.md §1–§2.
"""

from __future__ import annotations

from core.templates.schema import (
    BlockDef,
    ColumnDef,
    RowDef,
    SectionDef,
    TableDef,
    TemplateDef,
)

SECTIONS = (
    SectionDef("一", "总体情况", "Overview", ("基本情况", "概述")),
    SectionDef("二", "主动公开政府信息情况", "Proactive disclosure", ("主动公开", "主动公开政务信息情况")),
    SectionDef(
        "三",
        "收到和处理政府信息公开申请情况",
        "Disclosure requests",
        ("依申请公开", "收到和处理政府信息公开申请"),
    ),
    SectionDef(
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        "Reconsideration and litigation",
        ("行政复议", "行政诉讼", "被申请行政复议、提起行政诉讼情况"),
    ),
    SectionDef(
        "五",
        "存在的主要问题及改进情况",
        "Problems and improvements",
        ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题", "存在问题及改进措施"),
    ),
    SectionDef("六", "其他需要报告的事项", "Other matters", ("其他需要报告", "其它需要报告的事项")),
)

# ---------------------------------------------------------------- table 三 (both templates)

_ORGANISATIONS = "法人或其他组织"
APPLICANT_COLUMNS = (
    ColumnDef("natural_person", "自然人", "natural persons", aliases=("公民", "个人")),
    ColumnDef("commercial", "商业企业", "businesses", aliases=("企业",), group=_ORGANISATIONS),
    ColumnDef("research", "科研机构", "research institutions", group=_ORGANISATIONS),
    ColumnDef("nonprofit", "社会公益组织", "non-profit organisations", aliases=("公益组织",), group=_ORGANISATIONS),
    ColumnDef("legal_service", "法律服务机构", "legal service providers", aliases=("律师事务所",), group=_ORGANISATIONS),
    ColumnDef("other_org", "其他", "other organisations", aliases=("其它",), group=_ORGANISATIONS),
    ColumnDef("total", "总计", "total", aliases=("合计",)),
)

_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"
_RESULTS = "三、本年度办理结果"

_APPLY_HEAD = (
    RowDef("new", "一、本年新收政府信息公开申请数量", "new requests this year", ("本年新收",)),
    RowDef("carried_over", "二、上年结转政府信息公开申请数量", "carried over from last year", ("上年结转",)),
    RowDef("disclosed", "（一）予以公开", "fully disclosed", ("予以公开",), group=_RESULTS),
    RowDef(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "partly disclosed",
        ("（二）部分公开", "部分公开"),
        group=_RESULTS,
    ),
    RowDef("withheld.state_secret", "1.属于国家秘密", "state secret", ("国家秘密",), group=_WITHHELD),
    RowDef(
        "withheld.prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        "prohibited by other laws",
        ("其他法律行政法规禁止公开",),
        group=_WITHHELD,
    ),
    RowDef(
        "withheld.security_stability",
        "3.危及“三安全一稳定”",
        "endangers security or stability",
        ("危及三安全一稳定", "三安全一稳定"),
        group=_WITHHELD,
    ),
    RowDef("withheld.third_party", "4.保护第三方合法权益", "third-party rights", ("保护第三方合法权益",), group=_WITHHELD),
    RowDef(
        "withheld.internal_affairs", "5.属于三类内部事务信息", "internal affairs", ("三类内部事务信息",), group=_WITHHELD
    ),
    RowDef("withheld.process_info", "6.属于四类过程性信息", "process information", ("四类过程性信息",), group=_WITHHELD),
    RowDef("withheld.enforcement_file", "7.属于行政执法案卷", "enforcement files", ("行政执法案卷",), group=_WITHHELD),
    RowDef("withheld.inquiry", "8.属于行政查询事项", "administrative inquiries", ("行政查询事项",), group=_WITHHELD),
    RowDef(
        "unavailable.not_held",
        "1.本机关不掌握相关政府信息",
        "information not held",
        ("本机关不掌握相关政府信息", "不掌握相关政府信息"),
        group=_UNAVAILABLE,
    ),
    RowDef(
        "unavailable.needs_creation",
        "2.没有现成信息需要另行制作",
        "would need to be created",
        ("没有现成信息需要另行制作",),
        group=_UNAVAILABLE,
    ),
    RowDef(
        "unavailable.unclear",
        "3.补正后申请内容仍不明确",
        "still unclear after correction",
        ("补正后申请内容仍不明确",),
        group=_UNAVAILABLE,
    ),
    RowDef(
        "not_processed.petition", "1.信访举报投诉类申请", "petitions and complaints", ("信访举报投诉类申请",), group=_NOT_PROCESSED
    ),
    RowDef("not_processed.duplicate", "2.重复申请", "duplicate requests", ("重复申请",), group=_NOT_PROCESSED),
    RowDef(
        "not_processed.publication", "3.要求提供公开出版物", "asks for publications", ("要求提供公开出版物",), group=_NOT_PROCESSED
    ),
    RowDef(
        "not_processed.mass_repeat",
        "4.无正当理由大量反复申请",
        "mass repeated requests",
        ("无正当理由大量反复申请",),
        group=_NOT_PROCESSED,
    ),
    RowDef(
        "not_processed.confirm_existing",
        "5.要求行政机关确认或重新出具已获取信息",
        "confirm or re-issue obtained information",
        ("要求行政机关确认或重新出具已获取信息",),
        group=_NOT_PROCESSED,
    ),
)

_APPLY_TAIL = (
    RowDef("total", "（七）总计", "total processed", ("总计", "合计"), group=_RESULTS),
    RowDef("carried_forward", "四、结转下年度继续办理", "carried into next year", ("结转下年度继续办理", "结转下年度")),
)

_APPLY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
# The note above as data, for both formats (report-format.md §4 R1).
_APPLY_BALANCE = (("new", "carried_over"), ("total", "carried_forward"))

APPLY_2019 = BlockDef(
    key="apply",
    label="申请人情况",
    prefix="apply.",
    rows=(*_APPLY_HEAD, RowDef("other", _OTHER, "other handling", ("其他处理", "其他"), group=_RESULTS), *_APPLY_TAIL),
    columns=APPLICANT_COLUMNS,
    aliases=(_APPLY_NOTE,),
    total_column="total",
    total_row="total",
    balance=_APPLY_BALANCE,
)

APPLY_2021 = BlockDef(
    key="apply",
    label="申请人情况",
    prefix="apply.",
    rows=(
        *_APPLY_HEAD,
        RowDef(
            "other.no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "applicant did not correct in time",
            ("申请人无正当理由逾期不补正",),
            group=_OTHER,
        ),
        RowDef(
            "other.unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "applicant did not pay the fee",
            ("申请人逾期未按收费通知要求缴纳费用",),
            group=_OTHER,
        ),
        RowDef("other.other", "3.其他", "other", ("其他",), group=_OTHER),
        RowDef(
            "other",
            _OTHER,
            "other handling",
            ("其他处理",),
            group=_RESULTS,
            sum_of=("other.no_correction", "other.unpaid_fee", "other.other"),
        ),
        *_APPLY_TAIL,
    ),
    columns=APPLICANT_COLUMNS,
    aliases=(_APPLY_NOTE,),
    total_column="total",
    total_row="total",
    balance=_APPLY_BALANCE,
)

# ---------------------------------------------------------------- table 四 (both templates)

OUTCOME_COLUMNS = (
    ColumnDef("upheld", "结果维持", "upheld", aliases=("维持",)),
    ColumnDef("corrected", "结果纠正", "corrected", aliases=("纠正",)),
    ColumnDef("other", "其他结果", "other outcome"),
    ColumnDef("pending", "尚未审结", "pending", aliases=("未审结",)),
    ColumnDef("total", "总计", "total", aliases=("合计",)),
)

# Printed over the two lawsuit groups of table 四 (the block's rows here).
LITIGATION = "行政诉讼"
# Table 四 is one printed row of 15 numbers; its three "rows" here are the three column groups.
REVIEW = BlockDef(
    key="review",
    label="行政复议",
    prefix="",
    rows=(
        RowDef("review", "行政复议", "administrative reconsideration", ("复议",)),
        RowDef("litigation.direct", "未经复议直接起诉", "lawsuits filed directly", ("直接起诉",)),
        RowDef("litigation.after_review", "复议后起诉", "lawsuits after reconsideration", ("复议后起诉",)),
    ),
    columns=OUTCOME_COLUMNS,
    aliases=(LITIGATION,),
    total_column="total",
)

TABLE4 = TableDef(
    id="四",
    title="政府信息公开行政复议、行政诉讼情况",
    en="Reconsideration and litigation",
    blocks=(REVIEW,),
    heading_aliases=("行政复议", "行政诉讼"),
)

# ---------------------------------------------------------------- table 二

_ITEM = "第二十条第（{}）项"
_PRIOR = ColumnDef("prior_items", "上一年项目数量", "items at end of last year", aliases=("原有项目数量", "上年项目数量"))
_CHANGE = ColumnDef(
    "change", "本年增/减", "change this year", unit="delta", aliases=("本年增减", "本年更新", "本年增/减项目数量", "增/减")
)
_DECISIONS_2019 = ColumnDef("decisions", "处理决定数量", "decisions", aliases=("本年处理决定数量",))
_DECISIONS_2021 = ColumnDef("decisions", "本年处理决定数量", "decisions this year", aliases=("处理决定数量",))

_REGULATIONS = RowDef("regulations", "规章", "rules (规章)")
_NORMATIVE_2019 = RowDef("normative_docs", "规范性文件", "normative documents", ("行政规范性文件",))
_NORMATIVE_2021 = RowDef("normative_docs", "行政规范性文件", "normative documents", ("规范性文件",))
_LICENSING = RowDef("licensing", "行政许可", "licensing", ("许可",))
_PENALTY = RowDef("penalty", "行政处罚", "penalties", ("处罚",))
_COERCION = RowDef("coercion", "行政强制", "coercive measures", ("强制",))
_FEES = RowDef("fees", "行政事业性收费", "administrative fees", ("收费",))

ACTIVE_2019 = TableDef(
    id="二",
    title="主动公开政府信息情况",
    en="Proactive disclosure",
    heading_aliases=("主动公开",),
    label_header="信息内容",
    blocks=(
        BlockDef(
            "item1",
            _ITEM.format("一"),
            "active.",
            rows=(_REGULATIONS, _NORMATIVE_2019),
            columns=(
                ColumnDef("new_made", "本年新制作数量", "newly made", aliases=("本年新制作", "制作")),
                ColumnDef("new_published", "本年新公开数量", "newly published", aliases=("本年新公开",)),
                ColumnDef("total_published", "对外公开总数量", "total published", aliases=("对外公开数量",)),
            ),
            at_most=(("new_published", "total_published"),),
        ),
        BlockDef(
            "item5",
            _ITEM.format("五"),
            "active.",
            rows=(_LICENSING, RowDef("other_services", "其他对外管理服务事项", "other public services", ("其他对外管理服务",))),
            columns=(_PRIOR, _CHANGE, _DECISIONS_2019),
        ),
        BlockDef("item6", _ITEM.format("六"), "active.", rows=(_PENALTY, _COERCION), columns=(_PRIOR, _CHANGE, _DECISIONS_2019)),
        BlockDef("item8", _ITEM.format("八"), "active.", rows=(_FEES,), columns=(_PRIOR, _CHANGE)),
        BlockDef(
            "item9",
            _ITEM.format("九"),
            "active.",
            rows=(RowDef("procurement", "政府集中采购", "centralised government procurement", ("集中采购", "采购")),),
            columns=(
                ColumnDef("count", "采购项目数量", "procurement items"),
                ColumnDef("amount_yuan", "采购总金额", "procurement amount", unit="yuan", aliases=("采购金额",)),
            ),
        ),
    ),
)

ACTIVE_2021 = TableDef(
    id="二",
    title="主动公开政府信息情况",
    en="Proactive disclosure",
    heading_aliases=("主动公开",),
    label_header="信息内容",
    blocks=(
        BlockDef(
            "item1",
            _ITEM.format("一"),
            "active.",
            rows=(_REGULATIONS, _NORMATIVE_2021),
            columns=(
                ColumnDef("issued", "本年制发件数", "issued this year", aliases=("制发件数",)),
                ColumnDef("repealed", "本年废止件数", "repealed this year", aliases=("废止件数",)),
                ColumnDef("in_force", "现行有效件数", "in force", aliases=("现行有效",)),
            ),
        ),
        BlockDef("item5", _ITEM.format("五"), "active.", rows=(_LICENSING,), columns=(_DECISIONS_2021,)),
        BlockDef("item6", _ITEM.format("六"), "active.", rows=(_PENALTY, _COERCION), columns=(_DECISIONS_2021,)),
        BlockDef(
            "item8",
            _ITEM.format("八"),
            "active.",
            rows=(_FEES,),
            columns=(
                ColumnDef(
                    "amount_wan",
                    "本年收费金额（单位：万元）",
                    "fees collected (10k yuan)",
                    unit="wan",
                    aliases=("本年收费金额", "收费金额"),
                ),
            ),
        ),
    ),
)

TEMPLATE_2019 = TemplateDef(
    version="2019",
    notice="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=SECTIONS,
    tables=(
        ACTIVE_2019,
        TableDef(
            id="三",
            title="收到和处理政府信息公开申请情况",
            en="Disclosure requests",
            blocks=(APPLY_2019,),
            heading_aliases=("依申请",),
        ),
        TABLE4,
    ),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购总金额", "第二十条第（九）项"),
)

TEMPLATE_2021 = TemplateDef(
    version="2021",
    notice="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=SECTIONS,
    tables=(
        ACTIVE_2021,
        TableDef(
            id="三",
            title="收到和处理政府信息公开申请情况",
            en="Disclosure requests",
            blocks=(APPLY_2021,),
            heading_aliases=("依申请",),
        ),
        TABLE4,
    ),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "申请人无正当理由逾期不补正"),
)

TEMPLATES: dict[str, TemplateDef] = {"2019": TEMPLATE_2019, "2021": TEMPLATE_2021}


def template_for_year(year: int) -> TemplateDef:
    """The format a report for ``year`` should use (the 2021 format from the 2021 reports on)."""
    return TEMPLATE_2021 if year >= TEMPLATE_2021.first_year else TEMPLATE_2019
