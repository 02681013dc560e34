"""Security of the whole site: CSRF on every POST, state changes by POST only, login throttling, session expiry
and the content security policy.

The URL tests walk every pattern of the project (``tests.urlwalk``), so a new URL fails here until it is
classified below as read-only, a form (GET shows it, POST acts) or POST-only.
"""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from assessments.models import Assessment
from measures.models import MeasurePlan
from reports.models import Memo
from tests.factories import PASSWORD
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# Views that change something and must refuse GET (405): a link or a prefetch must never act.
POST_ONLY = {
    "logout",
    "agencies:switch",
    "agencies:person_suspend",
    "measures:plan_create",
    "measures:library_add",
    "measures:library_decide",
    "reports:memo_submit",
    "reports:memo_decide",
    "reports:memo_delete",
    "reports:memo_withdraw",
    "reports:memo_reassign",
    "reports:memo_publish",
    "reports:job_agency_documents",
    "reports:job_score_table",
    "reports:job_documents_pack",
    "assessments:import_background",
    "notifications:open",
    "notifications:read",
    "notifications:read_all",
    "assessments:edition_open_next",
    "agencies:security_start",
    "agencies:security_confirm",
    "agencies:security_recovery",
    "agencies:security_remove",
    "measures:oit_open",
    "measures:oit_due",
    "measures:oit_assign",
    "measures:oit_evidence_add",
    "measures:oit_submit",
    "measures:oit_review",
    "measures:oit_evidence_remove",
    "measures:oit_evidence_keep",
    "reports:memo_attachment_add",
    "reports:memo_attachment_remove",
    "measures:measure_dimension",
}
# Views whose GET shows a form (or, for set_language, only redirects) and whose POST acts.
FORMS = {
    "login",
    "password_change",
    "password_reset",
    "notifications:preferences",
    "password_reset_confirm",
    "set_language",
    "agencies:update",
    "agencies:department_add",
    "agencies:department_edit",
    "agencies:person_add",
    "agencies:membership_edit",
    "assessments:entry",
    "assessments:bands",
    "assessments:import",
    "measures:measure_create",
    "measures:measure_edit",
    "measures:progress_create",
    "measures:plan_draft",
    "measures:step_done",
    "reports:memo_start",
    "reports:memo_edit",
    "reports:chain_create",
    "reports:chain_edit",
    "assessments:edition_edit",
    "assessments:edition_items",
    "verify:record",
    "reports:wording_edit",
}
# Views that only read.
READ_ONLY = {
    "dashboard",
    "privacy",
    "password_change_done",
    "password_reset_done",
    "password_reset_complete",
    "agencies:list",
    "agencies:detail",
    "agencies:emblem",
    "agencies:audit",
    "assessments:index",
    "assessments:detail",
    "assessments:analysis",
    "assessments:choose_year",
    "assessments:compare",
    "assessments:import_template",
    "assessments:export",
    "measures:index",
    "measures:mine",
    "measures:library",
    "measures:plan_detail",
    "measures:plan_timeline",
    "measures:plan_as_of",
    "measures:measure_detail",
    "measures:evidence",
    "reports:index",
    "reports:memo_detail",
    "reports:chain_list",
    "reports:memo_document",
    "reports:plan_document",
    "reports:results_document",
    "reports:analysis_document",
    "reports:score_table",
    "jobs:detail",
    "jobs:status",
    "jobs:download",
    "jobs:mine",
    "notifications:list",
    "reports:oversight",
    "public:evidence",
    "public:memo_pdf",
    "assessments:edition_list",
    "assessments:edition_diff",
    # The read-only JSON API (reports/api.py): GET only, a token per person.
    "api:api-root",
    "api:openapi-json",
    "api:agency_list",
    "api:agency_detail",
    "api:score_list",
    "api:plan_list",
    "api:memo_list",
    "agencies:security",
    "verify:lookup",
    "measures:oit_index",
    "measures:oit_overview",
    "measures:oit_overview_export",
    "measures:oit_checklist",
    "measures:oit_itas",
    "measures:oit_entry",
    "measures:oit_evidence",
    "oit_public:list",
    "oit_public:item",
    "oit_public:file",
    "reports:wording_list",
    "reports:anticorruption_plan_document",
    "reports:anticorruption_report_document",
}

# A value for each URL argument, enough to resolve the address (CSRF and method checks run before any lookup).
SAMPLE_KWARGS = {"pk": 999999, "fmt": "pdf", "code": "nowhere", "year": 2567, "uidb64": "MQ", "token": "set-password"}


def _site_routes():
    """Every pattern except the Django admin's, which is Django's own code (its CSRF is checked below)."""
    return [r for r in project_routes() if r.namespace != "admin"]


def _url(route) -> str:
    kwargs = {name: SAMPLE_KWARGS.get(name, 999999) for name in route.converters}
    return reverse(route.name, kwargs=kwargs)


def test_every_url_is_classified():
    names = {r.name for r in _site_routes()}
    classified = POST_ONLY | FORMS | READ_ONLY
    assert names - classified == set(), "classify the new URL as POST_ONLY, FORMS or READ_ONLY"
    assert classified - names == set(), "a classified URL no longer exists"
    assert not (POST_ONLY & FORMS) and not (POST_ONLY & READ_ONLY) and not (FORMS & READ_ONLY)


def test_no_view_is_exempt_from_csrf():
    exempt = [r.name for r in project_routes() if getattr(r.callback, "csrf_exempt", False)]
    assert exempt == []


def test_state_changing_views_refuse_get(client, coordinator_a):
    client.force_login(coordinator_a)
    for route in _site_routes():
        if route.name in POST_ONLY:
            response = client.get(_url(route))
            assert response.status_code == 405, route.name
            if route.name != "logout":
                assert "POST" in response["Allow"], route.name


def test_post_without_csrf_token_is_refused_everywhere(coordinator_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    for route in _site_routes():
        response = client.post(_url(route), {"anything": "1"})
        assert response.status_code == 403, route.name
    # The refusal comes from the CSRF check, not from a role check: with the token the same POST goes through.
    client.get(reverse("dashboard"))
    token = client.cookies["csrftoken"].value
    agency = Agency.objects.get(memberships__user=coordinator_a)
    response = client.post(reverse("agencies:switch"), {"agency": agency.pk, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_anonymous_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    for name in ("login", "password_reset", "set_language"):
        assert client.post(reverse(name), {"username": "x", "password": "y"}).status_code == 403, name


# Login throttling ----------------------------------------------------------------------------------------------


def _login(client, username, password, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_user_name_from_that_address(settings, client, coordinator_a, staff_a):
    settings.AXES_ENABLED = True
    for _attempt in range(4):
        response = _login(client, coordinator_a.username, "wrong-password-1")
        assert response.status_code == 200  # the login form again, with its error
    locked = _login(client, coordinator_a.username, "wrong-password-1")
    assert locked.status_code == 429
    # The right password is refused too while the lock lasts, with the Thai page that says what to do.
    refused = _login(client, coordinator_a.username, PASSWORD)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "บัญชีถูกระงับการเข้าสู่ระบบชั่วคราว" in page and "15 นาที" in page and "ผู้ดูแลหน่วยงาน" in page
    assert "_auth_user_id" not in client.session
    # Someone else at the same office address still logs in, and so does this person from another address.
    other = Client()
    assert _login(other, staff_a.username, PASSWORD).status_code == 302
    elsewhere = Client()
    assert _login(elsewhere, coordinator_a.username, PASSWORD, address="198.51.100.20").status_code == 302


def test_lockout_ends_after_fifteen_minutes(settings, client, coordinator_a):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    for _attempt in range(5):
        _login(client, coordinator_a.username, "wrong-password-1")
    assert _login(client, coordinator_a.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, coordinator_a.username, PASSWORD).status_code == 302


# Sessions ------------------------------------------------------------------------------------------------------


def test_a_session_idle_longer_than_the_limit_is_logged_out(settings, client, coordinator_a):
    client.force_login(coordinator_a)
    assert client.get(reverse("dashboard")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Every request pushes the expiry an hour ahead (SESSION_SAVE_EVERY_REQUEST).
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session.expire_date - expected) < timedelta(minutes=1)

    # Fifty minutes without activity: still logged in.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=10))
    assert client.get(reverse("dashboard")).status_code == 200

    # An hour and a second without activity: the session is gone and the login page comes back.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# Content security policy ---------------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def test_pages_carry_the_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_demo_pages_need_no_inline_script_or_style_and_every_post_form_has_a_csrf_token(client):
    call_command("load_demo", stdout=io.StringIO())
    client.login(username="bangpu.plan", password="ita-demo-2567")
    agency = Agency.objects.get(code="bangpu")
    assessment = Assessment.objects.filter(agency=agency).order_by("-edition__fiscal_year").first()
    plan = MeasurePlan.objects.filter(agency=agency).first()
    memo = Memo.objects.filter(agency=agency).first()
    measure = plan.measures.order_by("number").first()
    pages = [
        reverse("dashboard"),
        reverse("assessments:index"),
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:analysis", args=[assessment.pk]),
        reverse("assessments:compare"),
        reverse("assessments:entry", args=[assessment.edition.fiscal_year]),
        reverse("measures:index"),
        reverse("measures:plan_detail", args=[plan.pk]),
        reverse("measures:plan_timeline", args=[plan.pk]),
        reverse("measures:plan_as_of", args=[plan.pk]),
        reverse("measures:measure_detail", args=[measure.pk]),
        reverse("measures:progress_create", args=[measure.pk]),
        reverse("reports:index"),
        reverse("reports:memo_detail", args=[memo.pk]),
        reverse("reports:oversight"),
        reverse("agencies:detail", args=[agency.pk]),
        reverse("agencies:audit", args=[agency.pk]),
        reverse("privacy"),
        reverse("public:evidence", args=[agency.code, plan.fiscal_year]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        html = response.content.decode()
        assert ' style="' not in html, url
        assert INLINE_SCRIPT.findall(html) == [], url
        for form in POST_FORM.findall(html):
            assert 'name="csrfmiddlewaretoken"' in form, url
