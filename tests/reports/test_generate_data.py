"""``generate_data`` makes consistent data: counts, computed totals, constraints, one coordinator each."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from agencies.models import Agency, Membership
from assessments.frameworks import load_all
from assessments.models import Assessment, FrameworkEdition, IndicatorScore, ItemScore
from assessments.scoring import compute
from measures.models import Measure, MeasurePlan, ProgressUpdate, Status
from reports.models import Memo, MemoCounter, MemoStep

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def generated():
    load_all()
    out = StringIO()
    call_command("generate_data", agencies=12, years=2, seed=7, stdout=out)
    return out.getvalue()


def test_counts_and_report(generated):
    assert "generate_data: 12 agencies × 2 years [2567, 2568]" in generated
    assert Agency.objects.filter(code__startswith="gen-").count() == 12
    assert Assessment.objects.count() == 24
    assert IndicatorScore.objects.count() == 240
    items_per_year = {e.fiscal_year: e.items.count() for e in FrameworkEdition.objects.filter(fiscal_year__gte=2567)}
    assert ItemScore.objects.count() == 12 * (items_per_year[2567] + items_per_year[2568])
    assert MeasurePlan.objects.count() == 24
    per_plan = MeasurePlan.objects.annotate(n=Count("measures")).values_list("n", flat=True)
    assert all(10 <= n <= 20 for n in per_plan)
    statuses = Counter(Memo.objects.values_list("status", "current_step"))
    for state in [("draft", None), ("pending", 1), ("pending", 2), ("returned", None), ("approved", None)]:
        assert statuses[state] > 0, state


def test_stored_totals_are_computed_from_the_scores(generated):
    editions = {e.pk: e.scoring_framework() for e in FrameworkEdition.objects.with_structure()}
    scores: dict[int, dict] = {}
    for assessment_id, number, score in IndicatorScore.objects.values_list(
        "assessment_id", "indicator__number", "score"
    ):
        scores.setdefault(assessment_id, {})[number] = score
    mismatches = 0
    for assessment in Assessment.objects.with_tool_scores():
        result = compute(editions[assessment.edition_id], scores[assessment.pk])
        assert assessment.total == result.total
        assert assessment.level == result.level
        assert assessment.tool_scores_by_code() == result.tools
        mismatches += assessment.mismatch
        if assessment.published_total is not None and not assessment.mismatch:
            assert abs(assessment.published_total - assessment.total) <= 0.01
    assert mismatches <= 2


def test_constraints_and_rules_hold(generated):
    connection.check_constraints()  # foreign keys (SQLite checks them only at commit otherwise)
    # Exactly one coordinator per generated agency; viewers follow them all.
    coordinators = Counter(Membership.objects.filter(is_coordinator=True).values_list("agency__code", flat=True))
    assert coordinators == Counter({code: 1 for code in Agency.objects.values_list("code", flat=True)})
    national = User.objects.get(username="national.viewer")
    assert Agency.objects.visible_to(national).count() == 12
    # A measure's status and percent are those of its latest update.
    for measure in Measure.objects.prefetch_related("updates"):
        latest = max(measure.updates.all(), key=lambda u: (u.reported_on, u.created_at))
        assert (measure.status, measure.percent) == (latest.status, latest.percent)
        assert measure.status != Status.CANCELLED or measure.cancel_reason
    assert not ProgressUpdate.objects.filter(status=Status.DONE).exclude(percent=100).exists()
    # Memos: numbered once submitted, counters at the last number, steps copied from the chain.
    assert not Memo.objects.exclude(status=Memo.Status.DRAFT).filter(running_number__isnull=True).exists()
    assert not Memo.objects.filter(is_published=True).exclude(status=Memo.Status.APPROVED).exists()
    for counter in MemoCounter.objects.all():
        numbers = Memo.objects.filter(agency_id=counter.agency_id, number_year=counter.year)
        assert sorted(numbers.values_list("running_number", flat=True)) == list(range(1, counter.last + 1))
    pending = Memo.objects.filter(status=Memo.Status.PENDING)
    for memo in pending.prefetch_related("steps"):
        decided = [s.order for s in memo.steps.all() if s.decision]
        assert decided == list(range(1, memo.current_step))
    assert not MemoStep.objects.filter(memo__status=Memo.Status.DRAFT).exists()
    assert Memo.objects.awaiting(pending.first().steps.get(order=pending.first().current_step).approvers.first().user)


def test_adds_after_existing_rows(generated):
    call_command("generate_data", agencies=3, years=1, items=False, stdout=StringIO())
    assert Agency.objects.filter(code__startswith="gen-").count() == 15
    assert set(Agency.objects.filter(Q(code="gen-00013") | Q(code="gen-00015")).values_list("code", flat=True)) == {
        "gen-00013",
        "gen-00015",
    }
    assert Agency.objects.visible_to(User.objects.get(username="national.viewer")).count() == 15
    # New rows take new keys: an ordinary save after the run works.
    Agency.objects.create(name="ทดสอบ", province="ปัตตานี", type=Agency.Type.SAO, code="after-run")


def test_memo_tables_and_numbers_are_the_products(generated):
    """A generated memo carries the table the product's own builder makes and a number from its counter."""
    from reports import paper

    submitted = Memo.objects.exclude(status=Memo.Status.DRAFT).select_related("plan", "assessment")
    kinds = set()
    for memo in submitted:
        built = paper.freeze(memo, today=memo.as_of or timezone.localdate())
        assert memo.table == json.loads(json.dumps(built, cls=DjangoJSONEncoder)), memo.kind
        kinds.add(memo.kind)
    assert kinds == {Memo.Kind.ANALYSIS, Memo.Kind.PLAN, Memo.Kind.PROGRESS_6, Memo.Kind.PROGRESS_12}
    plan_memo = submitted.filter(kind=Memo.Kind.PLAN).first()
    plan_section = next(s for s in plan_memo.table["sections"] if s["section"] == "plan_table")
    assert len(plan_section["rows"]) == plan_memo.plan.measures.count()
    assert not Memo.objects.filter(status=Memo.Status.DRAFT, table__isnull=False).exists()
