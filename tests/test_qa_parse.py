"""Reading questions (core.qa.parse) and the metric dictionary (core.qa.metrics), without a database."""

from __future__ import annotations

import pytest

from core.qa.metrics import FAMILY_BY_ID, MetricQuery, metric_name, metrics, resolve, term_index
from core.qa.parse import classify, detect_lang, find_region, normalize, read_question
from core.templates import TEMPLATES


def read(question: str) -> tuple[str, ...]:
    """The canonical keys a question asks for in a 2019-format report."""
    q = read_question(normalize(question))
    measure = resolve(q.metric, "2019")
    return measure.keys if measure else ()


def test_every_template_key_has_names_in_both_languages() -> None:
    keys = {c.key for t in TEMPLATES.values() for c in t.cells()}
    assert set(metrics()) == keys
    assert metric_name("apply.new.total") == "本年新收政府信息公开申请数量（总计）"
    assert metric_name("apply.new.total", "en") == "new requests this year (total)"
    assert metric_name("apply.withheld.state_secret.total") == "不予公开：属于国家秘密（总计）"
    assert metric_name("extra.二.1") == "extra.二.1"


@pytest.mark.parametrize(
    ("words", "key"),
    [
        (("公民", "个人", "自然人", "natural persons", "individuals"), "apply.new.natural_person"),
        (("企业", "商业企业", "businesses", "companies"), "apply.new.commercial"),
        (("律师事务所", "law firms"), "apply.new.legal_service"),
    ],
)
def test_applicant_synonyms(words: tuple[str, ...], key: str) -> None:
    for word in words:
        assert read(f"收到{word}的申请") == (key,), word


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("全部公开多少件", "apply.disclosed.total"),
        ("予以公开多少件", "apply.disclosed.total"),
        ("how many were fully disclosed", "apply.disclosed.total"),
        ("办结多少件", "apply.total.total"),
        ("办理了多少申请", "apply.total.total"),
        ("处理总数", "apply.total.total"),
        ("how many requests were processed", "apply.total.total"),
        ("上年结转多少", "apply.carried_over.total"),
        ("requests carried over from last year", "apply.carried_over.total"),
        ("结转下年度多少", "apply.carried_forward.total"),
        ("requests carried into next year", "apply.carried_forward.total"),
        ("行政复议多少件", "review.total"),
        ("reconsideration cases", "review.total"),
        ("复议被纠正几件", "review.corrected"),
        ("直接起诉多少件", "litigation.direct.total"),
        ("行政处罚", "active.penalty.decisions"),
        ("penalty decisions", "active.penalty.decisions"),
        ("行政许可", "active.licensing.decisions"),
        ("licensing", "active.licensing.decisions"),
        ("采购金额", "active.procurement.amount_yuan"),
        ("procurement amount", "active.procurement.amount_yuan"),
        ("收到多少申请", "apply.new.total"),
        ("受理了几件", "apply.new.total"),
        ("新收申请", "apply.new.total"),
        ("how many requests received", "apply.new.total"),
    ],
)
def test_synonyms_reach_the_canonical_key(question: str, key: str) -> None:
    assert read(question) == (key,)


def test_lawsuits_are_both_kinds_added() -> None:
    for question in ("起诉多少件", "诉讼多少件", "how many lawsuits"):
        assert read(question) == ("litigation.direct.total", "litigation.after_review.total")
        assert resolve(read_question(normalize(question)).metric, "2019").combine == "sum"


def test_normative_documents_follow_the_template() -> None:
    q = MetricQuery(rows=("active.normative_docs",))
    old, new = resolve(q, "2019"), resolve(q, "2021")
    assert old is not None and new is not None
    assert old.keys == tuple(
        f"active.normative_docs.{c}" for c in ("new_made", "new_published", "total_published")
    )
    assert new.keys == tuple(f"active.normative_docs.{c}" for c in ("issued", "repealed", "in_force"))
    issued = resolve(MetricQuery(rows=("active.normative_docs",), columns=("issued",)), "2019")
    assert issued is not None and issued.keys == ("active.normative_docs.new_made",) and issued.notes_zh


def test_template_differences() -> None:
    procurement = MetricQuery(rows=("active.procurement",), columns=("amount_yuan",))
    assert resolve(procurement, "2021") is None
    fees = MetricQuery(rows=("active.fees",))
    assert resolve(fees, "2021").keys == ("active.fees.amount_wan",)  # type: ignore[union-attr]
    assert resolve(fees, "2019").keys == ("active.fees.prior_items", "active.fees.change")  # type: ignore[union-attr]
    other = resolve(MetricQuery(rows=("apply.other",)), "2021")
    assert other is not None and other.keys == tuple(
        f"apply.other.{p}.total" for p in ("no_correction", "unpaid_fee", "other")
    )
    assert resolve(MetricQuery(rows=("apply.other",)), "2019").keys == ("apply.other.total",)  # type: ignore[union-attr]


def test_families() -> None:
    applicants = resolve(MetricQuery(families=("applicants",)), "2021")
    assert applicants is not None and len(applicants.items) == 6
    withheld = resolve(MetricQuery(families=("withheld",)), "2019")
    assert withheld is not None and [i.keys[0] for i in withheld.items] == [
        f"apply.{r}.total"
        for i in FAMILY_BY_ID["withheld"].items
        for r in (i.rows[0].removeprefix("apply."),)
    ]
    results = resolve(MetricQuery(families=("results",)), "2021")
    assert results is not None and len(results.items[2].keys) == 8  # 不予公开: the 8 reasons added up


def test_terms_are_normalised() -> None:
    index = term_index()
    assert all(t == normalize(t) for t in index)
    assert "其他" not in index  # a row, a column and a word: too generic alone


@pytest.mark.parametrize(
    ("question", "kind", "agencies"),
    [
        ("定海区收到多少申请", "value", 1),
        ("哪个单位收到的申请最多", "rank", 0),
        ("top 3 by 行政处罚", "rank", 0),
        ("所有单位一共收到多少申请", "sum", 0),
        ("平均每个单位收到多少申请", "average", 0),
        ("有几个单位没有收到申请", "count", 0),
        ("哪些单位没有收到申请", "list", 0),
        ("compare 白鹤街道 and 瞻岐镇", "compare", 2),
        ("定海区历年收到的申请", "compare", 1),
        ("定海区的报告有问题吗", "compliance", 1),
        ("哪些报告的表格不一致", "compliance", 0),
        ("which reports are missing table 三", "compliance", 0),
        ("你能回答什么", "help", 0),
        ("有哪些单位", "agencies", 0),
        ("list agencies in 2020", "agencies", 0),
        ("今天天气怎么样", "unknown", 0),
    ],
)
def test_classify(question: str, kind: str, agencies: int) -> None:
    text = normalize(question)
    assert classify(read_question(text, (), find_region(text)), agencies) == kind


def test_years_and_relative_years() -> None:
    assert read_question(normalize("2020年定海区")).years == (2020,)
    assert read_question(normalize("二〇二一年定海区")).years == (2021,)
    assert read_question(normalize("定海区2019年和2020年")).years == (2019, 2020)
    assert read_question(normalize("超过2000件的单位")).years == ()
    q = read_question(normalize("定海区去年收到多少申请"))
    assert q.years == () and q.year_word == "去年" and q.metric.rows == ("apply.new",)
    assert read_question(normalize("前年的行政复议")).year_offset == -1


def test_conditions_and_limits() -> None:
    q = read_question(normalize("收到申请超过10件的单位"))
    assert q.condition is not None and (q.condition.op, q.condition.value) == (">", 10)
    assert read_question(normalize("前三名")).limit == 3
    assert read_question(normalize("top 5 by penalties")).limit == 5
    zero = read_question(normalize("有几个单位没有收到申请"))
    assert zero.condition is not None and (zero.condition.op, zero.condition.value) == ("=", 0)


def test_regions() -> None:
    region = find_region(normalize("鄞州区各街道的申请数"))
    assert region is not None and (region.text, region.kind) == ("鄞州区", "街道")
    region = find_region(normalize("2020年宁波市鄞州区哪个镇收到的申请最多"))
    assert region is not None and (region.text, region.kind) == ("宁波市鄞州区", "镇")
    region = find_region(normalize("subdistricts in 鄞州区"))
    assert region is not None and region.kind == "街道"
    assert find_region(normalize("定海区收到多少申请")) is None


def test_language_and_leftovers() -> None:
    assert detect_lang("how many requests did 定海区 receive") == "en"
    assert detect_lang("定海区收到多少申请") == "zh"
    assert detect_lang("top 3 by 行政处罚") == "en"
    # Whatever is not vocabulary is a candidate name for the agency resolver.
    assert read_question(normalize("请问定海去收到多少申请")).leftovers == ("定海去",)
    assert read_question(normalize("how many requests did dinghai district receive")).leftovers == (
        "dinghai district",
    )
