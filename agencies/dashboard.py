"""Panels on the dashboard, contributed by the apps that own their data.

Data flows agencies → assessments → measures → reports, and an app never imports from the ones after
it; so the dashboard (which lives here, first) does not import them. Each later app registers a panel
in its ``AppConfig.ready()``; a panel is a template and a function that builds its context from the
request with a bounded number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable  # (request) -> dict | None; None hides the panel
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.key] = panel


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))
