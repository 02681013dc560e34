"""Every page of the product that a person or the admin opens with a GET, as ``pages_bench.py`` times them.

``pages(ctx)`` gives ``(label, role, url)`` for each page; ``ctx`` holds the ids and codes of the objects the pages
show (the bench fills it from the database; the coverage test uses the defaults, since it only resolves the
addresses). ``EXCLUDED`` names the URL patterns that are not timed here, each with its reason; a POST-only view
is left out by its decorator (``post_only``). ``tests/test_bench_coverage.py`` fails when a URL pattern of the
project is neither timed nor excluded, so a new page reaches the benchmark or says why it does not.

Roles: ``coordinator``, ``agency admin`` and ``step owner`` (of the subject agency), ``approver`` (at the waiting
memo's step 1), ``provincial`` and ``national`` (viewers), ``admin`` (a superuser), ``anonymous``, ``api`` (the
national viewer with a bearer token).
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXCLUDED: dict[str, str] = {
    # Files: measured in bench/documents_bench.py (PDF and XLSX of one agency), bench/seal_bench.py (sealed PDF).
    "reports:memo_document": "file (memo PDF/DOCX): documents_bench.py",
    "reports:plan_document": "file (plan PDF/XLSX): documents_bench.py",
    "reports:results_document": "file (results PDF/XLSX): documents_bench.py",
    "reports:anticorruption_plan_document": "file (O23 PDF): documents_bench.py, same builder as the plan",
    "reports:anticorruption_report_document": "file (O24 PDF): documents_bench.py, same builder as the results",
    "reports:analysis_document": "file (analysis PDF/XLSX): documents_bench.py",
    "public:memo_pdf": "file (the stored sealed PDF): seal_bench.py",
    "measures:evidence": "file (an uploaded evidence file, streamed from storage)",
    "measures:oit_evidence": "file (an uploaded OIT evidence file, streamed from storage)",
    "oit_public:file": "file (an uploaded OIT evidence file, streamed from storage)",
    "jobs:download": "file (a job's stored result, streamed from storage)",
    "agencies:emblem": "file (the agency's emblem image, streamed from storage)",
    # Not pages.
    "set_language": "a GET changes nothing (the language is set by POST)",
    "admin/(?P<url>.*)$": "the admin's catch-all: answers 404 or a redirect for unknown addresses",
    "admin:logout": "POST only (Django 5's admin logout)",
    "api:api-root": "the API's documentation page, switched off (docs_url=None): answers 404",
}
# Django's compatibility patterns ``admin/<app>/<model>/<object_id>/`` redirect to the change page, which is timed.
ADMIN_REDIRECT = "redirects to the change page, which is timed"


@dataclass
class Ctx:
    """Ids and codes of what the pages show: the subject agency and its objects (defaults: any valid address)."""

    agency_pk: int = 1
    agency_code: str = "gen-00001"
    department_pk: int = 1
    membership_pk: int = 1
    assessment_pk: int = 1
    year: int = 2568  # the latest assessment's fiscal year (BE)
    plan_pk: int = 1
    measure_pk: int = 1
    step_pk: int = 1
    memo_pk: int = 1
    draft_memo_pk: int = 1
    chain_pk: int = 1
    checklist_pk: int = 1
    oit_year: int = 2568
    oit_entry_pk: int = 1
    oit_item_code: str = "o1"
    edition_year: int = 2568
    job_pk: int = 1
    verify_code: str = "ABCD-EFGH"
    coordinator_pk: int = 1
    reset_uid: str = "MQ"
    reset_token: str = "set-password"
    last_agency_page: int = 1  # the national viewer's last page of 50 agencies
    # The admin: one object per registered model ("app.model" → pk), and the admin's own pages.
    admin_objects: dict[str, int] = field(default_factory=dict)
    content_type_pk: int = 1


def pages(ctx: Ctx) -> list[tuple[str, str, str]]:
    return [*user_pages(ctx), *oit_and_public_pages(ctx), *api_pages(ctx), *admin_pages(ctx)]


def user_pages(ctx: Ctx) -> list[tuple[str, str, str]]:
    a, y = ctx.agency_pk, ctx.year
    return [
        ("dashboard", "coordinator", "/"),
        ("dashboard (national viewer)", "national", "/"),
        ("dashboard (provincial viewer)", "provincial", "/"),
        ("login", "anonymous", "/accounts/login/"),
        ("password reset", "anonymous", "/accounts/password_reset/"),
        ("password reset sent", "anonymous", "/accounts/password_reset/done/"),
        ("password reset link", "anonymous", f"/accounts/reset/{ctx.reset_uid}/{ctx.reset_token}/"),
        ("password reset complete", "anonymous", "/accounts/reset/done/"),
        ("password change", "coordinator", "/accounts/password_change/"),
        ("password change done", "coordinator", "/accounts/password_change/done/"),
        ("privacy notice", "anonymous", "/privacy/"),
        ("agency list (national viewer)", "national", "/agencies/"),
        ("agency list, last page (national)", "national", f"/agencies/?page={ctx.last_agency_page}"),
        ("agency list (provincial viewer)", "provincial", "/agencies/"),
        ("security page", "coordinator", "/agencies/security/"),
        ("agency page", "coordinator", f"/agencies/{a}/"),
        ("agency settings", "agency admin", f"/agencies/{a}/edit/"),
        ("department add", "agency admin", f"/agencies/{a}/departments/add/"),
        ("department edit", "agency admin", f"/agencies/{a}/departments/{ctx.department_pk}/edit/"),
        ("person add", "agency admin", f"/agencies/{a}/people/add/"),
        ("membership edit", "agency admin", f"/agencies/{a}/people/{ctx.membership_pk}/edit/"),
        ("agency audit trail", "coordinator", f"/agencies/{a}/audit/"),
        ("assessments index", "coordinator", "/assessments/"),
        ("assessments index (national)", "national", "/assessments/"),
        ("assessment page", "coordinator", f"/assessments/{ctx.assessment_pk}/"),
        ("analysis", "coordinator", f"/assessments/{ctx.assessment_pk}/analysis/"),
        ("score entry: choose year", "coordinator", "/assessments/entry/"),
        ("score entry", "coordinator", f"/assessments/entry/{y}/"),
        ("target bands", "coordinator", "/assessments/bands/"),
        ("comparison (national viewer)", "national", f"/assessments/compare/?year={y}"),
        ("comparison (provincial viewer)", "provincial", f"/assessments/compare/?year={y}"),
        ("comparison, last page (national)", "national", f"/assessments/compare/?year={y}&last=1"),
        ("import page", "coordinator", "/assessments/import/"),
        ("import template CSV", "coordinator", "/assessments/import/template.csv"),
        ("export all years (national)", "national", "/assessments/export/?format=xlsx"),
        ("framework editions", "admin", "/assessments/frameworks/"),
        ("framework edition edit", "admin", f"/assessments/frameworks/{ctx.edition_year}/"),
        ("framework edition items", "admin", f"/assessments/frameworks/{ctx.edition_year}/items/"),
        ("framework edition diff", "admin", f"/assessments/frameworks/{ctx.edition_year}/diff/"),
        ("measures index", "coordinator", "/measures/"),
        ("my measures", "coordinator", "/measures/mine/"),
        ("measure list", "coordinator", f"/measures/plans/{ctx.plan_pk}/"),
        ("plan timeline", "coordinator", f"/measures/plans/{ctx.plan_pk}/timeline/"),
        ("plan as of", "coordinator", f"/measures/plans/{ctx.plan_pk}/as-of/"),
        ("plan draft", "coordinator", f"/measures/plans/{ctx.plan_pk}/draft/"),
        ("measure add", "coordinator", f"/measures/plans/{ctx.plan_pk}/measures/new/"),
        ("measure edit", "coordinator", f"/measures/plans/{ctx.plan_pk}/measures/{ctx.measure_pk}/edit/"),
        ("measure page", "coordinator", f"/measures/{ctx.measure_pk}/"),
        ("progress report", "coordinator", f"/measures/{ctx.measure_pk}/progress/"),
        ("step done", "step owner", f"/measures/steps/{ctx.step_pk}/done/"),
        ("measures library", "coordinator", "/measures/library/"),
        ("memo inbox", "approver", "/reports/"),
        ("memo start", "coordinator", "/reports/memos/new/"),
        ("memo page", "approver", f"/reports/memos/{ctx.memo_pk}/"),
        ("memo edit (draft)", "coordinator", f"/reports/memos/{ctx.draft_memo_pk}/edit/"),
        ("wording list", "coordinator", f"/reports/wording/{ctx.agency_code}/{y}/"),
        ("wording edit", "coordinator", f"/reports/wording/{ctx.agency_code}/{y}/analysis/cover/"),
        ("cycle oversight (national viewer)", "national", "/reports/oversight/"),
        ("cycle oversight (provincial viewer)", "provincial", "/reports/oversight/"),
        ("approval chains", "coordinator", "/reports/chains/"),
        ("approval chain add", "coordinator", "/reports/chains/new/"),
        ("approval chain edit", "coordinator", f"/reports/chains/{ctx.chain_pk}/edit/"),
        ("score table xlsx (national)", "national", f"/reports/scores.xlsx?year={y}"),
        ("verify: look up", "anonymous", "/verify/"),
        ("verify: record", "anonymous", f"/verify/{ctx.verify_code}/"),
        ("my downloads", "national", "/jobs/"),
        ("download page", "national", f"/jobs/{ctx.job_pk}/"),
        ("download status JSON", "national", f"/jobs/{ctx.job_pk}/status.json"),
        ("notifications", "approver", "/notifications/"),
        ("notification settings", "approver", "/notifications/settings/"),
    ]


def oit_and_public_pages(ctx: Ctx) -> list[tuple[str, str, str]]:
    code, oy = ctx.agency_code, ctx.oit_year
    return [
        ("OIT index", "coordinator", "/measures/oit/"),
        ("OIT checklist", "coordinator", f"/measures/oit/{ctx.checklist_pk}/"),
        ("OIT item", "coordinator", f"/measures/oit/items/{ctx.oit_entry_pk}/"),
        ("OIT ITAS xlsx", "coordinator", f"/measures/oit/{ctx.checklist_pk}/itas.xlsx"),
        ("OIT overview (provincial viewer)", "provincial", f"/measures/oit/overview/?year={oy}"),
        ("OIT overview (national viewer)", "national", f"/measures/oit/overview/?year={oy}"),
        ("OIT overview xlsx (national)", "national", f"/measures/oit/overview.xlsx?year={oy}"),
        ("public OIT list", "anonymous", f"/public/oit/{code}/{oy}/"),
        ("public OIT item", "anonymous", f"/public/oit/{code}/{oy}/{ctx.oit_item_code}/"),
        ("public evidence (memos)", "anonymous", f"/public/{code}/{ctx.year}/"),
    ]


def api_pages(ctx: Ctx) -> list[tuple[str, str, str]]:
    y = ctx.year
    return [
        ("API OpenAPI schema", "api", "/api/v1/openapi.json"),
        ("API agencies (national)", "api", "/api/v1/agencies?page_size=100"),
        ("API agency", "api", f"/api/v1/agencies/{ctx.agency_pk}"),
        ("API scores page (national)", "api", f"/api/v1/scores?year={y}&page_size=100"),
        ("API plans (national)", "api", f"/api/v1/plans?year={y}&page_size=100"),
        ("API memos (national)", "api", "/api/v1/memos?page_size=100"),
    ]


def admin_pages(ctx: Ctx) -> list[tuple[str, str, str]]:
    """The admin's own pages, then for every registered model each view the admin allows a superuser: list, add,
    change, history and delete (the confirmation page a GET shows)."""
    from django.contrib import admin

    out = [
        ("admin: index", "admin", "/admin/"),
        ("admin: login", "anonymous", "/admin/login/"),
        ("admin: password change", "admin", "/admin/password_change/"),
        ("admin: password change done", "admin", "/admin/password_change/done/"),
        ("admin: JavaScript catalogue", "admin", "/admin/jsi18n/"),
        (
            "admin: autocomplete (agency)",
            "admin",
            "/admin/autocomplete/?app_label=reports&model_name=approvalchain&field_name=agency&term=gen-0009",
        ),
        ("admin: view on site", "admin", f"/admin/r/{ctx.content_type_pk}/{ctx.agency_pk}/"),
        ("admin: user password", "admin", f"/admin/auth/user/{ctx.coordinator_pk}/password/"),
    ]
    apps = []
    for model, model_admin in admin.site._registry.items():
        app, name = model._meta.app_label, model._meta.model_name
        if app not in apps:
            apps.append(app)
        base = f"/admin/{app}/{name}/"
        pk = ctx.admin_objects.get(f"{app}.{name}", 1)
        for view, url in admin_views(model_admin, base, pk):
            out.append((f"admin: {app}.{name} {view}", "admin", url))
    out += [(f"admin: app {app}", "admin", f"/admin/{app}/") for app in apps]
    return out


def admin_views(model_admin, base: str, pk: int) -> list[tuple[str, str]]:
    """The views of one model's admin that a superuser may open (a refused one is excluded by ``admin_refused``)."""
    allowed = admin_allowed(model_admin)
    urls = {
        "changelist": base,
        "add": f"{base}add/",
        "change": f"{base}{pk}/change/",
        "history": f"{base}{pk}/history/",
        "delete": f"{base}{pk}/delete/",
    }
    return [(view, url) for view, url in urls.items() if allowed[view]]


def admin_allowed(model_admin) -> dict[str, bool]:
    request = _superuser_request()
    view = model_admin.has_view_or_change_permission(request)
    return {
        "changelist": view,
        "add": model_admin.has_add_permission(request),
        "change": view,
        "history": view,
        "delete": model_admin.has_delete_permission(request),
    }


def _superuser_request():
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return request


def post_only(callback) -> bool:
    """Whether a view answers POST only (``require_POST``, or a class view without ``get``)."""
    seen = 0
    while callback is not None and seen < 20:
        seen += 1
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            return "get" not in view_class.http_method_names
        code = getattr(callback, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            methods = callback.__closure__[code.co_freevars.index("request_method_list")].cell_contents
            return "GET" not in methods
        callback = getattr(callback, "__wrapped__", None)
    return False
