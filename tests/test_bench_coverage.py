"""Every URL pattern of the project is timed by the page benchmark, or excluded there with a reason.

``bench/pages_bench.py`` times the pages ``bench/page_list.py`` lists; a page added to the product without being
added there (or to its ``EXCLUDED``, with the reason) fails here, so the national-scale table of
``bench/README.md`` keeps covering every page. No timing here: only addresses are resolved.
"""

from django.contrib import admin
from django.urls import resolve

from bench import page_list
from tests.urlwalk import project_routes


def timed_names() -> dict[str, str]:
    """URL pattern name → the label of the first benchmark page that requests it."""
    names: dict[str, str] = {}
    for label, _role, url in page_list.pages(page_list.Ctx()):
        match = resolve(url.partition("?")[0])
        names.setdefault(match.view_name if match.url_name else match.route, label)
    return names


def admin_refused() -> dict[str, str]:
    """The per-model admin views a superuser is refused (no add or delete in a read-only admin)."""
    refused = {}
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        for view, allowed in page_list.admin_allowed(model_admin).items():
            if not allowed:
                refused[prefix + view] = "refused by the admin"
    return refused


def coverage(route, timed: dict) -> str | None:
    """How the benchmark covers a URL pattern: "timed", or the reason it is not; None when it does not."""
    if route.name in timed:
        return "timed"
    if route.name in page_list.EXCLUDED:
        return page_list.EXCLUDED[route.name]
    if page_list.post_only(route.callback):
        return "POST only"
    if route.name in admin_refused():
        return "refused by the admin"
    if route.namespace == "admin" and route.name.endswith("/<path:object_id>/"):
        return page_list.ADMIN_REDIRECT
    return None


def test_every_url_pattern_is_timed_or_excluded_with_a_reason():
    timed = timed_names()
    missing = [f"{r.name} ({r.route})" for r in project_routes() if coverage(r, timed) is None]
    assert missing == [], "add these pages to bench/page_list.py, or to its EXCLUDED with the reason"


def test_exclusions_name_real_patterns_that_are_not_timed():
    routes = {r.name for r in project_routes()}
    timed = timed_names()
    assert sorted(set(page_list.EXCLUDED) - routes) == []
    assert sorted(set(page_list.EXCLUDED) & set(timed)) == []


def test_timed_pages_include_the_national_pages_and_no_post_only_view():
    timed = timed_names()
    for name in (
        "assessments:compare",
        "reports:oversight",
        "measures:oit_overview",
        "api:score_list",
        "admin:agencies_auditentry_changelist",
        "admin:measures_measure_change",
        "notifications:list",
        "jobs:mine",
        "verify:record",
        "oit_public:list",
        "assessments:edition_items",
    ):
        assert name in timed, name
    by_name = {r.name: r for r in project_routes()}
    assert [n for n in timed if n in by_name and page_list.post_only(by_name[n].callback)] == []
