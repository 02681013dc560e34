"""The pages each demo role reaches, as addresses built from the demo data (``load_demo``).

The accessibility journey visits every one of them at desktop and phone width, in Thai and in English. Each
address must answer 200 for its role: a page that turns into a 403 or 404 for that person is a wrong list, and the
journey says so.

Every URL name of the project is either visited here by some role or listed in :data:`NOT_WALKED` with the reason
(``tests/test_page_walk.py`` fails otherwise), so a page added later is either walked or excluded on purpose.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies import identity
from agencies.models import Agency, Department, Membership
from assessments.models import Assessment, FrameworkEdition
from ita_tracker.models import Job
from measures import permissions as measure_access
from measures.models import Measure, MeasurePlan, MeasureStep
from measures.oit.models import OitChecklist, OitEntry, OitState
from reports.jobs import AGENCY_DOCUMENTS
from reports.models import ApprovalChain, Memo, SealedRecord
from reports.seal import memo_seal
from reports.wording import PARTS

ANONYMOUS = ""
FRAMEWORK_ADMIN = "nacc.admin"


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
        reverse("agencies:security"),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("jobs:mine"),
        reverse("measures:library"),
        reverse("measures:oit_index"),
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
        reverse("assessments:entry", args=[2564]),
        reverse("assessments:bands"),
        reverse("assessments:import"),
        reverse("reports:memo_start"),
        reverse("reports:chain_list"),
        reverse("reports:chain_create"),
        reverse("jobs:detail", args=[demo_job("bangpu.plan").pk]),
        *_own_steps("bangpu.plan"),
        *_oit_pages(OitState.IN_REVIEW),  # the coordinator's review form
        *_wording(agency),
    ]
    drafted = MeasurePlan.objects.filter(agency=agency, assessment__isnull=False).order_by("-fiscal_year").first()
    urls.append(reverse("measures:plan_draft", args=[drafted.pk]))
    draft = Memo.objects.filter(agency=agency, status=Memo.Status.DRAFT).order_by("pk").first()
    urls.append(reverse("reports:memo_edit", args=[draft.pk]))
    if chain is not None:
        urls.append(reverse("reports:chain_edit", args=[chain.pk]))
    return urls


def _own_steps(username: str) -> list[str]:
    """The "step done" form of one step the person may tick (their division's, not yet done)."""
    user = get_user_model().objects.get(username=username)
    steps = MeasureStep.objects.filter(measure__plan__agency__code="bangpu", completed_on__isnull=True).select_related(
        "measure__plan__agency", "department"
    )
    step = next(s for s in steps.order_by("pk") if measure_access.can_complete_step(user, s))
    return [reverse("measures:step_done", args=[step.pk])]


def _oit_pages(*states: str, department: str | None = None) -> list[str]:
    """บางปู's OIT checklist of the year and one of its items in each of ``states`` (of ``department``)."""
    checklist = OitChecklist.objects.get(agency__code="bangpu")
    urls = [reverse("measures:oit_checklist", args=[checklist.pk])]
    for state in states:
        entries = OitEntry.objects.filter(checklist=checklist, state=state).order_by("item__order")
        if department:
            entries = entries.filter(department__name=department)
        urls.append(reverse("measures:oit_entry", args=[entries.first().pk]))
    return urls


def _wording(agency: Agency) -> list[str]:
    """The wording of the agency's documents for this year's plan: the list and one part's form."""
    year = MeasurePlan.objects.filter(agency=agency).order_by("-fiscal_year").first().fiscal_year
    document, parts = next(iter(PARTS.items()))
    return [
        reverse("reports:wording_list", args=[agency.code, year]),
        reverse("reports:wording_edit", args=[agency.code, year, document, parts.keys()[0]]),
    ]


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
        *_oit_pages(OitState.PASSED, OitState.NEEDS_FIX),
    ]


def _security_with_a_pending_authenticator(username: str) -> list[str]:
    """The security page half-way through setting up an app: its QR code, secret and code field."""
    identity.totp_setup_start(user=get_user_model().objects.get(username=username))
    return [reverse("agencies:security")]


def _approver_with_pending_memo() -> list[str]:
    """หนองเสม็ด's pending memo, on the desk of its ปลัด: the decision form."""
    memo = Memo.objects.filter(agency__code="nongsamet", status=Memo.Status.PENDING).order_by("pk").first()
    return [reverse("reports:memo_detail", args=[memo.pk])]


def _viewer() -> list[str]:
    """The provincial viewer reads every agency: the lists, compare, one agency's plan and scores, the oversight
    table and the OIT overview of the province."""
    return [
        *_bangpu_reading(),
        reverse("reports:oversight"),
        reverse("measures:oit_overview"),
        *_oit_pages(OitState.PASSED),
    ]


def _framework_admin() -> list[str]:
    """The national administrator's framework editor: the editions, one edition's form, its items and its diff."""
    year = FrameworkEdition.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    return [
        reverse("assessments:edition_list"),
        reverse("assessments:edition_edit", args=[year]),
        reverse("assessments:edition_items", args=[year]),
        reverse("assessments:edition_diff", args=[year]),
    ]


def _staff() -> list[str]:
    agency = Agency.objects.get(code="bangpu")
    measure = Measure.objects.get(plan__agency=agency, plan__fiscal_year=2564, number=4)
    return [
        reverse("measures:mine"),
        reverse("measures:measure_detail", args=[measure.pk]),
        reverse("measures:progress_create", args=[measure.pk]),
        reverse("agencies:detail", args=[agency.pk]),
        *_own_steps("bangpu.finance"),
        *_oit_pages(OitState.IN_REVIEW, department="กองคลัง"),
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
        *_public_oit(),
        reverse("verify:lookup"),
        reverse("verify:lookup") + "?code=1234",  # a code too short: the field's error
        verify_record_url(),
    ]


def verify_record_url() -> str:
    """The public verification page of the seed's approved memo, sealed by the demo's seal job once its
    transaction commits (sealed here when the test's transaction never commits)."""
    record = SealedRecord.objects.filter(memo__agency__code="bangpu").order_by("pk").first()
    if not record.is_sealed:
        memo_seal(record.pk)
    return reverse("verify:record", args=[record.code])


def _public_oit() -> list[str]:
    """บางปู's published OIT list of the year and one of its passed items, as the agency's website embeds them."""
    checklist = OitChecklist.objects.select_related("edition").get(agency__code="bangpu")
    year = checklist.edition.fiscal_year
    entry = checklist.entries.filter(state=OitState.PASSED).select_related("item").order_by("item__order").first()
    return [
        reverse("oit_public:list", args=["bangpu", year]),
        reverse("oit_public:item", args=["bangpu", year, entry.item.code.lower()]),
    ]


def pages_for(username: str) -> list[str]:
    """The addresses one demo person (or ANONYMOUS) reaches, in the order a journey visits them."""
    if username == ANONYMOUS:
        return _anonymous()
    builders = {
        "bangpu.plan": lambda: [*_common(), *_bangpu_reading(), *_coordinator()],
        "bangpu.palat": lambda: [
            *_common(),
            *_bangpu_reading(),
            *_agency_admin(),
            *_security_with_a_pending_authenticator("bangpu.palat"),
        ],
        "bangpu.finance": lambda: [*_common(), *_staff()],
        "nongsamet.palat": lambda: [*_common(), *_approver_with_pending_memo()],
        "province.viewer": lambda: [*_common(), *_viewer()],
        "south.coordinator": lambda: [*_common()],
        FRAMEWORK_ADMIN: lambda: [*_common(), *_framework_admin()],
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
    FRAMEWORK_ADMIN,
]


_POST = "an action (POST only) that redirects to a page the walk visits"
_FILE = "a file download (PDF, Word, Excel, CSV, ZIP or image), not an HTML page"
# URL names the walk does not visit, each with its reason. A new URL name must be walked by some role above or
# listed here; tests/test_page_walk.py fails otherwise (and on a name listed here that is walked or gone).
NOT_WALKED: dict[str, str] = {
    "logout": _POST,
    "set_language": _POST,
    "agencies:switch": _POST,
    "agencies:security_start": _POST,
    "agencies:security_confirm": _POST,
    "agencies:security_recovery": _POST,
    "agencies:security_remove": _POST,
    "agencies:person_suspend": _POST,
    "agencies:emblem": _FILE,
    "assessments:import_background": _POST,
    "assessments:import_template": _FILE,
    "assessments:export": _FILE,
    "assessments:edition_open_next": _POST,
    "assessments:choose_year": "the year picker's target: always redirects (to assessments:entry, which is walked)",
    "measures:plan_create": _POST,
    "measures:measure_dimension": _POST,
    "measures:evidence": _FILE,
    "measures:library_decide": _POST,
    "measures:library_add": _POST,
    "measures:oit_open": _POST,
    "measures:oit_due": _POST,
    "measures:oit_assign": _POST,
    "measures:oit_evidence_add": _POST,
    "measures:oit_submit": _POST,
    "measures:oit_review": _POST,
    "measures:oit_evidence_remove": _POST,
    "measures:oit_evidence_keep": _POST,
    "measures:oit_overview_export": _FILE,
    "measures:oit_itas": _FILE,
    "measures:oit_evidence": _FILE,
    "reports:memo_submit": _POST,
    "reports:memo_decide": _POST,
    "reports:memo_withdraw": _POST,
    "reports:memo_reassign": _POST,
    "reports:memo_delete": _POST,
    "reports:memo_publish": _POST,
    "reports:memo_attachment_add": _POST,
    "reports:memo_attachment_remove": _POST,
    "reports:memo_document": _FILE,
    "reports:plan_document": _FILE,
    "reports:results_document": _FILE,
    "reports:anticorruption_plan_document": _FILE,
    "reports:anticorruption_report_document": _FILE,
    "reports:analysis_document": _FILE,
    "reports:score_table": _FILE,
    "reports:job_agency_documents": _POST + " (starts a background job)",
    "reports:job_score_table": _POST + " (starts a background job)",
    "reports:job_documents_pack": _POST + " (starts a background job)",
    "oit_public:file": _FILE,
    "public:memo_pdf": _FILE,
    "jobs:status": "JSON polled by the job page's script",
    "jobs:download": _FILE,
    "notifications:open": _POST,
    "notifications:read": _POST,
    "notifications:read_all": _POST,
}
# Whole namespaces left out: Django's own admin (the superuser's tool, not the application's pages; its
# accessibility is Django's) and the read-only JSON API (no HTML, no documentation page: docs_url=None).
NOT_WALKED_NAMESPACES: dict[str, str] = {
    "admin": "Django's own admin site, for the superuser only; not part of the application's interface",
    "api": "the JSON API (reports/api.py) serves no HTML page; its documentation page is off (docs_url=None)",
}
