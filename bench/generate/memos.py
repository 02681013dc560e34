"""Memos through the approval chain, in every state.

The story (who submitted when, who decided each step) is made here, row by row, and written in bulk; what a
memo *carries* is the product's: its default subject and text (``reports.services.memo_defaults``), its frozen
table (:func:`memo_table`) and its running number (:func:`memo_number`, the product's row-locked counter). So a
generated memo reads exactly as one made through the web, and a change to the product's tables or numbering
reaches the generated data without a second copy here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from agencies.models import Agency
from assessments.models import Assessment
from bench.generate.constants import LATEST_STATES, RETURN_COMMENTS
from bench.generate.data import AgencyInfo, _at
from ita_tracker.thai import half_year_end, to_be, to_ce
from measures.models import MeasurePlan
from reports import paper, services
from reports.models import Memo, MemoCounter, MemoEvent, MemoStep


def memo_table(memo: Memo) -> dict | None:
    """What a memo freezes when it is submitted (header, route, the sections of its kind), built by the product's
    own builder, ``reports.paper.freeze``: the one place the generator calls the product's section code."""
    return paper.freeze(memo, today=memo.as_of or timezone.localdate())


def memo_number(agency_id: int, year: int) -> int:
    """The next running number of ``agency_id`` in ``year`` (BE), from the product's row-locked counter."""
    return services.next_number(Agency(pk=agency_id), year)


MEMO_COLUMNS = [
    "id", "agency_id", "department_id", "kind", "plan_id", "assessment_id", "as_of", "chain_id",
    "number_prefix", "number_year", "running_number", "date", "subject", "addressee", "via", "reference",
    "body", "background", "facts", "considerations", "proposal", "closing", "author_id", "author_name",
    "author_position", "table", "status", "current_step", "is_published", "version", "created_at",
    "updated_at",
]  # fmt: skip
STEP_COLUMNS = [
    "id", "memo_id", "order", "position_title", "comment_label", "decision", "comment", "decided_by_id",
    "signer_name", "signer_position", "acting", "decided_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "memo_id", "actor_id", "action", "from_status", "to_status", "from_step", "to_step", "comment", "created_at",
]  # fmt: skip


@dataclass
class MemoRows:
    memos: list[tuple] = field(default_factory=list)
    steps: list[tuple] = field(default_factory=list)
    step_approvers: list[tuple] = field(default_factory=list)
    step_acting: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    counters: list[tuple] = field(default_factory=list)


@dataclass
class Route:
    """Where a memo's story has reached while its steps are written."""

    status: str
    current_step: int | None
    moment: object
    version: int


class MemosMixin:
    """Part of :class:`bench.generate.core.Generator`."""

    def _memos(self, part: list[AgencyInfo]) -> None:
        # The product's builders read the plans, measures and scores of this chunk: they must be written first.
        self.writer.flush()
        rows = MemoRows()
        for info in part:
            rng = self._rng("memos", info.number)
            memos = self._memo_specs(info, rng)
            if self.frozen_tables is None or info.number <= self.frozen_tables:
                self._number_and_fix(info, memos)
            else:
                self._number_and_copy(info, memos, rows)
            for memo in memos:
                self._memo_story(info, memo, rng, rows)
        w = self.writer
        w.write(MemoCounter, ["agency_id", "department_id", "year", "last"], rows.counters)
        w.write(Memo, MEMO_COLUMNS, rows.memos)
        w.write(MemoStep, STEP_COLUMNS, rows.steps)
        w.write(MemoStep.approvers.through, ["memostep_id", "membership_id"], rows.step_approvers)
        w.write(MemoStep.acting_approvers.through, ["memostep_id", "membership_id"], rows.step_acting)
        w.write(MemoEvent, EVENT_COLUMNS, rows.events)

    def _memo_specs(self, info: AgencyInfo, rng) -> list[dict]:
        """Each year's analysis (when the year before was assessed), plan and 6- and 12-month progress memos,
        with their state in the story and the product's default subject and text."""
        agency = Agency(name=info.name, province=info.province, district=info.district)
        latest_year = self.years[-1]
        memos = []
        for year in self.years:
            plan_id, plan_title, _measures = info.plans[year]
            ce = to_ce(year)
            analysed = info.assessments.get(year - 1)
            plan = MeasurePlan(fiscal_year=year, title=plan_title)
            if analysed is not None:
                plan.assessment = Assessment(
                    edition=self.editions[year - 1].edition,
                    total=analysed.total,
                    level=analysed.level,
                    published_total=analysed.published_total,
                    published_level=analysed.published_level,
                )
            specs = []
            if analysed is not None:
                specs.append((Memo.Kind.ANALYSIS, None, date(ce - 1, 9, 1) + timedelta(days=rng.randint(0, 40))))
            specs.append((Memo.Kind.PLAN, None, date(ce - 1, 10, 15) + timedelta(days=rng.randint(0, 60))))
            as_of_6, as_of_12 = half_year_end(year), date(ce, 9, 30)
            specs.append((Memo.Kind.PROGRESS_6, as_of_6, as_of_6 + timedelta(days=rng.randint(1, 30))))
            specs.append((Memo.Kind.PROGRESS_12, as_of_12, as_of_12 + timedelta(days=rng.randint(1, 30))))
            for kind, as_of, submitted in specs:
                if year == latest_year and kind == Memo.Kind.PROGRESS_12:
                    state = LATEST_STATES[info.number % len(LATEST_STATES)]
                elif year == latest_year and rng.random() < 0.05:
                    state = "returned:1"
                else:
                    state = "approved"
                is_analysis = kind == Memo.Kind.ANALYSIS
                defaults = services.memo_defaults(
                    kind=kind,
                    agency=agency,
                    plan=None if is_analysis else plan,
                    assessment=plan.assessment if is_analysis else None,
                )
                memos.append(
                    {
                        "id": self.ids.take(Memo),
                        "kind": kind,
                        "plan_id": None if is_analysis else plan_id,
                        "assessment_id": analysed.id if is_analysis else None,
                        "as_of": as_of,
                        "submitted": submitted,
                        "state": state,
                        "table": None,
                        "year": year,
                        **defaults,
                    }
                )
        return memos

    def _number_and_fix(self, info: AgencyInfo, memos: list[dict]) -> None:
        """What submission does: a running number per calendar year (BE) of submission, in the order the memos
        were sent, and the table frozen, both by the product's own code."""
        sent = sorted((m for m in memos if m["state"] != "draft"), key=lambda m: (m["submitted"], m["id"]))
        for memo in sent:
            memo["number_year"] = to_be(memo["submitted"].year)
            memo["running_number"] = memo_number(info.id, memo["number_year"])
            memo["table"] = memo_table(
                Memo(
                    agency_id=info.id,
                    department_id=info.departments[0][0],
                    chain_id=info.chain_id,
                    kind=memo["kind"],
                    plan_id=memo["plan_id"],
                    assessment_id=memo["assessment_id"],
                    as_of=memo["as_of"],
                )
            )
            self.table_models[(memo["kind"], memo["year"])] = memo["table"]

    def _number_and_copy(self, info: AgencyInfo, memos: list[dict], rows: MemoRows) -> None:
        """``--frozen-tables``: past the first agencies, numbers are counted here (1, 2, … per year of submission,
        as the product's counter gives them to an agency that starts empty, and the counters written to match)
        and the table is a copy of one frozen by the product for a memo of the same kind and year, with this
        agency's name and office in its header. The figures in the copy are the other agency's."""
        sent = sorted((m for m in memos if m["state"] != "draft"), key=lambda m: (m["submitted"], m["id"]))
        last: dict[int, int] = {}
        for memo in sent:
            year = to_be(memo["submitted"].year)
            last[year] = last.get(year, 0) + 1
            memo["number_year"], memo["running_number"] = year, last[year]
            model = self.table_models.get((memo["kind"], memo["year"]))
            if model is not None:
                header = {**model["header"], "agency_name": info.name, "department_name": info.departments[0][1]}
                memo["table"] = {**model, "header": header}
        rows.counters.extend((info.id, None, year, number) for year, number in last.items())

    def _memo_story(self, info: AgencyInfo, memo: dict, rng, rows: MemoRows) -> None:
        """The memo's row, its steps and its events, from creation to the state the story gives it."""
        memo_id, author = memo["id"], info.coordinator
        state, _sep, step_text = memo["state"].partition(":")
        stop = int(step_text) if step_text else None
        created = _at(memo["submitted"] - timedelta(days=rng.randint(1, 5)), 10, rng.randint(0, 59))
        rows.events.append((memo_id, author.user_id, "create", "", Memo.Status.DRAFT, None, None, "", created))
        route = Route(Memo.Status.DRAFT, None, created, 1)
        if state != "draft":
            route = Route(Memo.Status.PENDING, 1, _at(memo["submitted"], 9, rng.randint(0, 59)), 2)
            rows.events.append(
                (memo_id, author.user_id, "submit", Memo.Status.DRAFT, Memo.Status.PENDING, None, 1, "", route.moment)
            )
            for step in info.chain:
                self._memo_step(info, memo, step, state, stop, route, rng, rows)
        office_id, _office_name, office_letter = info.departments[0]
        is_submitted = state != "draft"
        rows.memos.append(
            (
                memo_id, info.id, office_id, memo["kind"], memo["plan_id"], memo["assessment_id"],
                memo["as_of"], info.chain_id, office_letter,
                memo.get("number_year"), memo.get("running_number"),
                memo["submitted"] if is_submitted else None,
                memo["subject"], info.chain[0][1], "", "", memo["body"], "", "", "", "", memo["closing"],
                author.user_id, author.name, author.position,
                memo["table"] if is_submitted else None,
                route.status, route.current_step,
                route.status == Memo.Status.APPROVED and memo["kind"] != Memo.Kind.ANALYSIS and rng.random() < 0.7,
                route.version, created, route.moment,
            )
        )  # fmt: skip

    def _memo_step(self, info, memo, step, state, stop, route: Route, rng, rows: MemoRows) -> None:
        """One step of the chain copied onto the memo, decided if the story has gone past it."""
        order, position, label, approvers, acting = step
        memo_id = memo["id"]
        step_id = self.ids.take(MemoStep)
        rows.step_approvers.extend((step_id, p.membership_id) for p in approvers)
        rows.step_acting.extend((step_id, p.membership_id) for p in acting)
        returned_here = state == "returned" and order == stop
        decided = state == "approved" or (stop is not None and order < stop) or returned_here
        if not decided:
            rows.steps.append((step_id, memo_id, order, position, label, "", "", None, "", "", False, None))
            return
        route.moment = route.moment + timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
        is_acting = bool(acting) and state == "approved" and rng.random() < 0.1
        by = acting[0] if is_acting else approvers[0]
        last_step = order == len(info.chain)
        comment = ""
        if returned_here:
            decision, comment = MemoStep.Decision.RETURN, rng.choice(RETURN_COMMENTS)
            status, to_step, action = Memo.Status.RETURNED, None, "return"
        elif last_step:
            inform = memo["closing"] == Memo.Closing.INFORM
            decision = MemoStep.Decision.ACKNOWLEDGE if inform else MemoStep.Decision.APPROVE
            status, to_step, action = Memo.Status.APPROVED, None, "approve"
        else:
            decision = MemoStep.Decision.AGREE
            status, to_step, action = Memo.Status.PENDING, order + 1, "forward"
        rows.steps.append(
            (step_id, memo_id, order, position, label, decision, comment, by.user_id,
             by.name, by.position, is_acting, route.moment)
        )  # fmt: skip
        rows.events.append(
            (memo_id, by.user_id, action, Memo.Status.PENDING, status, order, to_step, comment, route.moment)
        )
        route.status, route.current_step, route.version = status, to_step, route.version + 1
