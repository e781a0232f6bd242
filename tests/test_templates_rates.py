from core.templates import TEMPLATE_2019, TEMPLATE_2021
from core.templates.rates import RATE_BY_ID, RATES, compute


def test_every_rate_input_is_a_cell_of_both_formats():
    for rate in RATES:
        for key in (*rate.numerator, *rate.denominator, *rate.less):
            assert TEMPLATE_2019.cell(key) is not None, (rate.id, key)
            assert TEMPLATE_2021.cell(key) is not None, (rate.id, key)


def test_withholding_sums_the_eight_reasons():
    assert len(RATE_BY_ID["withholding"].numerator) == 8
    assert all(k.startswith("apply.withheld.") for k in RATE_BY_ID["withholding"].numerator)


def test_review_correction_leaves_pending_cases_out_of_the_denominator():
    v = compute(RATE_BY_ID["review_correction"], {"review.corrected": 1, "review.total": 5, "review.pending": 1})
    assert (v.numerator, v.denominator, v.percent) == (1, 4, 25.0)


def test_litigation_correction_adds_both_kinds_of_lawsuit():
    values = {
        "litigation.direct.corrected": 1,
        "litigation.direct.total": 3,
        "litigation.direct.pending": 0,
        "litigation.after_review.corrected": 1,
        "litigation.after_review.total": 4,
        "litigation.after_review.pending": 1,
    }
    v = compute(RATE_BY_ID["litigation_correction"], values)
    assert (v.numerator, v.denominator, v.percent) == (2, 6, 33.3)


def test_zero_denominator_is_undefined_not_divided():
    v = compute(RATE_BY_ID["review_correction"], {"review.corrected": 0, "review.total": 2, "review.pending": 2})
    assert v.denominator == 0 and v.percent is None and v.defined is False


def test_blank_cells_count_as_zero_and_are_listed():
    v = compute(
        RATE_BY_ID["substantive_disclosure"],
        {"apply.disclosed.total": 6, "apply.partial.total": None, "apply.total.total": 8},
    )
    assert v.percent == 75.0 and v.blank == ("apply.partial.total",)


def test_a_missing_table_leaves_the_rate_undefined():
    v = compute(RATE_BY_ID["completion"], {"apply.total.total": 8})
    assert v.percent is None
    assert v.missing == ("apply.new.total", "apply.carried_over.total")
