"""The pages each demo role reaches, as addresses built from the demo data (``load_demo``).

The accessibility journey visits every one of them at desktop and phone width. Each address must answer 200 for
its role: a page that turns into a 403 or 404 for that person is a wrong list, and the journey says so.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.models import Agency, Department, Membership
from assessments.models import Assessment
from ita_tracker.models import Job
from measures.models import Measure, MeasurePlan
from reports.jobs import AGENCY_DOCUMENTS
from reports.models import ApprovalChain, Memo

ANONYMOUS = ""


def _common() -> list[str]:
    """What everyone signed in reaches from the menu and the user menu."""
    return [
        reverse("dashboard"),
        reverse("assessments:index"),
        reverse("measures:index"),
        reverse("reports:index"),
        reverse("agencies:list"),
        reverse("privacy"),
        reverse("password_change"),
        reverse("password_change_done"),
    ]


def _bangpu_reading() -> list[str]:
    """The agency's plan, measures, scores and memos as anyone in บางปู can read them."""
    agency = Agency.objects.get(code="bangpu")
    plan = MeasurePlan.objects.get(agency=agency, fiscal_year=2564)
    measure = Measure.objects.get(plan=plan, number=4)
    assessment = Assessment.objects.filter(agency=agency).order_by("pk").first()
    memo = Memo.objects.filter(agency=agency, status=Memo.Status.APPROVED).order_by("pk").first()
    return [
        reverse("agencies:detail", args=[agency.pk]),
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:analysis", args=[assessment.pk]),
        reverse("assessments:compare"),
        reverse("measures:plan_detail", args=[plan.pk]),
        reverse("measures:plan_timeline", args=[plan.pk]),
        reverse("measures:plan_as_of", args=[plan.pk]) + "?date=2564-03-31",
        reverse("measures:measure_detail", args=[measure.pk]),
        reverse("reports:memo_detail", args=[memo.pk]),
    ]


def demo_job(username: str) -> Job:
    """A finished background job of the person's own (the demo has none), so the job page can be visited."""
    user = get_user_model().objects.get(username=username)
    agency = Agency.objects.get(code="bangpu")
    plan = MeasurePlan.objects.get(agency=agency, fiscal_year=2564)
    return Job.objects.create(
        kind=AGENCY_DOCUMENTS,
        params={"agency": agency.pk, "year": plan.fiscal_year},
        status=Job.Status.RUNNING,
        progress=40,
        message="กำลังจัดทำเอกสาร",
        created_by=user,
    )


def _coordinator() -> list[str]:
    agency = Agency.objects.get(code="bangpu")
    plan = MeasurePlan.objects.get(agency=agency, fiscal_year=2564)
    measure = Measure.objects.get(plan=plan, number=4)
    chain = ApprovalChain.objects.filter(agency=agency).order_by("pk").first()
    urls = [
        reverse("measures:mine"),
        reverse("measures:measure_create", args=[plan.pk]),
        reverse("measures:measure_edit", args=[plan.pk, measure.pk]),
        reverse("measures:progress_create", args=[measure.pk]),
        reverse("assessments:choose_year"),
        reverse("assessments:entry", args=[2564]),
        reverse("assessments:bands"),
        reverse("assessments:import"),
        reverse("reports:memo_start"),
        reverse("reports:chain_list"),
        reverse("reports:chain_create"),
        reverse("jobs:detail", args=[demo_job("bangpu.plan").pk]),
    ]
    if chain is not None:
        urls.append(reverse("reports:chain_edit", args=[chain.pk]))
    return urls


def _agency_admin() -> list[str]:
    agency = Agency.objects.get(code="bangpu")
    department = Department.objects.filter(agency=agency).order_by("pk").first()
    membership = Membership.objects.filter(agency=agency, user__username="bangpu.finance").get()
    return [
        reverse("agencies:update", args=[agency.pk]),
        reverse("agencies:department_add", args=[agency.pk]),
        reverse("agencies:department_edit", args=[agency.pk, department.pk]),
        reverse("agencies:person_add", args=[agency.pk]),
        reverse("agencies:membership_edit", args=[agency.pk, membership.pk]),
        reverse("agencies:audit", args=[agency.pk]),
    ]


def _approver_with_pending_memo() -> list[str]:
    """หนองเสม็ด's pending memo, on the desk of its ปลัด: the decision form."""
    memo = Memo.objects.filter(agency__code="nongsamet", status=Memo.Status.PENDING).order_by("pk").first()
    return [reverse("reports:memo_detail", args=[memo.pk])]


def _viewer() -> list[str]:
    """The provincial viewer reads every agency: the lists, compare and one agency's plan and scores."""
    return [*_bangpu_reading()]


def _staff() -> list[str]:
    agency = Agency.objects.get(code="bangpu")
    measure = Measure.objects.get(plan__agency=agency, plan__fiscal_year=2564, number=4)
    return [
        reverse("measures:mine"),
        reverse("measures:measure_detail", args=[measure.pk]),
        reverse("measures:progress_create", args=[measure.pk]),
        reverse("agencies:detail", args=[agency.pk]),
    ]


def _anonymous() -> list[str]:
    return [
        reverse("login"),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", args=["MQ", "set-password"]),  # an invalid link: its own message
        reverse("password_reset_complete"),
        reverse("privacy"),
        reverse("public:evidence", args=["bangpu", 2564]),  # the published evidence page of the demo memo
    ]


def pages_for(username: str) -> list[str]:
    """The addresses one demo person (or ANONYMOUS) reaches, in the order a journey visits them."""
    if username == ANONYMOUS:
        return _anonymous()
    builders = {
        "bangpu.plan": lambda: [*_common(), *_bangpu_reading(), *_coordinator()],
        "bangpu.palat": lambda: [*_common(), *_bangpu_reading(), *_agency_admin()],
        "bangpu.finance": lambda: [*_common(), *_staff()],
        "nongsamet.palat": lambda: [*_common(), *_approver_with_pending_memo()],
        "province.viewer": lambda: [*_common(), *_viewer()],
        "south.coordinator": lambda: [*_common()],
    }
    seen, ordered = set(), []
    for url in builders[username]():
        if url not in seen:
            seen.add(url)
            ordered.append(url)
    return ordered


def error_pages_for(username: str) -> list[tuple[str, int]]:
    """Pages a person meets when they go too far: a missing object (404), a page beyond their role (403)."""
    if username == ANONYMOUS:
        return []
    pages = [(reverse("measures:measure_detail", args=[999_999]), 404)]
    if username == "bangpu.finance":
        pages.append((reverse("assessments:import"), 403))
    return pages


ROLES = [
    ANONYMOUS,
    "bangpu.plan",
    "bangpu.palat",
    "bangpu.finance",
    "nongsamet.palat",
    "province.viewer",
    "south.coordinator",
]
