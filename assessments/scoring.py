"""Tool scores, total and level of an assessment, by the rules of its year.

Pure functions over plain values, so they are tested without a database and used alike by the entry
page, the import and the management commands. Decimal arithmetic throughout: a total is a legal figure
that agencies compare with the NACC's published one to the hundredth, and floats would drift.

    tool score = Σ indicator score × weight / Σ weight         (weights inside a tool are relative:
                 three EIT indicators at 33.333 each give exactly their mean, which a fixed /100 would not)
    total      = Σ tool score × tool weight / 100, rounded half-up to two places
    level      = the first rule, in order, whose minimum total is met and, where it has one, whose
                 minimum for every tool is met by every (rounded) tool score
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal("100")


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ToolRule:
    code: str
    weight: Decimal
    indicator_weights: Mapping[int, Decimal]  # indicator number -> weight inside the tool


@dataclass(frozen=True)
class LevelRuleSpec:
    label: str
    min_total: Decimal
    min_each_tool: Decimal | None = None


@dataclass(frozen=True)
class Framework:
    """The arithmetic of one edition, detached from the ORM."""

    tools: tuple[ToolRule, ...]
    levels: tuple[LevelRuleSpec, ...]

    @property
    def indicator_numbers(self) -> list[int]:
        return sorted(n for tool in self.tools for n in tool.indicator_weights)


@dataclass(frozen=True)
class Result:
    tools: dict[str, Decimal | None]
    total: Decimal | None
    level: str

    @property
    def complete(self) -> bool:
        return self.total is not None


def tool_score(tool: ToolRule, scores: Mapping[int, Decimal]) -> Decimal | None:
    if any(scores.get(number) is None for number in tool.indicator_weights):
        return None
    weighted = sum((Decimal(scores[n]) * weight for n, weight in tool.indicator_weights.items()), Decimal(0))
    return weighted / sum(tool.indicator_weights.values(), Decimal(0))


def level_for(levels: Iterable[LevelRuleSpec], total: Decimal, tool_scores: Iterable[Decimal]) -> str:
    tool_scores = list(tool_scores)
    for rule in levels:
        if total < rule.min_total:
            continue
        if rule.min_each_tool is not None and any(score < rule.min_each_tool for score in tool_scores):
            continue
        return rule.label
    return ""


def compute(framework: Framework, scores: Mapping[int, Decimal | None]) -> Result:
    """Tool scores (two places), total and level from indicator scores keyed by indicator number.

    A tool with a missing indicator has no score, and then there is no total and no level.
    """
    raw = {tool.code: tool_score(tool, scores) for tool in framework.tools}
    tools = {code: (round2(value) if value is not None else None) for code, value in raw.items()}
    if any(value is None for value in raw.values()):
        return Result(tools=tools, total=None, level="")
    weights = {tool.code: tool.weight for tool in framework.tools}
    total = round2(sum((raw[code] * weights[code] / HUNDRED for code in raw), Decimal(0)))
    return Result(tools=tools, total=total, level=level_for(framework.levels, total, tools.values()))
