"""The arithmetic of monitoring (双监控) and self-evaluation (自评), every number worked by hand.

Amounts and scores are Decimals; each line is rounded half-up to 0.01.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.scoring import (
    Band,
    EvaluationRules,
    Grade,
    Light,
    Likelihood,
    LineScore,
    MonitoringRules,
    ScoringInvalid,
    band_range,
    execution_light,
    execution_rate,
    execution_score,
    grade_of,
    indicator_light,
    meets,
    score_line,
    watched,
)
from domain.values import parse_value
from domain.weights import default_weights

D = Decimal
MONITORING = MonitoringRules()
EVALUATION = EvaluationRules()


def line(
    target: str,
    actual: str,
    weight: str = "10",
    band: Band | None = None,
    score: str | None = None,
    rules: EvaluationRules = EVALUATION,
) -> LineScore:
    """Score one indicator ``o1`` whose target and actual are written as on the form."""
    return score_line(
        "o1",
        parse_value(target),
        parse_value(actual),
        D(weight),
        band,
        None if score is None else D(score),
        rules,
    )


def qualitative(band: Band, score: str, weight: str = "10") -> LineScore:
    return line("明显改善", "", weight, band, score)


# --- monitoring: the budget execution rate and its light --------------------------


def test_execution_rate_compares_spending_with_the_share_of_the_year_gone() -> None:
    # (90 ÷ 300) ÷ (6 ÷ 12) × 100 = 0.3 ÷ 0.5 × 100 = 60.00
    assert execution_rate(D(90), D(300), 6) == D("60.00")
    # (120 ÷ 300) ÷ (6 ÷ 12) × 100 = 0.4 ÷ 0.5 × 100 = 80.00
    assert execution_rate(D(120), D(300), 6) == D("80.00")
    # (300 ÷ 300) ÷ (12 ÷ 12) × 100 = 100.00
    assert execution_rate(D(300), D(300), 12) == D("100.00")


def test_execution_rate_lands_on_the_cent_when_the_month_does_not_divide_the_year() -> None:
    # (50 ÷ 120) ÷ (5 ÷ 12) × 100 = 0.41666… ÷ 0.41666… × 100 = 100.00 (not 99.99…)
    assert execution_rate(D(50), D(120), 5) == D("100.00")
    # (10 ÷ 120) ÷ (1 ÷ 12) × 100 = 100.00
    assert execution_rate(D(10), D(120), 1) == D("100.00")


def test_execution_rate_rounds_half_up() -> None:
    # (100.01 ÷ 200) ÷ (12 ÷ 12) × 100 = 50.005 → 50.01 (half-even would give 50.00)
    assert execution_rate(D("100.01"), D(200), 12) == D("50.01")
    # (100.03 ÷ 200) × 100 = 50.015 → 50.02
    assert execution_rate(D("100.03"), D(200), 12) == D("50.02")


def test_execution_rate_beyond_the_schedule_is_above_100() -> None:
    # (150 ÷ 300) ÷ (3 ÷ 12) × 100 = 0.5 ÷ 0.25 × 100 = 200.00
    assert execution_rate(D(150), D(300), 3) == D("200.00")


def test_execution_rate_needs_a_budget_above_zero() -> None:
    with pytest.raises(ScoringInvalid) as refused:
        execution_rate(D(10), D(0), 6)
    assert refused.value.field == "budget"


def test_execution_light_is_red_below_60_yellow_below_80_and_green_from_80() -> None:
    assert execution_light(D("0"), MONITORING) is Light.RED
    assert execution_light(D("59.99"), MONITORING) is Light.RED
    assert execution_light(D("60"), MONITORING) is Light.YELLOW  # exactly 60: not below 60
    assert execution_light(D("60.00"), MONITORING) is Light.YELLOW
    assert execution_light(D("79.99"), MONITORING) is Light.YELLOW
    assert execution_light(D("80"), MONITORING) is Light.GREEN  # exactly 80: not below 80
    assert execution_light(D("80.00"), MONITORING) is Light.GREEN
    assert execution_light(D("150"), MONITORING) is Light.GREEN


def test_a_rate_worked_out_to_exactly_60_and_80_takes_the_upper_light() -> None:
    # 90 of 300 by June: 60.00 → YELLOW; 120 of 300 by June: 80.00 → GREEN
    assert execution_light(execution_rate(D(90), D(300), 6), MONITORING) is Light.YELLOW
    assert execution_light(execution_rate(D(120), D(300), 6), MONITORING) is Light.GREEN
    # 89.99 of 300 by June: (89.99 ÷ 300) ÷ 0.5 × 100 = 59.9933… → 59.99 → RED
    assert execution_light(execution_rate(D("89.99"), D(300), 6), MONITORING) is Light.RED


def test_execution_light_follows_the_jurisdictions_own_thresholds() -> None:
    rules = MonitoringRules(red_below=D(50), yellow_below=D(70))
    assert execution_light(D("49.99"), rules) is Light.RED
    assert execution_light(D("50"), rules) is Light.YELLOW
    assert execution_light(D("69.99"), rules) is Light.YELLOW
    assert execution_light(D("70"), rules) is Light.GREEN


# --- monitoring: an indicator's light -----------------------------------------------


def test_an_indicator_is_green_when_its_forecast_meets_the_target_and_it_is_certain() -> None:
    target = parse_value("≥66块")
    assert indicator_light(target, parse_value("70块"), Likelihood.CERTAIN) is Light.GREEN
    assert indicator_light(target, parse_value("66块"), Likelihood.CERTAIN) is Light.GREEN


def test_an_indicator_is_yellow_when_completion_is_only_possible() -> None:
    target = parse_value("≥66块")
    assert indicator_light(target, parse_value("70块"), Likelihood.POSSIBLE) is Light.YELLOW
    assert indicator_light(target, None, Likelihood.POSSIBLE) is Light.YELLOW


def test_an_indicator_is_red_when_completion_is_impossible_or_the_forecast_misses() -> None:
    target = parse_value("≥66块")
    # impossible outweighs a forecast that meets the target
    assert indicator_light(target, parse_value("70块"), Likelihood.IMPOSSIBLE) is Light.RED
    # a forecast that misses outweighs "certain" and "possible"
    assert indicator_light(target, parse_value("65块"), Likelihood.CERTAIN) is Light.RED
    assert indicator_light(target, parse_value("65块"), Likelihood.POSSIBLE) is Light.RED
    # ≤5%: a forecast of 6% misses
    assert indicator_light(parse_value("≤5%"), parse_value("6%"), Likelihood.CERTAIN) is Light.RED


def test_a_qualitative_target_takes_its_light_from_the_likelihood_alone() -> None:
    target = parse_value("明显改善")
    assert indicator_light(target, parse_value("有所改善"), Likelihood.CERTAIN) is Light.GREEN
    assert indicator_light(target, parse_value("有所改善"), Likelihood.POSSIBLE) is Light.YELLOW
    assert indicator_light(target, parse_value("有所改善"), Likelihood.IMPOSSIBLE) is Light.RED


def test_a_date_forecast_after_the_target_date_is_red() -> None:
    target = parse_value("2026年6月30日")
    assert indicator_light(target, parse_value("2026年6月30日"), Likelihood.CERTAIN) is Light.GREEN
    assert indicator_light(target, parse_value("2026年7月1日"), Likelihood.CERTAIN) is Light.RED


# --- monitoring: 重点监控 ---------------------------------------------------------------


def test_a_table_is_watched_from_a_budget_of_200_when_its_execution_light_is_red() -> None:
    assert watched(D(200), Light.RED, MONITORING) is True  # exactly 200 万元 counts
    assert watched(D(5000), Light.RED, MONITORING) is True
    assert watched(D("199.99"), Light.RED, MONITORING) is False
    assert watched(D(200), Light.YELLOW, MONITORING) is False
    assert watched(D(200), Light.GREEN, MONITORING) is False


def test_a_table_without_a_budget_or_a_light_is_not_watched() -> None:
    assert watched(None, Light.RED, MONITORING) is False
    assert watched(D(300), None, MONITORING) is False


def test_the_watch_rule_follows_the_jurisdictions_own_budget_and_lights() -> None:
    rules = MonitoringRules(watch_budget_from=D(100), watch_lights=(Light.RED, Light.YELLOW))
    assert watched(D(100), Light.YELLOW, rules) is True
    assert watched(D("99.99"), Light.RED, rules) is False
    assert watched(D(100), Light.GREEN, rules) is False


# --- whether an actual meets its target ----------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥66块", "66块", True),  # equal meets ≥
        ("≥66块", "65.99块", False),
        (">66块", "66块", False),  # equal misses >
        (">66块", "66.01块", True),
        ("≤5%", "5%", True),  # equal meets ≤
        ("≤5%", "5.01%", False),
        ("<5%", "5%", False),  # equal misses <
        ("<5%", "4.99%", True),
        ("100%", "100%", True),  # = with T > 0 reads as ≥
        ("100%", "101%", True),
        ("100%", "99%", False),
        ("=0", "0", True),  # = 0 reads as ≤ 0
        ("=0", "1", False),
        ("≤0件", "0件", True),
        ("≤0件", "1件", False),
        ("2026年6月30日", "2026年6月30日", True),  # on the day
        ("2026年6月30日", "2026-06-29", True),
        ("2026年6月30日", "2026年7月1日", False),
        ("明显改善", "明显改善", None),  # text cannot be compared
        ("≥66块", "基本完成", None),
    ],
)
def test_meets_compares_an_actual_with_its_target_by_the_operator(
    target: str, actual: str, expected: bool | None
) -> None:
    assert meets(parse_value(target), parse_value(actual)) is expected


# --- self-evaluation: the execution score --------------------------------------------


def test_execution_score_is_the_share_spent_times_the_weight() -> None:
    # min(180 ÷ 200, 1) × 10 = 0.9 × 10 = 9.00
    assert execution_score(D(200), D(180), EVALUATION) == D("9.00")
    # min(0 ÷ 200, 1) × 10 = 0.00
    assert execution_score(D(200), D(0), EVALUATION) == D("0.00")
    # min(200 ÷ 200, 1) × 10 = 10.00
    assert execution_score(D(200), D(200), EVALUATION) == D("10.00")


def test_execution_score_is_capped_at_the_weight_when_more_was_spent() -> None:
    # min(250 ÷ 200, 1) × 10 = min(1.25, 1) × 10 = 10.00
    assert execution_score(D(200), D(250), EVALUATION) == D("10.00")


def test_execution_score_rounds_half_up() -> None:
    # 1.7 ÷ 8 × 10 = 2.125 → 2.13 (half-even would give 2.12)
    assert execution_score(D(8), D("1.7"), EVALUATION) == D("2.13")
    # 1 ÷ 3 × 10 = 3.333… → 3.33
    assert execution_score(D(3), D(1), EVALUATION) == D("3.33")


def test_execution_weight_is_configurable() -> None:
    rules = EvaluationRules(execution_weight=D(20), indicator_weight=D(80))
    # min(100 ÷ 200, 1) × 20 = 10.00
    assert execution_score(D(200), D(100), rules) == D("10.00")


def test_execution_score_needs_a_full_year_budget_above_zero() -> None:
    with pytest.raises(ScoringInvalid) as refused:
        execution_score(D(0), D(10), EVALUATION)
    assert refused.value.field == "budgetFullYear"


# --- self-evaluation: at-least targets (≥, >, = with T > 0) ---------------------------


def test_an_actual_equal_to_an_at_least_target_earns_the_full_weight_without_explanation() -> None:
    scored = line("≥66块", "66块", "50")
    assert scored == LineScore(D("50.00"), None, missed=False, explanation_required=False)


def test_an_actual_below_an_at_least_target_earns_its_share_of_the_weight() -> None:
    # 60 ÷ 66 × 50 = 45.4545… → 45.45
    scored = line("≥66块", "60块", "50")
    assert scored == LineScore(D("45.45"), None, missed=True, explanation_required=True)


def test_an_at_least_share_rounds_half_up() -> None:
    # 1.7 ÷ 8 × 10 = 2.125 → 2.13 (half-even would give 2.12)
    assert line("≥8件", "1.7件").score == D("2.13")


def test_a_zero_or_negative_actual_against_an_at_least_target_earns_nothing() -> None:
    # 0 ÷ 66 × 10 = 0.00
    assert line("≥66块", "0块").score == D("0.00")
    # −5 ÷ 66 is below 0, held at 0 → 0.00
    assert line("≥66块", "-5块").score == D("0.00")


def test_more_than_the_target_earns_no_more_than_the_weight() -> None:
    # 80 ≥ 66: full 10.00; 80 < 66 × 1.3 = 85.8, so no explanation
    assert line("≥66块", "80块") == LineScore(D("10.00"), None, False, False)


def test_an_actual_equal_to_a_greater_than_target_scores_full_but_needs_an_explanation() -> None:
    # > 66 with X = 66: 66 ÷ 66 × 10 = 10.00, yet the target (strictly above 66) is missed
    assert line(">66块", "66块") == LineScore(D("10.00"), None, True, True)
    # ≥ 66 with X = 66: the same score, and nothing to explain
    assert line("≥66块", "66块") == LineScore(D("10.00"), None, False, False)


def test_a_greater_than_target_scores_its_share_below_and_in_full_above() -> None:
    # 33 ÷ 66 × 10 = 5.00
    assert line(">66块", "33块").score == D("5.00")
    assert line(">66块", "67块") == LineScore(D("10.00"), None, False, False)


def test_an_equals_target_above_zero_scores_as_at_least() -> None:
    # "100%" is = 100: 95 ÷ 100 × 10 = 9.50, missed
    assert line("100%", "95%") == LineScore(D("9.50"), None, True, True)
    assert line("100%", "100%") == LineScore(D("10.00"), None, False, False)
    # 110 ≥ 100 meets "= 100" read as ≥; 110 < 130, so no explanation
    assert line("100%", "110%") == LineScore(D("10.00"), None, False, False)


def test_an_actual_at_130_percent_of_its_target_needs_an_explanation() -> None:
    # 66 × 1.3 = 85.8: exactly 130 % needs one, full score all the same
    assert line("≥66块", "85.8块") == LineScore(D("10.00"), None, False, True)
    # 85.79 < 85.8: no explanation
    assert line("≥66块", "85.79块") == LineScore(D("10.00"), None, False, False)
    # 100 × 1.3 = 130
    assert line("≥100%", "130%").explanation_required is True
    assert line("≥100%", "129.99%").explanation_required is False


def test_the_130_percent_threshold_is_configurable() -> None:
    rules = EvaluationRules(explain_from=D("1.5"))
    # 66 × 1.5 = 99: 98 is under it, 99 is on it
    assert line("≥66块", "98块", rules=rules).explanation_required is False
    assert line("≥66块", "99块", rules=rules).explanation_required is True


# --- self-evaluation: at-most targets (≤, <) -------------------------------------------


def test_an_actual_equal_to_an_at_most_target_earns_the_full_weight_without_explanation() -> None:
    assert line("≤5%", "5%") == LineScore(D("10.00"), None, False, False)
    assert line("≤5%", "3%") == LineScore(D("10.00"), None, False, False)


def test_an_actual_between_an_at_most_target_and_twice_it_loses_weight_in_proportion() -> None:
    # (1 − (6 − 5) ÷ 5) × 10 = 0.8 × 10 = 8.00
    assert line("≤5%", "6%") == LineScore(D("8.00"), None, True, True)
    # (1 − (7.5 − 5) ÷ 5) × 10 = 0.5 × 10 = 5.00
    assert line("≤5%", "7.5%").score == D("5.00")
    # (1 − (6 − 5) ÷ 5) × 16.67 = 0.8 × 16.67 = 13.336 → 13.34
    assert line("≤5%", "6%", "16.67").score == D("13.34")


def test_an_at_most_share_rounds_half_up() -> None:
    # (1 − (5.1 − 5) ÷ 5) × 0.25 = 0.98 × 0.25 = 0.245 → 0.25 (half-even would give 0.24)
    assert line("≤5%", "5.1%", "0.25").score == D("0.25")


def test_an_actual_at_twice_an_at_most_target_earns_nothing() -> None:
    # X = 2T = 10: 0
    assert line("≤5%", "10%") == LineScore(D("0.00"), None, True, True)
    # X = 12 > 2T: 0
    assert line("≤5%", "12%").score == D("0.00")
    # X = 9.99 just under 2T: (1 − 4.99 ÷ 5) × 10 = 0.002 × 10 = 0.02
    assert line("≤5%", "9.99%").score == D("0.02")


def test_an_actual_equal_to_a_less_than_target_scores_full_but_needs_an_explanation() -> None:
    # < 5 with X = 5: X ≤ T gives the full 10.00, yet the target (strictly below 5) is missed
    assert line("<5%", "5%") == LineScore(D("10.00"), None, True, True)
    # ≤ 5 with X = 5: the same score, nothing to explain
    assert line("≤5%", "5%") == LineScore(D("10.00"), None, False, False)


def test_a_less_than_target_loses_weight_like_an_at_most_target() -> None:
    assert line("<5%", "4%") == LineScore(D("10.00"), None, False, False)
    # (1 − (6 − 5) ÷ 5) × 10 = 8.00
    assert line("<5%", "6%").score == D("8.00")
    assert line("<5%", "10%").score == D("0.00")


def test_an_at_most_actual_at_130_percent_needs_an_explanation_anyway() -> None:
    # 6.5 = 1.3 × 5: missed and over; (1 − 1.5 ÷ 5) × 10 = 0.7 × 10 = 7.00
    assert line("≤5%", "6.5%") == LineScore(D("7.00"), None, True, True)


# --- self-evaluation: zero targets -----------------------------------------------------


def test_an_at_most_zero_target_is_full_at_zero_and_nothing_above() -> None:
    assert line("≤0件", "0件") == LineScore(D("10.00"), None, False, False)
    assert line("≤0件", "1件") == LineScore(D("0.00"), None, True, True)
    # even a tiny excess earns nothing: there is no 2T band around 0
    assert line("≤0件", "0.1件").score == D("0.00")


def test_an_equals_zero_target_is_full_at_zero_and_nothing_above() -> None:
    assert line("=0", "0") == LineScore(D("10.00"), None, False, False)
    assert line("0件", "0件") == LineScore(D("10.00"), None, False, False)
    assert line("=0", "0.5") == LineScore(D("0.00"), None, True, True)


def test_a_less_than_zero_target_is_scored_like_at_most_zero_but_zero_misses_it() -> None:
    # < 0 with X = 0: full (X ≤ 0), yet strictly below 0 was not reached
    assert line("<0件", "0件") == LineScore(D("10.00"), None, True, True)
    assert line("<0件", "1件").score == D("0.00")


def test_an_at_least_zero_target_is_met_by_zero() -> None:
    assert line("≥0%", "0%") == LineScore(D("10.00"), None, False, False)


# --- self-evaluation: date targets -----------------------------------------------------


def test_a_date_target_is_full_on_or_before_the_day_and_nothing_after() -> None:
    assert line("2026年6月30日", "2026年6月30日") == LineScore(D("10.00"), None, False, False)
    assert line("2026年6月30日", "2026年5月1日") == LineScore(D("10.00"), None, False, False)
    assert line("2026年6月30日", "2026年7月1日") == LineScore(D("0.00"), None, True, True)


def test_a_date_target_cannot_be_given_a_number() -> None:
    with pytest.raises(ScoringInvalid) as refused:
        line("2026年6月30日", "30天")
    assert refused.value.field == "lines.o1.actual"


def test_a_numeric_target_cannot_be_given_prose() -> None:
    with pytest.raises(ScoringInvalid) as refused:
        line("≥66块", "基本完成")
    assert refused.value.field == "lines.o1.actual"


# --- self-evaluation: units --------------------------------------------------------------


def test_an_actual_in_another_unit_is_refused_naming_both_units() -> None:
    with pytest.raises(ScoringInvalid) as refused:
        line("≥66块", "66件")
    assert refused.value.field == "lines.o1.actual"
    assert "件" in str(refused.value)
    assert "块" in str(refused.value)


def test_a_percentage_target_refuses_a_count() -> None:
    with pytest.raises(ScoringInvalid):
        line("≤5%", "5件")


def test_an_actual_in_the_same_unit_by_another_name_is_accepted() -> None:
    # 万 is read as 万元: 60 ≥ 60
    assert line("≥60万元", "60万") == LineScore(D("10.00"), None, False, False)


def test_a_bare_number_is_read_in_the_targets_unit() -> None:
    # 60 ÷ 66 × 10 = 9.0909… → 9.09
    assert line("≥66块", "60").score == D("9.09")


# --- self-evaluation: qualitative targets ------------------------------------------------


def test_band_ranges_are_shares_of_the_weight() -> None:
    # weight 30: ACHIEVED [24, 30], PARTLY [18, 24), NOT_ACHIEVED [0, 18)
    assert band_range(Band.ACHIEVED, D(30), EVALUATION) == (D(24), D(30), True)
    assert band_range(Band.PARTLY, D(30), EVALUATION) == (D(18), D(24), False)
    assert band_range(Band.NOT_ACHIEVED, D(30), EVALUATION) == (D(0), D(18), False)


def test_band_ranges_follow_the_jurisdictions_shares() -> None:
    rules = EvaluationRules(achieved_from=D("0.9"), partly_from=D("0.5"))
    # weight 10: ACHIEVED [9, 10], PARTLY [5, 9)
    assert band_range(Band.ACHIEVED, D(10), rules) == (D(9), D(10), True)
    assert band_range(Band.PARTLY, D(10), rules) == (D(5), D(9), False)


def test_an_achieved_band_takes_80_percent_of_the_weight_inclusive_up_to_the_weight() -> None:
    # weight 10: ACHIEVED is [8, 10]
    assert qualitative(Band.ACHIEVED, "8") == LineScore(D("8.00"), Band.ACHIEVED, False, False)
    assert qualitative(Band.ACHIEVED, "10").score == D("10.00")
    for outside in ("7.99", "10.01"):
        with pytest.raises(ScoringInvalid) as refused:
            qualitative(Band.ACHIEVED, outside)
        assert refused.value.field == "lines.o1.score"


def test_a_partly_band_takes_60_percent_inclusive_to_80_percent_exclusive() -> None:
    # weight 10: PARTLY is [6, 8)
    assert qualitative(Band.PARTLY, "6") == LineScore(D("6.00"), Band.PARTLY, True, True)
    assert qualitative(Band.PARTLY, "7.99").score == D("7.99")
    for outside in ("5.99", "8"):  # 80 % belongs to ACHIEVED, not PARTLY
        with pytest.raises(ScoringInvalid):
            qualitative(Band.PARTLY, outside)


def test_a_not_achieved_band_takes_0_inclusive_to_60_percent_exclusive() -> None:
    # weight 10: NOT_ACHIEVED is [0, 6)
    assert qualitative(Band.NOT_ACHIEVED, "0") == LineScore(
        D("0.00"), Band.NOT_ACHIEVED, True, True
    )
    assert qualitative(Band.NOT_ACHIEVED, "5.99").score == D("5.99")
    for outside in ("6", "-0.01"):  # 60 % belongs to PARTLY
        with pytest.raises(ScoringInvalid):
            qualitative(Band.NOT_ACHIEVED, outside)


def test_band_boundaries_apply_to_an_uneven_weight() -> None:
    # weight 16.67: ACHIEVED from 16.67 × 0.8 = 13.336, so 13.34 is in and 13.33 is out
    assert qualitative(Band.ACHIEVED, "13.34", "16.67").score == D("13.34")
    with pytest.raises(ScoringInvalid):
        qualitative(Band.ACHIEVED, "13.33", "16.67")
    # PARTLY from 16.67 × 0.6 = 10.002, so 10.01 is in and 10.00 is out
    assert qualitative(Band.PARTLY, "10.01", "16.67").score == D("10.01")
    with pytest.raises(ScoringInvalid):
        qualitative(Band.PARTLY, "10.00", "16.67")


def test_a_qualitative_target_needs_a_band_and_a_score() -> None:
    with pytest.raises(ScoringInvalid) as refused:
        line("明显改善", "明显改善", "10", None, "9")
    assert refused.value.field == "lines.o1.band"
    with pytest.raises(ScoringInvalid):
        line("明显改善", "明显改善", "10", Band.ACHIEVED, None)


def test_only_an_achieved_band_needs_no_explanation() -> None:
    assert qualitative(Band.ACHIEVED, "9").explanation_required is False
    assert qualitative(Band.PARTLY, "7").explanation_required is True
    assert qualitative(Band.NOT_ACHIEVED, "3").explanation_required is True


# --- default weights ------------------------------------------------------------------------


def test_default_weights_give_output_50_benefit_30_satisfaction_10() -> None:
    weights = default_weights(["output", "benefit", "satisfaction"], EVALUATION)
    assert weights == [D(50), D(30), D(10)]


def test_default_weights_split_evenly_inside_a_group_first_lines_taking_odd_cents() -> None:
    weights = default_weights(["output", "output", "output", "benefit", "satisfaction"], EVALUATION)
    # 50 ÷ 3 = 16.666…: 16.66 × 3 = 49.98, the 2 cents left go to the first two
    assert weights == [D("16.67"), D("16.67"), D("16.66"), D(30), D(10)]
    assert sum(weights) == D(90)


def test_default_weights_split_many_lines_to_the_cent() -> None:
    codes = ["output"] * 7 + ["benefit"] * 7 + ["satisfaction"] * 3
    weights = default_weights(codes, EVALUATION)
    # 50 ÷ 7 = 7.142857…: 7.14 × 7 = 49.98 → 2 × 7.15 + 5 × 7.14
    assert weights[:7] == [D("7.15")] * 2 + [D("7.14")] * 5
    # 30 ÷ 7 = 4.285714…: 4.28 × 7 = 29.96 → 4 × 4.29 + 3 × 4.28
    assert weights[7:14] == [D("4.29")] * 4 + [D("4.28")] * 3
    # 10 ÷ 3 = 3.333…: 3.33 × 3 = 9.99 → 1 × 3.34 + 2 × 3.33
    assert weights[14:] == [D("3.34"), D("3.33"), D("3.33")]
    assert sum(weights) == D(90)


def test_cost_indicators_count_with_output() -> None:
    weights = default_weights(["cost", "output", "benefit", "satisfaction"], EVALUATION)
    # output group (cost + output) 50 ÷ 2 = 25 each
    assert weights == [D(25), D(25), D(30), D(10)]


def test_default_weights_follow_the_order_of_the_lines_not_of_the_groups() -> None:
    weights = default_weights(["benefit", "output", "satisfaction", "output"], EVALUATION)
    assert weights == [D(30), D(25), D(10), D(25)]


def test_a_missing_group_gives_its_share_to_the_others_in_proportion() -> None:
    # no benefit: output 50 and satisfaction 10 scaled by 90 ÷ 60 = 1.5 → 75 and 15
    assert default_weights(["output", "satisfaction"], EVALUATION) == [D(75), D(15)]
    # no satisfaction: 50 and 30 scaled by 90 ÷ 80 = 1.125 → 56.25 and 33.75
    assert default_weights(["output", "benefit"], EVALUATION) == [D("56.25"), D("33.75")]
    # no output: 30 and 10 scaled by 90 ÷ 40 = 2.25 → 67.5 and 22.5
    assert default_weights(["benefit", "satisfaction"], EVALUATION) == [D("67.5"), D("22.5")]
    # one group alone takes everything
    assert default_weights(["satisfaction", "satisfaction"], EVALUATION) == [D(45), D(45)]


def test_a_missing_group_share_is_split_to_the_cent_inside_the_groups_left() -> None:
    weights = default_weights(["output", "output", "output", "benefit"], EVALUATION)
    # output 56.25 ÷ 3 = 18.75 each; benefit 33.75
    assert weights == [D("18.75"), D("18.75"), D("18.75"), D("33.75")]
    weights = default_weights(
        ["output", "satisfaction", "satisfaction", "satisfaction"], EVALUATION
    )
    # satisfaction 15 ÷ 3 = 5 each; output 75
    assert weights == [D(75), D(5), D(5), D(5)]
    weights = default_weights(["benefit"] * 3 + ["satisfaction"] * 7, EVALUATION)
    # benefit 67.5 ÷ 3 = 22.5; satisfaction 22.5 ÷ 7 = 3.214285…: 3.21 × 7 = 22.47 → 3 × 3.22
    assert weights == [D("22.5")] * 3 + [D("3.22")] * 3 + [D("3.21")] * 4
    assert sum(weights) == D(90)


def test_no_indicators_have_no_weights() -> None:
    assert default_weights([], EVALUATION) == []


# --- grades -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),  # 90 exactly is 优
        ("89.99", "良"),
        ("80", "良"),  # 80 exactly is 良
        ("79.99", "中"),
        ("60", "中"),  # 60 exactly is 中
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grades_start_at_90_80_and_60(total: str, grade: str) -> None:
    assert grade_of(D(total), EVALUATION) == grade


def test_grades_are_configurable() -> None:
    rules = EvaluationRules(grades=(Grade("合格", D(70)), Grade("不合格", D(0))))
    assert grade_of(D(70), rules) == "合格"
    assert grade_of(D("69.99"), rules) == "不合格"
    # listed in any order, the highest floor reached wins
    rules = EvaluationRules(grades=(Grade("差", D(0)), Grade("优", D(90)), Grade("良", D(75))))
    assert grade_of(D(75), rules) == "良"
    assert grade_of(D(95), rules) == "优"
