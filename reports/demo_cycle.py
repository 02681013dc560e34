"""The demo's cycle in progress, built relative to a day (``load_demo --today``; default today).

Besides the seeds' historical years, every seed agency gets the year's work as it would stand on that day:
the results of the last three editions (item scores for บางปู), an analysis, this fiscal year's plan with
owned measures and monthly steps, progress with evidence files, and memos in every state (draft, pending,
returned, approved, published); and a province of generated agencies, each at its own stage of the cycle,
for ``province.viewer``. Everything goes through the services (``assessment_save``, ``plan_create``,
``measure_create``, ``progress_record``, ``memo_create`` and ``reports.workflow.memo_transition``); only the dates
the services stamp with the real clock (memo dates, events) are moved to the demo's day afterwards.

Safe to run again: an agency whose plan for the year has measures keeps its plan, and a memo whose subject
exists is not made twice.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Department, Membership
from assessments import calendar
from assessments.models import Assessment, Finding, FrameworkEdition
from assessments.services import assessment_save
from ita_tracker.thai import arabic_digits, half_year_end, thai_digits
from ita_tracker.thai import fiscal_year as fiscal_year_of
from measures.models import Measure, MeasurePlan, Status
from measures.services import StepSpec, measure_create, plan_create, progress_record
from reports import services
from reports.models import ApprovalChain, Memo, MemoEvent, MemoStep
from reports.workflow import memo_transition

User = get_user_model()
SEED_CODES = ["bangpu", "chorakha", "bangkao", "nongsamet", "satengnok"]
PROVINCE = "ปัตตานี"
# Sub-districts of Pattani for the generated agencies (names only; the data is invented).
PLACES = [
    ("บาราเฮาะ", "เมืองปัตตานี"),
    ("ตะลุโบะ", "เมืองปัตตานี"),
    ("ปะกาฮะรัง", "เมืองปัตตานี"),
    ("บานา", "เมืองปัตตานี"),
    ("ตันหยงลุโละ", "เมืองปัตตานี"),
    ("คลองมานิง", "เมืองปัตตานี"),
    ("กะมิยอ", "เมืองปัตตานี"),
    ("รูสะมิแล", "เมืองปัตตานี"),
    ("ตะโละกาโปร์", "ยะหริ่ง"),
    ("ยามู", "ยะหริ่ง"),
    ("ตาลีอายร์", "ยะหริ่ง"),
    ("ปิยามุมัง", "ยะหริ่ง"),
    ("บางเขา", "หนองจิก"),
    ("ตุยง", "หนองจิก"),
    ("ดาโต๊ะ", "หนองจิก"),
    ("ปุโละปุโย", "หนองจิก"),
    ("ดอนรัก", "หนองจิก"),
    ("ท่าข้าม", "ปะนาเระ"),
    ("บ้านน้ำบ่อ", "ปะนาเระ"),
    ("ควน", "ปะนาเระ"),
    ("ทุ่งยางแดง", "ทุ่งยางแดง"),
    ("ปากู", "ทุ่งยางแดง"),
    ("มะกรูด", "โคกโพธิ์"),
    ("นาประดู่", "โคกโพธิ์"),
    ("ทุ่งพลา", "โคกโพธิ์"),
    ("ป่าบอน", "โคกโพธิ์"),
    ("ควนโนรี", "โคกโพธิ์"),
    ("ตะบิ้ง", "สายบุรี"),
    ("บือเระ", "สายบุรี"),
    ("ปะเสยะวอ", "สายบุรี"),
    ("กะรุบี", "กะพ้อ"),
    ("ปล่องหอย", "กะพ้อ"),
]
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _clamp(day: date, low: date, high: date) -> date:
    return max(low, min(day, high))


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


# ---------------------------------------------------------------- results and analysis


def _last_editions(year: int, n: int) -> list[FrameworkEdition]:
    return list(FrameworkEdition.objects.filter(fiscal_year__lt=year).order_by("-fiscal_year")[:n])


def _results(agency: Agency, editions: list[FrameworkEdition], *, items_for: int | None = None) -> Assessment | None:
    """Indicator scores for each edition the agency has no result for yet (seed results stay as they are)."""
    latest = None
    for age, edition in enumerate(editions):
        existing = Assessment.objects.filter(agency=agency, edition=edition).first()
        if existing is not None:
            latest = latest or existing
            continue
        rng = random.Random(f"{agency.code}-{edition.fiscal_year}")
        base = 62 + rng.randint(0, 25) - 3 * age  # agencies improve a little every year
        indicators = {
            i.number: Decimal(min(100, max(20, base + rng.randint(-15, 15)))) for i in edition.indicators.all()
        }
        item_scores = None
        if items_for == edition.fiscal_year:
            item_scores = {item.code: Decimal(rng.choice([0, 50, 100, 100])) for item in edition.items.all()}
        assessment = assessment_save(
            agency=agency, edition=edition, indicator_scores=indicators, item_scores=item_scores
        )
        latest = latest or assessment
    return latest


def _analysis(assessment: Assessment, n: int = 3) -> None:
    if assessment.findings.exists():
        return
    weakest = assessment.indicator_scores.select_related("indicator").order_by("score")[:n]
    for row in weakest:
        Finding.objects.create(
            assessment=assessment,
            indicator=row.indicator,
            strengths="มีการดำเนินการตามขั้นตอนที่กำหนด",
            weaknesses=f"คะแนนตัวชี้วัด{row.indicator.name_th}ต่ำกว่าค่าเป้าหมาย",
            improvements=f"จัดทำมาตรการยกระดับ{row.indicator.name_th} และติดตามผลทุกเดือน",
        )


# ---------------------------------------------------------------- plan, measures, progress


def _staff_departments(agency: Agency) -> list[Department]:
    ids = Membership.objects.filter(agency=agency, is_staff_member=True, department__isnull=False).values(
        "department_id"
    )
    departments = list(Department.objects.filter(pk__in=ids).order_by("order", "pk"))
    return departments or list(agency.departments.order_by("order", "pk")[:1])


def _month_ends(start: date, months: int) -> list[date]:
    out, day = [], start
    for _ in range(months):
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append(following - timedelta(days=1))
        day = following
    return out


MEASURES = [
    ("ประชุมชี้แจงผลการประเมิน ITA และแนวทางยกระดับแก่บุคลากรทุกส่วนราชการ", 0, 3),
    ("ปรับปรุงข้อมูลการเปิดเผยบนเว็บไซต์ให้ครบถ้วนตามตัวชี้วัด OIT", 1, 6),
    ("เผยแพร่ผลการจัดซื้อจัดจ้างรายเดือนและช่องทางร้องเรียนการทุจริต", 3, 9),
]


def _plan(agency: Agency, year: int, today: date, *, lagging: bool) -> MeasurePlan:
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=year).first() or plan_create(
        agency=agency, fiscal_year=year
    )
    if plan.measures.exists():
        return plan
    start, end = calendar.fiscal_period(year)
    departments = _staff_departments(agency)
    reporter = Membership.objects.filter(agency=agency, is_staff_member=True).select_related("user").first()
    for number, (title, from_month, months) in enumerate(MEASURES, start=1):
        ends = _month_ends(start, from_month + months)[-1]
        starts = _month_ends(start, from_month)[-1] + timedelta(days=1) if from_month else start
        department = departments[(number - 1) % len(departments)]
        measure = measure_create(
            plan=plan,
            fields={"number": number, "title": title, "starts": starts, "ends": ends, "monitoring": "รายงานทุกเดือน"},
            departments=[department],
            responsible_people=[reporter] if reporter and number == 1 else None,
            steps=[
                StepSpec(
                    title=f"ขั้นตอนที่ {i}",
                    department=department,
                    owner="",
                    starts=starts,
                    ends=day,
                    completed_on=day if day < today - timedelta(days=5) else None,
                )
                for i, day in enumerate(_month_ends(starts, months)[::2] or [ends], start=1)
            ],
        )
        _progress(measure, reporter, today, finish=not lagging)
    # Monthly reporting for every division that reports: something is always due within 30 days, and the
    # month just gone is left open for the first division so that "overdue" shows too.
    monthly = []
    for month_end in _month_ends(start, 12):
        for d_index, department in enumerate(departments):
            open_late = d_index == 0 and 0 <= (today - month_end).days <= 31
            done = month_end < today - timedelta(days=3) and not open_late
            monthly.append(
                StepSpec(
                    title=f"รายงานผลประจำเดือน {month_end:%m}/{month_end.year + 543}",
                    department=department,
                    owner="",
                    starts=month_end.replace(day=1),
                    ends=month_end,
                    completed_on=month_end if done else None,
                )
            )
    measure = measure_create(
        plan=plan,
        fields={
            "number": len(MEASURES) + 1,
            "title": "รายงานผลการดำเนินงานตามมาตรการประจำเดือน",
            "starts": start,
            "ends": end,
            "all_departments": True,
        },
        steps=monthly,
    )
    _progress(measure, reporter, today, finish=False)
    return plan


def _progress(measure: Measure, reporter: Membership | None, today: date, *, finish: bool) -> None:
    if reporter is None or measure.starts > today - timedelta(days=7):
        return
    span = max((measure.ends - measure.starts).days, 1)
    reported = _clamp(measure.starts + timedelta(days=30), measure.starts, today - timedelta(days=1))
    percent = min(90, max(10, round(100 * (reported - measure.starts).days / span)))
    progress_record(
        measure=measure,
        by=reporter.user,
        reported_on=reported,
        status=Status.IN_PROGRESS,
        percent=percent,
        summary="ดำเนินการตามแผน ประชุมชี้แจงและจัดเก็บหลักฐาน",
        files=[_evidence("หลักฐานการดำเนินงาน.pdf")],
    )
    if finish and measure.ends < today:
        progress_record(
            measure=measure,
            by=reporter.user,
            reported_on=measure.ends,
            status=Status.DONE,
            percent=100,
            summary="ดำเนินการแล้วเสร็จตามแผน",
            links=[("https://www.example.go.th/ita", "หน้าเผยแพร่ข้อมูล")],
        )


# ---------------------------------------------------------------- memos


def _chain(agency: Agency) -> ApprovalChain:
    chain = agency.approval_chains.order_by("-is_default", "pk").first()
    if chain is not None:
        return chain
    approver = Membership.objects.filter(agency=agency, is_approver=True).order_by("pk").first()
    return services.chain_save(
        agency=agency,
        name="ปลัด",
        steps=[{"position_title": approver.position_title or "ปลัด", "approvers": [approver]}],
        is_default=True,
    )


def _memo(agency, author, *, kind, subject, plan=None, assessment=None, to: str, day: date, comment="", agreed=0):
    """One memo brought to state ``to`` through the services, dated ``day``; its subject in the agency's digits,
    as its drafted text (``MemoKind.drafted``)."""
    subject = thai_digits(subject) if agency.use_thai_digits else arabic_digits(subject)
    if Memo.objects.filter(agency=agency, subject=subject).exists():
        return None
    membership = Membership.objects.get(agency=agency, user=author)
    chain = _chain(agency)
    defaults = services.memo_defaults(kind=kind, agency=agency, plan=plan, assessment=assessment)
    memo = services.memo_create(
        agency=agency,
        author=author,
        fields={
            "kind": kind,
            "plan": plan,
            "assessment": assessment,
            "chain": chain,
            "department": membership.department or agency.departments.order_by("order", "pk").first(),
            "addressee": "นายกเทศมนตรี" if agency.type != Agency.Type.SAO else "นายกองค์การบริหารส่วนตำบล",
            "body": defaults["body"] or "เพื่อโปรดทราบ",
            "closing": defaults["closing"],
            "subject": subject,
        },
    )
    if to != Memo.Status.DRAFT:
        memo = memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
        steps = list(MemoStep.objects.filter(memo=memo).prefetch_related("approvers__user").order_by("order"))
        stop = {Memo.Status.PENDING: min(agreed, len(steps) - 1), Memo.Status.RETURNED: 1}.get(to, len(steps))
        for step in steps[:stop]:
            by = next(m.user for m in step.approvers.all())
            last = step.order == len(steps)
            action = Memo.Action.APPROVE if last else Memo.Action.AGREE
            if to == Memo.Status.RETURNED:
                action = Memo.Action.RETURN
            memo = memo_transition(memo=memo, action=action, by=by, comment=comment, step=step.order)
    Memo.objects.filter(pk=memo.pk).update(date=day if memo.running_number else None)
    MemoEvent.objects.filter(memo=memo).update(created_at=_moment(day))
    MemoStep.objects.filter(memo=memo, decided_at__isnull=False).update(decided_at=_moment(day))
    memo.refresh_from_db()
    return memo


def _seed_memos(agency: Agency, plan: MeasurePlan, assessment: Assessment | None, year: int, today: date) -> int:
    start, _ = calendar.fiscal_period(year)
    # The agency's own coordinator (a division's member), not one shared with other agencies.
    author = (
        Membership.objects.filter(agency=agency, is_coordinator=True)
        .order_by("-is_staff_member", "pk")
        .select_related("user")
        .first()
        .user
    )
    early = _clamp(start + timedelta(days=40), start, today)
    half = half_year_end(year)
    made = []

    def memo(kind, subject, to, day, **kw):
        made.append(_memo(agency, author, kind=kind, subject=subject, plan=plan, to=to, day=day, **kw))
        return made[-1]

    plan_subject = f"ขออนุมัติ{plan.title}"
    scenario = agency.code
    if scenario in ("bangpu", "satengnok"):
        approved = memo(Memo.Kind.PLAN, plan_subject, Memo.Status.APPROVED, early)
        if approved is not None and scenario == "bangpu":
            memo_transition(memo=approved, action=Memo.Action.PUBLISH, by=author)
        if today > half + timedelta(days=7):
            to = Memo.Status.APPROVED if scenario == "satengnok" else Memo.Status.PENDING
            memo(
                Memo.Kind.PROGRESS_6,
                f"รายงานผลการดำเนินการตามมาตรการ ปี {year} รอบ ๖ เดือน",
                to,
                today - timedelta(days=3),
                agreed=1,
            )
    elif scenario == "chorakha":
        memo(Memo.Kind.PLAN, plan_subject, Memo.Status.PENDING, today - timedelta(days=5))
    elif scenario == "bangkao":
        memo(
            Memo.Kind.PLAN,
            plan_subject,
            Memo.Status.RETURNED,
            today - timedelta(days=2),
            comment="โปรดระบุตัวชี้วัดที่มาตรการที่ ๒ ตอบ และแนบผลการวิเคราะห์",
        )
    elif scenario == "nongsamet":
        memo(Memo.Kind.PLAN, plan_subject, Memo.Status.DRAFT, today)
    if scenario == "bangpu":
        if assessment is not None:
            made.append(
                _memo(
                    agency,
                    author,
                    kind=Memo.Kind.ANALYSIS,
                    assessment=assessment,
                    to=Memo.Status.RETURNED,
                    subject=f"รายงานการวิเคราะห์ผลการประเมิน ITA ปี {assessment.edition.fiscal_year} (ปีงบประมาณ {year})",
                    day=today - timedelta(days=1),
                    comment="ขอให้เพิ่มข้อเสนอแนะรายตัวชี้วัดที่ ๙ และ ๑๐",
                )
            )
        memo(
            Memo.Kind.FREE,
            f"รายงานการเผยแพร่ข้อมูลสาธารณะ OIT ปีงบประมาณ {year}",
            Memo.Status.PENDING,
            today - timedelta(days=12),
        )
        memo(Memo.Kind.FREE, f"ขอความร่วมมือส่งหลักฐานการดำเนินงานตามมาตรการ ปีงบประมาณ {year}", Memo.Status.DRAFT, today)
    return sum(m is not None for m in made)


# ---------------------------------------------------------------- the province of generated agencies


def _province(viewer) -> list[Agency]:
    password = User.objects.filter(username="province.viewer").values_list("password", flat=True).first()
    agencies = []
    for index, (place, district) in enumerate(PLACES, start=1):
        kind = Agency.Type.SAO if index % 3 else Agency.Type.SUBDISTRICT_MUNICIPALITY
        prefix = "องค์การบริหารส่วนตำบล" if kind == Agency.Type.SAO else "เทศบาลตำบล"
        agency, _ = Agency.objects.update_or_create(
            code=f"pn{index:02d}",
            defaults={"name": f"{prefix}{place}", "type": kind, "province": PROVINCE, "district": district},
        )
        office, _ = Department.objects.get_or_create(
            agency=agency, name="สำนักปลัด", defaults={"letter_code": f"ปน {index:02d}"}
        )
        for suffix, roles in (
            ("plan", {"is_coordinator": True, "is_staff_member": True}),
            ("palat", {"is_approver": True}),
        ):
            user, created = User.objects.get_or_create(
                username=f"pn{index:02d}.{suffix}",
                defaults={"first_name": f"เจ้าหน้าที่{place}", "last_name": suffix, "email": ""},
            )
            if created:
                user.password = password or "!"  # the demo password, hashed once; not printed as a login
                user.save(update_fields=["password"])
            position = "ปลัด" if suffix == "palat" else "นักวิเคราะห์นโยบายและแผน"
            Membership.objects.update_or_create(
                user=user, agency=agency, defaults={"department": office, "position_title": position, **roles}
            )
        if viewer is not None:
            Membership.objects.update_or_create(
                user=viewer, agency=agency, defaults={"is_viewer": True, "position_title": viewer.last_name}
            )
        agencies.append(agency)
    return agencies


def _generated_cycle(agency: Agency, index: int, year: int, today: date, editions) -> None:
    """Each generated agency a little behind or ahead of the calendar, so the viewer's counts differ."""
    due = calendar.cycle_due_dates(agency, year)
    expected = sum(1 for key in calendar.STEPS if due[key] <= today + timedelta(days=20))
    reached = max(1, min(len(calendar.STEPS), expected + 1 - index % 4 + (index % 7 == 0)))
    assessment = _results(agency, editions[:2])
    if reached >= 2 and assessment is not None:
        _analysis(assessment, 1)
    if reached < 3:
        return
    author = User.objects.get(username=f"{agency.code}.plan")
    plan = MeasurePlan.objects.filter(agency=agency, fiscal_year=year).first() or plan_create(
        agency=agency, fiscal_year=year
    )
    start, end = calendar.fiscal_period(year)
    if not plan.measures.exists():
        office = agency.departments.order_by("order", "pk").first()
        measure_create(
            plan=plan,
            fields={"number": 1, "title": MEASURES[1][0], "starts": start, "ends": end},
            departments=list(agency.departments.all()),
            # A plan memo goes out only when every measure has an owner and steps (the plan memo kind's check).
            steps=[
                StepSpec(title="ตรวจรายการข้อมูลที่ต้องเปิดเผยตามตัวชี้วัด OIT", department=office, starts=start),
                StepSpec(title="ปรับปรุงข้อมูลบนเว็บไซต์และรายงานผล", department=office, ends=end),
            ],
        )
    if reached < 4:
        return
    memo = _memo(
        agency,
        author,
        kind=Memo.Kind.PLAN,
        subject=f"ขออนุมัติ{plan.title}",
        plan=plan,
        to=Memo.Status.APPROVED,
        day=_clamp(start + timedelta(days=30 + index), start, today),
    )
    if reached >= 5 and today > half_year_end(year):
        _memo(
            agency,
            author,
            kind=Memo.Kind.PROGRESS_6,
            subject=f"รายงานผลรอบ ๖ เดือน ปี {year}",
            plan=plan,
            to=Memo.Status.APPROVED,
            day=today - timedelta(days=index % 10),
        )
    if reached >= 6 and memo is not None:
        memo_transition(memo=memo, action=Memo.Action.PUBLISH, by=author)


@transaction.atomic
def load(command) -> None:
    today = command.today
    year = fiscal_year_of(today)
    editions = _last_editions(year, 3)
    memos = 0
    for code in SEED_CODES:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        latest = _results(
            agency, editions, items_for=editions[0].fiscal_year if code == "bangpu" and editions else None
        )
        if latest is not None:
            _analysis(latest)
        plan = _plan(agency, year, today, lagging=code == "bangpu")
        if code == "bangpu":
            _plan(agency, year - 1, today, lagging=True)  # last year's late work shows across plans
        memos += _seed_memos(agency, plan, latest, year, today)
    viewer = User.objects.filter(username="province.viewer").first()
    province = _province(viewer)
    for index, agency in enumerate(province):
        _generated_cycle(agency, index, year, today, editions)
    used = ", ".join(str(e.fiscal_year) for e in editions)
    command.stdout.write(
        f"Demo cycle for {today.isoformat()} (fiscal year {year}; results of editions {used}): "
        f"{len(SEED_CODES)} seed agencies, {memos} memos added, {len(province)} agencies in {PROVINCE}."
    )
