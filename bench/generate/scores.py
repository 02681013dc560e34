"""Assessments: indicator and item scores, tool scores, totals and levels computed as the product does."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from assessments import scoring
from assessments.models import Assessment, IndicatorScore, ItemScore, ToolScore
from bench.generate.constants import HUNDRED, ZERO
from bench.generate.data import AgencyInfo, AssessmentInfo, _at, _d2
from ita_tracker.thai import to_ce

User = get_user_model()


class ScoresMixin:
    """Part of :class:`bench.generate.core.Generator`."""

    # ----------------------------------------------------------------------------------------- assessments

    def _assessments(self, part: list[AgencyInfo]) -> None:
        assessment_rows, indicator_rows, item_rows, tool_rows = [], [], [], []
        item_build = 0.0
        for info in part:
            rng = self._rng("scores", info.number)
            agency_bias = rng.gauss(0, 5)
            tool_bias = {"IIT": rng.gauss(0, 3), "EIT": rng.gauss(0, 3), "OIT": rng.gauss(0, 5)}
            for year in self.years:
                ed = self.editions[year]
                assessment_id = self.ids.take(Assessment)
                quality = ed.national_average + agency_bias + rng.gauss(0, 3)
                keep_items = self.items and year in self.item_years
                scores: dict[int, Decimal] = {}
                for number, indicator_id, tool, _name, item_ids in ed.indicators:
                    q = min(100.0, max(20.0, quality + tool_bias.get(tool, 0) + rng.gauss(0, 2)))
                    if item_ids:
                        t0 = time.perf_counter()
                        if tool == "OIT":  # evidence present or not
                            p = q / 100
                            values = [HUNDRED if rng.random() < p else ZERO for _ in item_ids]
                        else:  # the mean of the respondents' answers
                            values = [_d2(rng.gauss(q, 6)) for _ in item_ids]
                        if keep_items:
                            item_rows.extend(
                                (assessment_id, item_id, value)
                                for item_id, value in zip(item_ids, values, strict=True)
                            )
                        item_build += time.perf_counter() - t0
                        score = scoring.round2(sum(values, Decimal(0)) / len(values))
                    else:
                        score = _d2(rng.gauss(q, 4))
                    scores[number] = score
                    indicator_rows.append((assessment_id, indicator_id, score))
                result = scoring.compute(ed.framework, scores)
                total = result.total
                published_total, published_level = None, ""
                draw = rng.random()
                if draw < 0.01:  # a published figure that rounding does not explain
                    off = Decimal(f"{rng.uniform(0.5, 6):.2f}")
                    up = total + off <= HUNDRED and (total - off < ZERO or rng.random() < 0.5)
                    published_total = total + off if up else total - off
                elif draw < 0.71:  # the published figure, off by rounding at most
                    delta = rng.choice([Decimal("-0.01"), ZERO, Decimal("0.01")])
                    published_total = min(HUNDRED, max(ZERO, total + delta))
                if published_total is not None:
                    published_level = scoring.level_for(ed.framework.levels, published_total, result.tools.values())
                info.assessments[year] = AssessmentInfo(
                    assessment_id, year, total, result.level, published_total, published_level, scores, result.tools
                )
                created = _at(date(to_ce(year), 8, rng.randint(15, 31)), 10)
                assessment_rows.append(
                    (
                        assessment_id, info.id, ed.edition.pk, published_total, published_level,
                        total, result.level, "", created, created,
                    )
                )  # fmt: skip
                tool_rows.extend(
                    (assessment_id, ed.tool_ids[code], score)
                    for code, score in result.tools.items()
                    if score is not None
                )
        w = self.writer
        w.write(
            Assessment,
            ["id", "agency_id", "edition_id", "published_total", "published_level", "total",
             "level", "note", "created_at", "updated_at"],
            assessment_rows,
        )  # fmt: skip
        w.write(ToolScore, ["assessment_id", "tool_id", "score"], tool_rows)
        w.write(IndicatorScore, ["assessment_id", "indicator_id", "score"], indicator_rows)
        w.write(ItemScore, ["assessment_id", "item_id", "score"], item_rows)
        self.item_seconds += item_build
