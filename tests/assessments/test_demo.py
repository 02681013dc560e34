"""The demo reproduces the seeds' ITA results: computed totals and levels, mismatches, issues, findings."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessments.demo import DATA_FILE
from assessments.models import (
    AnalysisIssue,
    Assessment,
    CitedItemScore,
    Finding,
    IndicatorScore,
    ItemScore,
    TargetBands,
)

pytestmark = pytest.mark.django_db

DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def result(code: str, year: int) -> Assessment:
    return Assessment.objects.select_related("edition").get(agency__code=code, edition__fiscal_year=year)


def counts() -> tuple[int, ...]:
    models = (
        Assessment, IndicatorScore, ItemScore, AnalysisIssue, AnalysisIssue.items.through, CitedItemScore, Finding,
        TargetBands,
    )  # fmt: skip
    return tuple(model.objects.count() for model in models)


def test_the_file_states_scores_as_strings():
    def walk(value):
        assert not isinstance(value, float), value
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(DATA)
    assert "_about" in DATA


def test_load_demo_reports_the_assessments(demo):
    assert "Demo assessments: 5 results" in demo


def test_bangkao_2565_computes_the_published_total_within_rounding(demo):
    a = result("bangkao", 2565)
    assert a.total == Decimal("68.79")
    assert a.published_total == Decimal("68.78")
    assert a.mismatch is False
    scores = {s.indicator.number: s.score for s in a.indicator_scores.select_related("indicator")}
    # The seed's table lists indicators out of order; they are mapped by name.
    assert scores[2] == Decimal("68.53")  # การใช้งบประมาณ
    assert scores[5] == Decimal("73.24")  # การแก้ไขปัญหาการทุจริต
    assert scores[10] == Decimal("37.50")


def test_bangkao_2564_published_total_is_flagged(demo):
    a = result("bangkao", 2564)
    assert a.total == Decimal("90.35")
    assert a.published_total == Decimal("92.44")
    assert a.mismatch is True


def test_bangkao_2565_findings_per_indicator(demo):
    a = result("bangkao", 2565)
    findings = {f.indicator.number: f for f in a.findings.select_related("indicator")}
    assert set(findings) == {1, 2, 3, 4, 5, 6, 7, 9, 10}
    # The seed's IIT row covers indicators 1–5 with one text.
    assert len({(findings[n].strengths, findings[n].weaknesses, findings[n].improvements) for n in range(1, 6)}) == 1
    assert "NO Gift Policy" in findings[1].improvements
    assert "E-Service" in findings[9].weaknesses
    assert all(f.issue_id is None for f in findings.values())


def test_bangkao_has_its_own_target_bands(demo):
    bands = TargetBands.objects.get(agency__code="bangkao")
    assert (bands.maintain_from, bands.raise_from) == (Decimal("90.00"), Decimal("85.00"))


def test_satengnok_2566_total_level_and_items(demo):
    a = result("satengnok", 2566)
    assert a.total == Decimal("83.71")
    assert a.level == "ต้องปรับปรุง"
    assert a.published_total == Decimal("83.72")
    assert a.published_level == "ต้องปรับปรุง"
    assert a.mismatch is False
    items = {s.item.code: s.score for s in a.item_scores.select_related("item")}
    assert len(items) == 86  # i1–i30, e1–e15, o1–o43 except o4 and o19
    assert items["i8"] == Decimal("52.98")
    assert items["o35"] == Decimal("0.00")
    assert items["o42"] == Decimal("0.00")
    assert items["o43"] == Decimal("0.00")
    assert items["o30"] == Decimal("100.00")
    # Printed twice with different scores: the first is the item's, the other the issue's citation.
    assert items["e11"] == Decimal("87.25")
    assert items["e10"] == Decimal("10.00")
    cited = {(c.issue.number, c.item.code): c.score for c in CitedItemScore.objects.filter(issue__assessment=a)}
    assert cited == {(2, "e11"): Decimal("63.30"), (2, "e12"): Decimal("59.90"), (7, "e10"): Decimal("97.37")}


def test_satengnok_2566_has_the_seven_issues(demo):
    a = result("satengnok", 2566)
    issues = {i.number: i for i in a.issues.all()}
    assert sorted(issues) == [1, 2, 3, 4, 5, 6, 7]
    assert issues[2].title == "การให้บริการและระบบ E-Service"
    codes = {n: set(issue.items.values_list("code", flat=True)) for n, issue in issues.items()}
    assert {"i1", "i6", "e1", "e4", "o11", "o14"} <= codes[1]
    assert codes[2] == {
        "i1", "i2", "i3", "e1", "e2", "e3", "e5", "e11", "e12", "e13", "e14", "o15", "o16", "o17", "o18", "o30",
    }  # fmt: skip
    assert codes[4] == {"i19", "i20", "i21", "i22", "i23", "i24", "o34", "o35"}
    assert {"o42", "o43"} <= codes[7]
    assert "i27" in codes[6] and "i27" not in codes[7]
    # Every item of every issue has a score.
    scored = set(a.item_scores.values_list("item__code", flat=True))
    assert set().union(*codes.values()) == scored


def test_satengnok_2566_has_a_finding_per_issue(demo):
    a = result("satengnok", 2566)
    findings = {f.issue.number: f for f in a.findings.select_related("issue")}
    assert sorted(findings) == [1, 2, 3, 4, 5, 6, 7]
    assert all(f.indicator_id is None for f in findings.values())
    assert "e11 e12 และ e14 มีข้อบกพร่อง" in findings[2].weaknesses
    assert "O35 O42 และข้อ O43" in findings[7].weaknesses  # the seed's own capitals
    # The seed's paragraph whole (one per tool), not split into finding and fix.
    assert "ต่อเนื่อง แต่ข้อ e4 ควรปรับปรุงแก้ไขโดยหน่วยงานควรประกาศเจตนารมณ์ นโยบาย No Gift Policy" in findings[1].weaknesses
    for f in findings.values():
        assert f.weaknesses or f.improvements or f.strengths


def test_bangpu_2563_has_only_the_published_total(demo):
    a = result("bangpu", 2563)
    assert a.total is None
    assert a.display_total == Decimal("81.49")
    assert a.display_level == "B"
    assert not a.indicator_scores.exists()
    assert a.mismatch is False


def test_nongsamet_2567_has_only_the_published_total(demo):
    a = result("nongsamet", 2567)
    assert a.total is None
    assert a.display_total == Decimal("99.81")
    assert a.display_level == "ผ่านดีเยี่ยม"


def test_loading_twice_keeps_the_counts(demo):
    before = counts()
    assert before[0] >= 5  # the seeds' five, and the current cycle's (reports.demo_cycle)
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before
