"""Reading questions (core.qa.parse, core.qa.lexicon) and matching them against the question catalogue
(core.templates.catalogue, core.qa.match), without a database."""

from __future__ import annotations

import pytest

from core.qa.match import match
from core.qa.parse import Condition, detect_lang, normalize, read
from core.templates.catalogue import by_id, cell, entries, strip_numbering
from core.templates.national import TEMPLATES
from core.templates.rates import RATES


def _match(
    question: str, versions: tuple[str, ...] = ("2019", "2021"), taken: tuple[tuple[int, int], ...] = ()
):
    r = read(normalize(question), taken)
    return match([t for t in r.tokens if t.has("concept")], versions=versions), r


# ---------------------------------------------------------------- the catalogue


def test_every_cell_of_both_formats_is_in_the_catalogue_with_its_unit() -> None:
    for template in TEMPLATES.values():
        for c in template.cells():
            entry = cell(c.key)
            assert entry is not None and template.version in entry.versions
            assert entry.unit == {"count": "件", "delta": "件", "yuan": "元", "wan": "万元"}[c.unit]
    assert by_id()["apply.withheld.total"].keys["2021"] == tuple(
        f"apply.withheld.{r}.total"
        for r in ("state_secret", "prohibited_by_law", "security_stability", "third_party", "internal_affairs",
                  "process_info", "enforcement_file", "inquiry")
    )  # fmt: skip
    assert by_id()["litigation.corrected"].keys["2019"] == (
        "litigation.direct.corrected",
        "litigation.after_review.corrected",
    )
    # 2021's （六）其他处理 is read from its three printed sub-rows.
    assert len(by_id()["apply.other.total"].keys["2021"]) == 3


def test_the_rates_are_those_of_core_templates_rates() -> None:
    rates = {e.rate for e in entries() if e.kind == "rate"}
    assert rates == set(RATES)
    assert all(by_id()[f"rate.{r.id}"].unit == "%" for r in RATES)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_printed_label_reaches_its_cell(version: str) -> None:
    """Row label (and column label) as the template prints them → exactly that cell, in Chinese and English."""
    for c in TEMPLATES[version].cells():
        if c.derived or strip_numbering(c.row.label) in ("总计", "其他"):
            continue  # too generic to name a row on their own: asked back instead
        zh = strip_numbering(c.row.label) + (
            "" if c.column.key == "total" else strip_numbering(c.column.label)
        )
        en = c.row.en + ("" if c.column.key == "total" else f" {c.column.en}")
        for question in (zh, en):
            m, _ = _match(question, (version,))
            assert m.status == "answer" and m.entry is not None and m.entry.id == c.key, (
                question,
                m.best[:3],
            )


def test_a_column_one_format_lacks_is_answered_from_its_equivalent() -> None:
    issued = by_id()["active.normative_docs.issued"]
    assert "2019" in issued.versions
    assert issued.keys_for("2019") == (("active.normative_docs.new_made",), "active.normative_docs.new_made")
    assert by_id()["active.procurement.count"].keys_for("2021") == ((), None)


# ---------------------------------------------------------------- reading


def test_years_as_typed() -> None:
    assert [y.year for y in read(normalize("2020年定海区")).years] == [2020]
    assert [y.year for y in read(normalize("二〇二一年定海区")).years] == [2021]
    assert [y.year for y in read(normalize("二零二零年")).years] == [2020]
    assert [y.year for y in read(normalize("定海区20年收到的申请")).years] == [2020]
    assert [y.year for y in read(normalize("定海区2019年和2020年")).years] == [2019, 2020]
    assert read(normalize("超过2000件的单位")).years == []
    # short years in a list or pair: the 年 after the last, or a full year before, makes them years
    for question in ("吴兴区20、21两年收到申请的差", "20和21年", "2020和21的差", "2020年和21年", "in '20 and '21"):
        assert [y.year for y in read(normalize(question)).years] == [2020, 2021], question
    assert [y.year for y in read(normalize("19至21年收到申请")).years] == [2019, 2021]
    assert read(normalize("收到申请20和21件的单位")).years == []
    assert [y.year for y in read(normalize("2020年有20、21件")).years] == [2020]
    assert [y.year for y in read(normalize("2020年报")).years] == [2020]
    # bare, as terse queries type them: 鹿城 21 复议, 19～21, 二〇二一
    for question, years in (("鹿城 21 复议", [2021]), ("吴兴 复议 19～21 增减", [2019, 2021]),
                            ("织里 20 21 复议", [2020, 2021]), ("五马街道 二〇二一 老百姓", [2021])):  # fmt: skip
        assert [y.year for y in read(normalize(question)).years] == years, question
    assert read(normalize("超过21件的单位")).years == [] and read(normalize("第21名")).years == []
    # 2019版 is a template, not a year
    assert read(normalize("用的是2019版还是2021版模板")).years == []
    assert [y.kind for y in read(normalize("去年比前年多收了多少")).years] == ["last", "before_last"]
    # 两年前, 前两年, two years earlier: counted back (from the year named, see core.qa.when.years)
    for question in ("鹿城区2021年比两年前多收多少申请", "2021年比前两年多收多少", "2021 vs two years earlier"):
        assert [(y.kind, y.back) for y in read(normalize(question)).years][-1] == ("back", 2), question
    assert read(normalize("2021年比前两年多收多少")).top is None  # 前两年 is no ranking
    assert read(normalize("前两年收到的申请")).years == []  # no year named: maybe the two years before
    # 本年度 next to a year is the report's own year (三、本年度办理结果), not the clock's
    assert [y.year for y in read(normalize("2021年本年度办理结果总计")).years] == [2021]
    assert [y.kind for y in read(normalize("本年度收到多少申请")).years] == ["this"]
    assert read(normalize("which county-level government had the most lawsuits")).kinds() == {"gov"}


def test_conditions_tops_and_tables() -> None:
    assert read(normalize("收到申请超过10件的单位")).condition == Condition(">", 10)
    assert read(normalize("行政复议3件以上的单位")).condition == Condition(">=", 3)
    assert read(normalize("超过二十件")).condition == Condition(">", 20)
    assert read(normalize("at least 30 requests")).condition == Condition(">=", 30)
    assert read(normalize("实质公开率超过50%")).condition == Condition(">", 50, percent=True)
    # 不为零, non-zero: more than nothing (零 alone is "none")
    assert read(normalize("行政诉讼不为零的街道")).condition == Condition(">", 0)
    assert read(normalize("agencies with a non-zero number of lawsuits")).condition == Condition(">", 0)
    assert read(normalize("行政诉讼为零的街道")).condition is None
    # 空白, 没填, left blank: the cell printed empty; with 零 as well, = 0 (blank cells count 0)
    for question in ("行政复议空白的单位", "行政复议为空白的单位", "有几个单位的行政复议没填", "who left lawsuits blank"):
        r = read(normalize(question))
        assert r.condition is not None and r.condition.op == "blank" and not r.leftovers, question
    assert read(normalize("2021年有几个单位的行政复议是空白或为零")).condition == Condition("=", 0)
    assert not Condition("blank", 0).holds(0)  # a figure printed 0 is not blank
    assert read(normalize("前三名")).top == 3
    assert read(normalize("top 5 by penalties")).top == 5
    assert read(normalize("收申请最多的三个单位")).top == 3
    assert read(normalize("瞻岐镇有表三吗")).table == "三"
    assert read(normalize("which reports lack table 4")).table == "四"
    assert read(normalize("保护第三方合法权益")).table is None  # 第三方 is not table 三


def test_typos_homophones_and_misspellings() -> None:
    r = read(normalize("定海区予以工开几件"))
    (token,) = [t for t in r.tokens if t.has("concept")]
    assert token.fuzzy and token.term == "予以公开"
    r = read(normalize("how many did dinghai proccess"))
    assert any(t.fuzzy and t.term == "process" for t in r.tokens)
    # A rare reading is not a homophone: 有什么 is not 为什么.
    assert not any(t.fuzzy for t in read(normalize("有什么变化")).tokens)


def test_words_nothing_explains_are_left_over() -> None:
    r = read(normalize("定海区收到多少封信访信件"), [(0, 3)])
    assert [c.text for c in r.leftovers] == ["封信访信"]  # 信访 letters are no disclosure requests
    assert [c.text for c in read(normalize("定海区的局长是谁"), [(0, 3)]).leftovers] == ["长"]
    # 定海去: a lone character after a name that sounds like its suffix is a typo of it.
    assert read(normalize("定海去收到多少申请"), [(0, 2)]).leftovers == []
    # An unknown name takes its suffix: 公安局, not 公安 + the kind "局".
    r = read(normalize("公安局收到多少申请"))
    assert [(c.text, c.name_like) for c in r.leftovers] == [("公安局", True)] and not r.kinds()
    r = read(normalize("how many requests did the ouhai district government receive"))
    assert [c.text for c in r.leftovers] == ["ouhai district government"]


def test_a_question_word_keeps_its_noun() -> None:
    """哪个单位申请最多: 单位 is the agency asked about, not the applicants' 单位 (法人或其他组织) — on a tie
    between two covers the question word keeps its noun."""
    r = read(normalize("哪个单位申请最多"))
    assert [t.text for t in r.tokens][:2] == ["哪个单位", "申请"]
    assert "col:organisations" not in r.concepts()
    m, _ = _match("单位申请了多少")  # no question word: the applicants that are organisations
    assert m.entry is not None and m.entry.id == "apply.new.organisations"


def test_a_condition_says_where_it_was_typed() -> None:
    text = normalize("有几个申请人起诉了两次以上")
    c = read(text).condition
    assert c == Condition(">=", 2) and c.span and text[slice(*c.span)] == "两次以上"


def test_language() -> None:
    assert detect_lang(normalize("top 3 by 行政处罚")) == "en"
    assert detect_lang(normalize("定海区收到多少申请")) == "zh"


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("收到多少申请", "apply.new.total"),
        ("还没办完转到明年的有几件", "apply.carried_forward.total"),
        ("因为不掌握信息而没法提供的有几件", "apply.unavailable.not_held.total"),
        ("无法提供的一共几件", "apply.unavailable.total"),
        ("企业申请了多少", "apply.new.commercial"),
        ("办结了多少申请", "apply.total.total"),
        ("直接告到法院的有几件", "litigation.direct.total"),
        ("打了几场官司", "litigation.total"),
        ("复议纠错率是多少", "rate.review_correction"),
        ("What share of requests did they fully disclose?", "rate.disclosure"),
        ("予以公开和部分公开的比例", "rate.substantive_disclosure"),
        ("年报是哪天发布的", "fact.published_on"),
        ("截止日期是哪天", "fact.deadline"),
        ("逾期了几天", "fact.days_late"),
        ("按时发布了吗", "fact.on_time"),
        ("用的哪个版本的模板", "fact.template"),
        ("申请人构成", "breakdown.applicants"),
        ("不予公开的原因分布", "breakdown.withheld"),
        ("规范性文件", "row.active.normative_docs"),
        # pending said of requests is carried into next year, of cases not yet decided
        ("how many requests were still pending at the end of the year", "apply.carried_forward.total"),
        ("how many reconsideration cases are still pending", "review.pending"),
        # complete said of requests is processed; of a report, its tables all there
        ("what share of requests did they complete", "rate.completion"),
        ("is the report complete", "fact.tables"),
        ("复议被撤销或者变更的", "review.corrected"),
        ("申请人是科研机构的有几件", "apply.new.research"),
        ("年报应该在哪天前发布", "fact.deadline"),
        # a label as printed, quotes and all; English with its articles
        ("危及“三安全一稳定”的不予公开件数", "apply.withheld.security_stability.total"),
        ("how many requests were carried over to the next year", "apply.carried_forward.total"),
        # the applicant's win is the agency's loss
        ("行政复议申请人胜诉了几次", "review.corrected"),
        ("原告败诉的行政诉讼", "litigation.upheld"),
        # descriptions people use instead of the labels
        ("从上一年带过来的申请有几个", "apply.carried_over.total"),
        ("转到明年接着办的有多少", "apply.carried_forward.total"),
        ("申请人没按时交费的有几件", "apply.other.unpaid_fee.total"),
        ("要求确认或者重新出具已经拿到的信息的申请", "apply.not_processed.confirm_existing.total"),
        ("复议完了又去起诉的有几个", "litigation.after_review.total"),
        ("how many lawsuits without prior reconsideration", "litigation.direct.total"),
        ("how many requests did not finish and go to next year", "apply.carried_forward.total"),
        # 加 joins the parts of a sum as 和 does
        ("予以公开加部分公开占办理总数的比例", "rate.substantive_disclosure"),
        # disclosure applications are the requests; handled is what was done with them, not fully disclosed
        ("how many disclosure applications were handled", "apply.total.total"),
        ("年底还没处理完的申请", "apply.carried_forward.total"),
        ("承接上年度的申请", "apply.carried_over.total"),
        ("只给了部分信息的申请", "apply.partial.total"),
        ("申请人没说清楚要什么、补正后还不明确的", "apply.unavailable.unclear.total"),
        ("来自公司的申请", "apply.new.commercial"),
        ("年报是在截止日之前发的吗", "fact.on_time"),
        ("年报拖了几天", "fact.days_late"),
        # 其他 names the row 其他处理 or the column 其他, never both at once
        ("申请人是其他的有几件", "apply.new.other_org"),
        ("其他处理多少件", "apply.other.total"),
        ("how many requests were still unprocessed at the end of the year", "apply.carried_forward.total"),
        ("年报有没有在法定期限内公布", "fact.on_time"),
        ("年报法定截止日是哪天", "fact.deadline"),
        # 结案率 is the 办结率 of core.templates.rates said of cases closed
        ("结案率是多少", "rate.completion"),
        ("申请的结案比例", "rate.completion"),
    ],
)
def test_the_clear_winner(question: str, entry: str) -> None:
    m, _ = _match(question)
    assert m.status == "answer" and m.entry is not None and m.entry.id == entry, m.best[:3]


def test_two_readings_that_fit_equally_are_asked_about() -> None:
    m, _ = _match("被纠正了几件")
    assert m.status == "partial"
    assert {s.entry.id for s in m.best} >= {"review.corrected", "litigation.corrected"}
    m, _ = _match("纠错率")
    assert {s.entry.id for s in m.best} == {"rate.review_correction", "rate.litigation_correction"}


def test_a_figure_a_rate_does_not_define_is_not_answered_with_the_count() -> None:
    """部分公开的比例 is no defined rate: never the 部分公开 count instead."""
    m, _ = _match("部分公开的比例")
    assert m.status != "answer"


def test_the_applicant_breakdown_follows_the_first_row_named() -> None:
    """Two rows named: the first in the question, in every process (a set's order varies with the hash
    seed, which made a held-back answer change from one run to the next)."""
    from datetime import datetime

    from core.qa.reply import Context
    from core.qa.single import breakdown_parts

    for question, row in (("予以公开和办结的申请人构成", "disclosed"), ("办结和予以公开的申请人构成", "total")):
        ctx = Context(None, read(normalize(question)), "zh", [], datetime(2022, 6, 15))  # type: ignore[arg-type]
        keys = [k for _, _, ks in breakdown_parts(ctx, by_id()["breakdown.applicants"], "2021") for k in ks]
        assert keys and all(k.startswith(f"apply.{row}.") for k in keys), keys


def test_chat_words_for_which_all_and_years() -> None:
    assert "which" in read(normalize("谁家被起诉最多")).flags()
    assert "all" in read(normalize("全市收到申请最多的区县政府")).flags()
    assert "every_year" in read(normalize("这两年收到的申请变化")).flags()
    for question in ("yo how many requests", "wat was the number of requests", "来自公司的申请"):
        assert read(normalize(question)).leftovers == [], question


def test_the_year_a_report_came_out_names_the_year_before() -> None:
    r = read(normalize("鹿城区2022年发布的年报收到多少申请"), [(0, 3)])
    assert [(y.year, y.relation) for y in r.years] == [(2022, "published")]
    assert "fact:published" not in r.concepts()  # 发布 is said of the year, not asked
    # with the report's own year named, the year it came out only restates it, and the date is asked
    r = read(normalize("定海区2020年的年报是2021年几月几号发布的"), [(0, 3)])
    assert [(y.year, y.relation) for y in r.years] == [(2020, None), (2021, "published")]
    assert "fact:published" in r.concepts()
    r = read(normalize("定海区去年什么时候发布的年报"), [(0, 3)])
    assert [(y.kind, y.relation) for y in r.years] == [("last", "published")] and "fact:published" in r.concepts()
    # published said of a figure is no report year (2021年公布的处罚决定 has no 年报 in it)
    assert read(normalize("2021年公布的行政处罚决定")).years[0].relation is None


def test_how_many_said_of_a_kind_counts_agencies() -> None:
    from core.qa.across import counts_kind

    assert counts_kind(read(normalize("2021年有几个街道被复议纠正过")))
    assert counts_kind(read(normalize("how many towns had reconsiderations in 2021")))
    assert not counts_kind(read(normalize("2021年街道收到多少申请")))


def test_first_place_is_one_agency() -> None:
    """排名第一, 倒数第一, 第一名: the one agency, as 最多 is (not the ranking's first ten)."""
    from core.qa.across import _superlative

    for question, top in (("收到申请排名倒数第一的单位", 1), ("收到申请第一名", 1), ("收到申请前三名", 3)):
        r = read(normalize(question))
        assert r.top == top and _superlative(r.flags(), r.top) == (top == 1), question
    assert read(normalize("表三第一行总计")).top is None  # 第一 of a row is no ranking
    assert not read(normalize("实质公开率变化了几个百分点")).leftovers


def test_years_counted_back_from_the_year_named() -> None:
    """两年前, 前两年 count back from the year named, before or after them; alone, from the clock."""
    from datetime import datetime

    from core.qa.reply import Context
    from core.qa.when import years

    def named(question: str) -> list[int | None]:
        ctx = Context(None, read(normalize(question)), "zh", [], datetime(2022, 6, 15))  # type: ignore[arg-type]
        return [y.year for y in years(ctx)]

    assert named("鹿城区2021年比两年前多收多少申请") == [2021, 2019]
    assert named("2021年比前两年多收多少申请") == [2021, 2019]
    assert named("和三年前比2021年收到的申请") == [2018, 2021]
    assert named("两年前收到多少申请") == [2020]
