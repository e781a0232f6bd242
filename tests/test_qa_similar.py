"""Words the vocabulary does not list, read by similarity to the catalogue's terms (core.qa.similar), and
the English forms the lexicon reads as the words they stand for — without a database."""

from __future__ import annotations

from core.qa import similar
from core.qa.lexicon import Token
from core.qa.match import match
from core.qa.parse import Chunk, normalize, read


def _explain(question: str, name: str = "") -> tuple[list[Token], list[Chunk]]:
    """The question's tokens after similarity, and what stays unexplained; ``name`` is taken as a name."""
    text = normalize(question)
    taken = [(text.index(name), text.index(name) + len(name))] if name else []
    r = read(text, taken)
    return similar.explain(text, r.tokens, r.leftovers)


def _entry(tokens: list[Token]) -> str | None:
    found = match([t for t in tokens if t.has("concept")])
    return found.entry.id if found.entry else None


def test_affixes_learnt_from_the_catalogue_keep_the_meaning() -> None:
    tokens, left = _explain("定海区受理量是多少", "定海区")
    assert not left and _entry(tokens) == "apply.new.total"
    tokens, left = _explain("定海区复议量", "定海区")
    assert not left and _entry(tokens) == "review.total"


def test_a_window_within_one_edit_in_five_of_a_term() -> None:
    tokens, left = _explain("定海区需要另外制作的有几件", "定海区")
    assert not left and _entry(tokens) == "apply.unavailable.needs_creation.total"
    assert any(t.fuzzy and t.term == "需要另行制作" for t in tokens)


def test_filler_inside_a_long_term_is_dropped() -> None:
    """信访举报投诉类的申请: 的 inside the printed 信访举报投诉类申请 (ten characters with it)."""
    tokens, left = _explain("义乌市信访举报投诉类的申请不予处理几件", "义乌市")
    assert not left and _entry(tokens) == "apply.not_processed.petition.total"


def test_characters_written_for_one_another() -> None:
    """审完 is 审结 and 没 is 未: 还没审完 reads as 未审结 — pending, not the total."""
    tokens, left = _explain("鄞州区复议还没审完的", "鄞州区")
    assert not left and _entry(tokens) == "review.pending"
    assert "negative" not in {v for t in tokens for v in t.values("intent")}  # 没 is part of the term


def test_a_neighbour_gives_back_a_character_the_leftover_needs() -> None:
    """哪个街道办结的申请最多: 街道办 (a kind) took the 办 of 办结; cut again, both sides still terms."""
    tokens, left = _explain("2021年哪个街道办结的申请最多")
    assert not left
    assert {v for t in tokens for v in t.values("kind")} == {"street"}
    assert _entry(tokens) == "apply.total.total"
    # 相 + 差多少 → 相差 + 多少: the comparison is still said, and nothing is left over
    tokens, left = _explain("普陀区和定海区的实质公开率相差多少")
    assert all(c.name_like for c in left) and "compare" in {v for t in tokens for v in t.values("intent")}


def test_what_nothing_resembles_stays_unexplained() -> None:
    _, left = _explain("定海区半公开的有几件", "定海区")
    assert [c.text for c in left] == ["半"]  # a character no term holds is never dropped
    _, left = _explain("定海区收到多少封信访信件", "定海区")
    assert left  # letters of petition are no requests


def test_english_forms() -> None:
    """Hyphens join words (error-correction), n't is a word (didn't → did not), chat short forms (admin, govt)."""
    tokens, left = _explain("Wuxing reconsideration error-correction rate", "wuxing")
    assert not left and _entry(tokens) == "rate.review_correction"
    tokens, left = _explain("how many requests did Lucheng say it didn't have the info for", "lucheng")
    assert not left and _entry(tokens) == "apply.unavailable.not_held.total"
    tokens, left = _explain("Wuxing admin reconsideration cases", "wuxing")
    assert not left and _entry(tokens) == "review.total"
    tokens, left = _explain("how many requests from ordinary citizens did Lucheng get", "lucheng")
    assert not left and _entry(tokens) == "apply.new.natural_person"
