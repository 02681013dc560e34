"""Panels on the dashboard, contributed by the apps that own their data.

Data flows agencies → assessments → measures → reports, and an app never imports from the ones after
it; so the dashboard (which lives here, first) does not import them. Each later app registers, in its
``AppConfig.ready()``:

* a panel: a template and a function that builds its context from the request with a bounded number of
  queries (``None`` hides it, e.g. the approver's panel for someone who approves nothing);
* the steps of the year's cycle it owns (:class:`CycleStep`): assessments the result and the analysis,
  measures the plan, reports the memos and the published documents. The coordinator's checklist is these
  steps in order, so each step is judged by the app that knows its data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from ita_tracker import clock


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable  # (request) -> dict | None; None hides the panel
    order: int = 100


@dataclass
class CycleStep:
    """One step of an agency's year, as the coordinator's checklist shows it."""

    key: str
    order: int
    label: str
    due: date | None
    done: bool
    state: str  # what the step's data says, in words ("รอพิจารณา ขั้นที่ 2")
    holder: str = ""  # who the step waits for
    url: str = ""  # the one link that does the next step (or shows the finished work)
    action: str = ""
    note: str = ""  # e.g. the edition stood in for a year without one
    state_data: str = ""  # Thai data after the state (a level label), marked lang="th" on English pages
    today: date | None = None

    @property
    def overdue(self) -> bool:
        return not self.done and self.due is not None and self.today is not None and self.due < self.today

    @property
    def days_late(self) -> int:
        return (self.today - self.due).days if self.overdue else 0


StepProvider = Callable[..., list[CycleStep]]  # (*, agency, fiscal_year, today) -> steps

_panels: dict[str, Panel] = {}
_step_providers: dict[str, StepProvider] = {}

STATE_DONE = _("เสร็จแล้ว")


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def register_steps(key: str, provider: StepProvider) -> None:
    _step_providers[key] = provider


def cycle_steps(*, agency, fiscal_year: int, today: date) -> list[CycleStep]:
    steps: list[CycleStep] = []
    for provider in _step_providers.values():
        for step in provider(agency=agency, fiscal_year=fiscal_year, today=today):
            step.today = today
            steps.append(step)
    return sorted(steps, key=lambda s: s.order)


def today(request) -> date:
    """The dashboard's "today", the same for every panel of one page."""
    if not hasattr(request, "cycle_today"):
        request.cycle_today = clock.today()
    return request.cycle_today
