"""core/pinyin.txt reads as pypinyin does: the table is what scripts/make_pinyin_table.py writes from the
installed pypinyin, and names and terms come out as lazy_pinyin spells them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from core import pinyin
from core.qa import lexicon

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "qa_corpus"))

from world import AGENCIES  # noqa: E402


def _generator():  # scripts/ is no package
    spec = importlib.util.spec_from_file_location("make_pinyin_table", ROOT / "scripts" / "make_pinyin_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_table_is_what_the_installed_pypinyin_gives() -> None:
    shipped = pinyin.TABLE.read_text(encoding="utf-8").splitlines()
    assert shipped == _generator().table_lines(), "run scripts/make_pinyin_table.py"


def test_every_phrase_up_to_the_longest_reads_as_pypinyin_reads_it() -> None:
    phrases = [p for p in PHRASES_DICT if len(p) <= pinyin.LONGEST_PHRASE]
    assert len(phrases) > 40_000
    wrong = [p for p in phrases if pinyin.spell(p) != "".join(lazy_pinyin(p))]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("重庆市", "chongqingshi"),  # 重 usually zhong
        ("长沙市", "changshashi"),
        ("行政复议", "xingzhengfuyi"),
        ("中国银行", "zhongguoyinhang"),  # 行 as hang, by the phrase
        ("重复申请", "chongfushenqing"),
        ("鄞州区", "yinzhouqu"),
        ("埇桥区", "yongqiaoqu"),
        ("Dinghai 区", "Dinghai qu"),  # what has no reading is kept
    ],
)
def test_polyphonic_names_and_words(text: str, spelled: str) -> None:
    assert pinyin.spell(text) == spelled
    assert pinyin.spell(text) == "".join(lazy_pinyin(text))


def test_agency_names_and_catalogue_terms_match_lazy_pinyin() -> None:
    names = {n for a in AGENCIES for n in (a.name, a.short, a.region)}
    terms = {"".join(k) for k in lexicon.index().exact if all(lexicon._HAN.match(f) for f in k)}
    assert len(names) > 20 and len(terms) > 500
    assert [t for t in sorted(names | terms) if pinyin.spell(t) != "".join(lazy_pinyin(t))] == []


def test_a_character_has_its_usual_reading_only() -> None:
    assert pinyin.reading("有") == "you"  # not also "wei": 有什么 is no homophone of 为什么
    assert pinyin.reading("行") == "xing"
    assert pinyin.reading("a") == "a"
