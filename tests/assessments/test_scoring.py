"""The arithmetic of totals and levels, on plain values (no database)."""

from decimal import Decimal as D

import pytest

from assessments.scoring import Framework, LevelRuleSpec, ToolRule, compute, round2

WEIGHTS = Framework(
    tools=(
        ToolRule("IIT", D(30), {n: D(20) for n in range(1, 6)}),
        ToolRule("EIT", D(30), {n: D("33.333") for n in range(6, 9)}),
        ToolRule("OIT", D(40), {9: D(50), 10: D(50)}),
    ),
    levels=(),
)
LETTERS = tuple(
    LevelRuleSpec(label, D(minimum))
    for label, minimum in [("AA", 95), ("A", 85), ("B", 75), ("C", 65), ("D", 55), ("E", 50), ("F", 0)]
)
RATINGS = (
    LevelRuleSpec("ผ่านดีเยี่ยม", D(95), D(95)),
    LevelRuleSpec("ผ่านดี", D(85), D(85)),
    LevelRuleSpec("ผ่าน", D(85)),
    LevelRuleSpec("ต้องปรับปรุง", D(70)),
    LevelRuleSpec("ต้องปรับปรุงโดยด่วน", D(0)),
)


def framework(levels):
    return Framework(tools=WEIGHTS.tools, levels=levels)


def scores(*values):
    return {n: D(v) for n, v in enumerate(values, start=1)}


def test_bang_kao_2565_reproduces_the_published_total_within_rounding():
    # Seed 002, by indicator number (the seed's table lists them in another order).
    result = compute(
        framework(LETTERS),
        scores("83.71", "68.53", "82.80", "73.25", "73.24", "86.27", "86.17", "82.24", "64.63", "37.50"),
    )
    assert result.total == D("68.79")
    assert result.tools == {"IIT": D("76.31"), "EIT": D("84.89"), "OIT": D("51.07")}
    assert result.level == "C"


def test_sateng_nok_2566_is_83_71_and_needs_improvement():
    result = compute(
        framework(RATINGS),
        scores("93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"),
    )
    assert result.total == D("83.71")
    assert result.level == "ต้องปรับปรุง"


def test_eit_weights_give_the_exact_mean():
    result = compute(framework(LETTERS), scores(*["90"] * 5, "80", "70", "60", "90", "90"))
    assert result.tools["EIT"] == D("70.00")


def test_total_rounds_half_up():
    assert round2(D("68.785")) == D("68.79")
    assert round2(D("68.7849")) == D("68.78")


@pytest.mark.parametrize(
    "value,expected",
    [("84.99", "B"), ("85.00", "A"), ("94.99", "A"), ("95.00", "AA"), ("74.99", "C"), ("49.99", "F")],
)
def test_letter_levels_at_their_boundaries(value, expected):
    assert compute(framework(LETTERS), scores(*[value] * 10)).level == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ("84.99", "ต้องปรับปรุง"),
        ("85.00", "ผ่านดี"),
        ("94.99", "ผ่านดี"),
        ("95.00", "ผ่านดีเยี่ยม"),
        ("69.99", "ต้องปรับปรุงโดยด่วน"),
        ("70.00", "ต้องปรับปรุง"),
    ],
)
def test_rating_levels_at_their_boundaries(value, expected):
    assert compute(framework(RATINGS), scores(*[value] * 10)).level == expected


def test_a_tool_below_85_drops_pass_good_to_pass():
    # Total 89.40 but EIT 80: not ผ่านดี (every tool ≥ 85), only ผ่าน.
    result = compute(framework(RATINGS), scores(*["95"] * 5, "80", "80", "80", "92", "92"))
    assert result.total >= D("85")
    assert result.tools["EIT"] == D("80.00")
    assert result.level == "ผ่าน"


def test_a_tool_below_95_drops_excellent_to_good():
    result = compute(framework(RATINGS), scores(*["99"] * 5, "94.99", "94.99", "94.99", "99", "99"))
    assert result.total >= D("95")
    assert result.level == "ผ่านดี"


def test_missing_indicator_gives_no_total_and_no_level():
    values = scores(*["90"] * 10)
    values[7] = None
    result = compute(framework(LETTERS), values)
    assert result.total is None and result.level == ""
    assert result.tools["IIT"] == D("90.00") and result.tools["EIT"] is None
