"""Actions a later app offers on an earlier app's pages, without the earlier app naming it.

A page of ``measures`` shows a plan; ``reports`` can make its documents. The plan page writes
``{% object_actions "plan" plan %}`` and ``reports`` registers, in its ``AppConfig.ready()``::

    register_action("plan", Action(key="plan_pdf", label=_("แผนมาตรการ (PDF)"),
                                   url=lambda plan: reverse("reports:plan_document", args=[plan.pk, "pdf"])))

An action is a link (``method="get"``) or a button posting a form (``method="post"``, with ``fields(obj)`` as
hidden inputs). ``visible(request, obj)`` may hide it. With no action registered the tag renders nothing, so an
installation without the later app shows no dead link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def _no_fields(obj) -> dict:
    return {}


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    url: Callable[[object], str]
    method: str = "get"  # "get": a link; "post": a form with a CSRF token
    icon: str = ""  # a Bootstrap Icons name, e.g. "file-earmark-pdf"
    style: str = "btn-outline-secondary"  # button class in the "buttons" layout
    fields: Callable[[object], dict] = _no_fields  # hidden inputs of a "post" action
    visible: Callable | None = None  # (request, obj) -> bool
    order: int = 100
    divider_before: bool = False  # in the "menu" layout
    extra: dict = field(default_factory=dict)


_actions: dict[str, dict[str, Action]] = {}


def register_action(object_kind: str, action: Action) -> None:
    _actions.setdefault(object_kind, {})[action.key] = action


def actions_for(object_kind: str, obj, request=None) -> list[Action]:
    actions = sorted(_actions.get(object_kind, {}).values(), key=lambda a: (a.order, a.key))
    return [a for a in actions if a.visible is None or a.visible(request, obj)]
