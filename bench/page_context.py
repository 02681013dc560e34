"""The objects and people the page benchmark shows (``bench/page_list.py`` turns them into addresses).

One agency is the subject: the first generated one (by code) with a memo waiting at step 1 and 15 measures in its
latest plan (the middle of 10–20), so that at every size the pages show the same amount of the agency's own data
and only the rest of the database grows. What ``generate_data`` does not make (an OIT list for every agency, a
sealed record, a finished download, a few notifications, a superuser, an API token) is added here once, the same
at every size.
"""

from __future__ import annotations

import time

from bench.page_list import Ctx


def build() -> tuple[Ctx, dict[str, object], str]:
    """(ctx, users by role, API key)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from agencies.models import Agency, Department, Membership
    from assessments.models import Assessment, FrameworkEdition
    from measures.models import MeasureStep
    from reports.models import ApprovalChain, Memo, MemoStep

    User = get_user_model()
    agency, plan = _subject()
    coordinator = Membership.objects.get(agency=agency, is_coordinator=True).user
    assessment = Assessment.objects.filter(agency=agency).order_by("-edition__fiscal_year").first()
    memo = Memo.objects.filter(agency=agency, status=Memo.Status.PENDING, current_step=1).order_by("pk").first()
    approver = MemoStep.objects.get(memo=memo, order=1).approvers.select_related("user").first().user
    national = User.objects.get(username="national.viewer")
    provincial = (
        Membership.objects.filter(agency=agency, is_viewer=True, user__username__startswith="province.")
        .select_related("user")
        .get()
        .user
    )
    admin, _created = User.objects.get_or_create(
        username="bench.admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "Bench"}
    )
    measure = plan.measures.order_by("number").first()
    staff = Membership.objects.filter(agency=agency, is_staff_member=True, department__isnull=False).order_by("pk")
    step = MeasureStep.objects.filter(measure__plan=plan, department__in=staff.values("department")).order_by("pk")[0]
    step_owner = staff.filter(department=step.department_id).first().user
    agency_admin = Membership.objects.filter(agency=agency, is_agency_admin=True).order_by("pk").first().user
    checklist, oit_year, entry, item_code = ensure_oit(agency)
    n_national = Agency.objects.visible_to(national).count()
    ctx = Ctx(
        agency_pk=agency.pk,
        agency_code=agency.code,
        department_pk=Department.objects.filter(agency=agency).order_by("pk").first().pk,
        membership_pk=Membership.objects.filter(agency=agency, is_coordinator=False).order_by("pk").first().pk,
        assessment_pk=assessment.pk,
        year=assessment.edition.fiscal_year,
        plan_pk=plan.pk,
        measure_pk=measure.pk,
        step_pk=step.pk,
        memo_pk=memo.pk,
        draft_memo_pk=_draft_memo(agency, coordinator, plan).pk,
        chain_pk=ApprovalChain.objects.filter(agency=agency).order_by("pk").first().pk,
        checklist_pk=checklist.pk,
        oit_year=oit_year,
        oit_entry_pk=entry.pk,
        oit_item_code=item_code,
        edition_year=FrameworkEdition.objects.order_by("-fiscal_year").first().fiscal_year,
        job_pk=_job(national).pk,
        verify_code=_sealed(agency).code,
        coordinator_pk=coordinator.pk,
        reset_uid=urlsafe_base64_encode(force_bytes(coordinator.pk)),
        reset_token=default_token_generator.make_token(coordinator),
        last_agency_page=max(1, -(-n_national // 50)),
        admin_objects=_admin_objects(agency),
        content_type_pk=ContentType.objects.get_for_model(Agency).pk,
    )
    _notifications(approver)
    from ita_tracker.api_auth import api_token_create

    _token, key = api_token_create(user=national, name="bench")
    print(
        f"subject: {agency.code} {agency.name} ({agency.province}); plan {plan.pk} with {plan.measures.count()} "
        f"measures; memo {memo.pk}; province viewer follows "
        f"{Agency.objects.visible_to(provincial).count():,} agencies, national viewer {n_national:,}",
        flush=True,
    )
    users = {
        "coordinator": coordinator,
        "approver": approver,
        "national": national,
        "provincial": provincial,
        "admin": admin,
        "agency admin": agency_admin,
        "step owner": step_owner,
        "api": national,
        "anonymous": None,
    }
    return ctx, users, key


def _subject():
    from agencies.models import Agency
    from measures.models import MeasurePlan
    from reports.models import Memo

    candidates = (
        Agency.objects.filter(code__startswith="gen-", memos__status=Memo.Status.PENDING, memos__current_step=1)
        .order_by("code")
        .distinct()
    )
    for candidate in candidates[:500]:
        latest = MeasurePlan.objects.filter(agency=candidate).order_by("-fiscal_year").first()
        if latest is not None and latest.measures.count() == 15:
            return candidate, latest
    raise SystemExit("no generated agency with a memo waiting at step 1 and a plan of 15 measures")


def _draft_memo(agency, coordinator, plan):
    """A draft of the coordinator's (the edit page is its author's), made once through the product's service."""
    from agencies.models import Department
    from reports import services
    from reports.models import ApprovalChain, Memo

    memo = Memo.objects.filter(agency=agency, status=Memo.Status.DRAFT, author=coordinator).order_by("pk").first()
    if memo is None:
        fields = services.memo_defaults(kind=Memo.Kind.PLAN, agency=agency, plan=plan)
        fields.update(
            kind=Memo.Kind.PLAN,
            plan=plan,
            addressee="นายกองค์การบริหารส่วนตำบล",
            department=Department.objects.filter(agency=agency).order_by("pk").first(),
            chain=ApprovalChain.objects.filter(agency=agency).order_by("pk").first(),
        )
        memo = services.memo_create(agency=agency, author=coordinator, fields=fields)
    return memo


def _job(user):
    """The national viewer's finished export of every year, with the coverage the job itself records
    (``agencies.permissions.agency_coverage``), so the download page checks it as it would."""
    from django.utils import timezone

    from agencies.models import Agency
    from agencies.permissions import agency_coverage
    from assessments.jobs import EXPORT_SCORES
    from ita_tracker.models import Job

    params = agency_coverage(user, Agency.objects.visible_to(user))
    jobs = Job.objects.filter(created_by=user, kind=EXPORT_SCORES, status=Job.Status.DONE).order_by("pk")
    job = next((job for job in jobs if job.params == params), None)
    if job is None:
        now = timezone.now()
        job = Job.objects.create(
            kind=EXPORT_SCORES, params=params, created_by=user, status=Job.Status.DONE,
            progress=100, started_at=now, finished_at=now,
        )  # fmt: skip
    return job


def _sealed(agency):
    """A sealed record of an approved memo: its snapshot, which is all the verification page reads (the file named
    is not stored: sealing renders with WeasyPrint, timed in seal_bench.py)."""
    from django.utils import timezone

    from reports import seal
    from reports.models import Memo, SealedRecord

    record = SealedRecord.objects.filter(memo__agency=agency, sealed_at__isnull=False).first()
    if record is None:
        memo = Memo.objects.filter(agency=agency, status=Memo.Status.APPROVED).order_by("pk").first()
        record, _created = SealedRecord.objects.get_or_create(memo=memo, defaults={"code": seal.new_code()})
        SealedRecord.objects.filter(pk=record.pk).update(
            snapshot=seal.snapshot(memo), sealed_at=timezone.now(), file="bench/not-stored.pdf", sha256="0" * 64
        )
        record.refresh_from_db()
    return record


def _notifications(user, count: int = 30) -> None:
    from ita_tracker.models import Notification

    if not Notification.objects.filter(recipient=user).exists():
        Notification.objects.bulk_create(
            Notification(recipient=user, kind="bench", title=f"แจ้งเตือน {n}", body="ทดสอบ", url="/reports/")
            for n in range(count)
        )


# For each registered model, how to reach the subject agency (the first that applies is used; otherwise the
# model's first row by id), so that change, history and delete pages show an object of the same size at every size.
AGENCY_PATHS = (
    "agency",
    "plan__agency",
    "measure__plan__agency",
    "entry__checklist__agency",
    "assessment__agency",
    "memo__agency",
    "memberships__agency",
    "recipient__memberships__agency",
    "created_by__memberships__agency",
    "user__memberships__agency",
    "actor__memberships__agency",
)


def _admin_objects(agency) -> dict[str, int]:
    from django.contrib import admin
    from django.core.exceptions import FieldError

    from assessments.models import FrameworkEdition

    # The latest edition with results: its delete page and its items' are the ones that would grow.
    latest_edition = FrameworkEdition.objects.filter(assessments__isnull=False).order_by("-fiscal_year").first()
    found = {}
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        rows = model._default_manager.order_by("pk")
        obj = None
        for path in AGENCY_PATHS:
            try:
                obj = rows.filter(**{path: agency}).first()
            except FieldError:
                continue
            if obj is not None:
                break
        if obj is None and model is FrameworkEdition:
            obj = latest_edition
        if obj is None and hasattr(model, "edition"):
            obj = rows.filter(edition=latest_edition).first()
        obj = obj or rows.first()
        if obj is not None:
            found[label] = obj.pk
    return found


def ensure_oit(agency) -> tuple[object, int, object, str]:
    """Every generated agency's OIT list of the latest edition with OIT items (bulk, states spread over the items),
    so the overviews count real rows; the subject agency's list opened through the service, with the same spread
    of states. Returns (checklist, year, its first entry, the code of a passed item)."""
    from agencies.models import Agency
    from assessments.models import FrameworkEdition
    from measures.oit.models import OitChecklist, OitEntry, OitState
    from measures.oit.services import checklist_open

    edition = FrameworkEdition.objects.filter(items__indicator__tool__code="OIT").order_by("-fiscal_year").first()
    states = OitState.values
    checklist = OitChecklist.objects.filter(agency=agency, edition=edition).first()
    if checklist is None:
        checklist = checklist_open(agency=agency, fiscal_year=edition.fiscal_year, by=None, carry_over=False)
    if not checklist.entries.exclude(state=OitState.NOT_STARTED).exists():
        for n, entry in enumerate(checklist.entries.order_by("item__order")):
            state = states[(agency.pk + n) % len(states)]
            comment = "แก้ไข" if state == OitState.NEEDS_FIX else ""
            OitEntry.objects.filter(pk=entry.pk).update(state=state, review_comment=comment)
    if not OitChecklist.objects.filter(edition=edition).exclude(agency=agency).exists():
        started = time.perf_counter()
        items = list(edition.items.filter(indicator__tool__code="OIT").order_by("order"))
        others = Agency.objects.filter(code__startswith="gen-").exclude(pk=agency.pk)
        lists = OitChecklist.objects.bulk_create(
            [OitChecklist(agency=a, edition=edition) for a in others.only("pk")], batch_size=2000
        )
        OitEntry.objects.bulk_create(
            (
                OitEntry(checklist=c, item=item, state=states[(c.agency_id + n) % len(states)],
                         review_comment="แก้ไข" if states[(c.agency_id + n) % len(states)] == "needs_fix" else "")
                for c in lists
                for n, item in enumerate(items)
            ),
            batch_size=5000,
        )  # fmt: skip
        print(f"OIT lists of {len(lists):,} agencies in {time.perf_counter() - started:.1f} s", flush=True)
    entries = checklist.entries.select_related("item").order_by("item__order")
    passed = entries.filter(state=OitState.PASSED).first()
    return checklist, edition.fiscal_year, entries.first(), passed.item.code if passed else "none"
