"""The one-way rule, checked over the code rather than trusted.

Apps, in order: agencies → assessments → measures → reports. An app may use only the apps before it (and
itself): its Python imports, the URL names it reverses (``reverse("reports:…")`` in Python, ``{% url 'reports:…' %}``
in templates), the templates it includes or extends and the template libraries it loads. A later app reaches an
earlier app's pages only through the foundation's registries (``ita_tracker.hooks``, ``ita_tracker.jobs``,
``ita_tracker.notify``, ``agencies.dashboard``).

No app imports another app's views (``reports`` used to import the import form from ``assessments.views``).

The foundation ``ita_tracker`` comes before every app: any app may use it, and it uses none of them. Two files of
the project package are the project's wiring, not the foundation, and name every app by nature: ``urls.py`` (the
root URLconf) and ``settings.py``. The page shell in the top-level ``templates/`` (the menu links every app) is
wiring too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template.backends.django import get_installed_libraries

from tests.urlwalk import project_routes

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["ita_tracker", "agencies", "assessments", "measures", "reports"]
RANK = {app: rank for rank, app in enumerate(ORDER)}
WIRING = {ROOT / "ita_tracker" / "urls.py", ROOT / "ita_tracker" / "settings.py"}
URL_NAME = re.compile(r"^([a-z_]+):[\w-]+$")
TEMPLATE_URL = re.compile(r"""{%\s*url\s+['"]([\w-]+(?::[\w-]+)?)['"]""")
TEMPLATE_NAME = re.compile(r"""{%\s*(?:include|extends)\s+['"]([\w-]+)/""")
TEMPLATE_LOAD = re.compile(r"""{%\s*load\s+([^%]+?)\s*%}""")


def _owner(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in RANK else None


def _url_owners() -> dict[str, str]:
    """Each URL name, and each namespace, mapped to the app whose view serves it."""
    owners: dict[str, str] = {}
    for route in project_routes():
        app = _owner(getattr(route.callback, "__module__", "") or "")
        if app:
            owners[route.name] = app
            if route.namespace:
                owners.setdefault(route.namespace, app)
    return owners


def _python_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if path not in WIRING and "migrations" not in path.parts:
            yield path


def _template_files(app: str):
    yield from sorted((ROOT / app / "templates").rglob("*.html")) if (ROOT / app / "templates").exists() else []
    yield from sorted((ROOT / app / "templates").rglob("*.txt")) if (ROOT / app / "templates").exists() else []


def _later(app: str, used: str | None) -> bool:
    return used is not None and used != app and RANK[used] > RANK[app]


def python_violations(app: str, url_owners: dict[str, str]) -> list[str]:
    found = []
    for path in _python_files(app):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            for module in modules:
                if _later(app, _owner(module)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
                elif _owner(module) not in (None, app) and "views" in module.split(".")[1:]:
                    # Pages are an app's own: another app uses its services and models, never its views.
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports the views {module}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and URL_NAME.match(node.value):
                used = url_owners.get(node.value) or url_owners.get(node.value.split(":")[0])
                if _later(app, used):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} names the URL {node.value}")
    return found


def template_violations(app: str, url_owners: dict[str, str]) -> list[str]:
    libraries = get_installed_libraries()
    found = []
    for path in _template_files(app):
        text = path.read_text()
        where = path.relative_to(ROOT)
        for name in TEMPLATE_URL.findall(text):
            used = url_owners.get(name) or url_owners.get(name.split(":")[0])
            if _later(app, used):
                found.append(f"{where} links {name}")
        for folder in TEMPLATE_NAME.findall(text):
            if _later(app, _owner(folder)):
                found.append(f"{where} includes a template of {folder}")
        for loads in TEMPLATE_LOAD.findall(text):
            for library in loads.split():
                if _later(app, _owner(libraries.get(library, ""))):
                    found.append(f"{where} loads {library} ({libraries[library]})")
    return found


@pytest.mark.parametrize("app", ORDER)
def test_no_app_uses_a_later_one(app):
    owners = _url_owners()
    assert python_violations(app, owners) + template_violations(app, owners) == []


def test_the_check_finds_what_it_looks_for(tmp_path, monkeypatch):
    """The control: the old code's references (a reports URL in an assessments view and template, a reports
    import in the foundation) are found."""
    owners = _url_owners()
    assert owners["reports:plan_document"] == "reports" and owners["jobs:detail"] == "ita_tracker"
    fake_root = tmp_path
    (fake_root / "assessments" / "templates" / "assessments").mkdir(parents=True)
    (fake_root / "assessments" / "views.py").write_text(
        'from django.urls import reverse\nURL = reverse("reports:job_score_table")\n'
    )
    (fake_root / "reports").mkdir()
    (fake_root / "reports" / "downloads.py").write_text("from assessments.views.transfer import ImportForm\n")
    (fake_root / "assessments" / "templates" / "assessments" / "x.html").write_text(
        "{% load i18n %}{% url 'reports:analysis_document' 1 'pdf' %}{% include \"reports/_memo_table.html\" %}"
    )
    (fake_root / "ita_tracker").mkdir()
    (fake_root / "ita_tracker" / "jobs.py").write_text("from reports.models import Memo\n")
    monkeypatch.setattr(f"{__name__}.ROOT", fake_root)
    assert len(python_violations("assessments", owners)) == 1
    assert len(template_violations("assessments", owners)) == 2
    assert python_violations("ita_tracker", owners) == ["ita_tracker/jobs.py:1 imports reports.models"]
    assert python_violations("reports", owners) == [
        "reports/downloads.py:1 imports the views assessments.views.transfer"
    ]
