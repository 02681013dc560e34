"""Writes to memos and approval chains, and the mail they send.

Drafting (create, update, delete) is here; every move of a memo (submit, decide, withdraw, publish, ...) is
``reports.workflow.memo_transition``, the only code that changes a memo's status or step. Mail goes out only
after the transaction commits, so nobody is told of a move that was rolled back, and a mail that cannot be
sent is logged, never an error page.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import Agency, AuditEntry, Membership
from ita_tracker import site
from ita_tracker.notify import notify
from ita_tracker.thai import format_date, shorten
from measures.models import MeasurePlan
from reports import kinds, permissions
from reports.chain_audit import audited_chain_save
from reports.models import ApprovalChain, ApprovalChainStep, InvalidTransition, Memo, MemoCounter, MemoEvent

__all__ = ["InvalidTransition", "chain_save", "memo_create", "memo_defaults", "memo_delete", "memo_update"]

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- approval chains


@transaction.atomic
@audited_chain_save
def chain_save(
    *,
    agency: Agency,
    name: str,
    steps: list[dict],
    chain: ApprovalChain | None = None,
    is_default: bool = False,
    allow_same_approver: bool = False,
) -> ApprovalChain:
    """Create or replace a chain. ``steps``: [{"position_title", "comment_label", "approvers", "acting_approvers"}]
    in order; every step needs at least one person, all of this agency."""
    if not steps:
        raise ValidationError(_("สายการพิจารณาต้องมีอย่างน้อยหนึ่งขั้น"), code="no_steps")
    for number, step in enumerate(steps, start=1):
        if not step.get("position_title", "").strip():
            raise ValidationError(_("ขั้นที่ %(n)s: ระบุตำแหน่ง") % {"n": number}, code="no_position")
        people = list(step.get("approvers") or [])
        if not people:
            raise ValidationError(_("ขั้นที่ %(n)s: ต้องมีผู้มีสิทธิ์พิจารณาอย่างน้อยหนึ่งคน") % {"n": number}, code="no_people")
        for person in [*people, *(step.get("acting_approvers") or [])]:
            if not person.is_approver:
                raise ValidationError(
                    _("ขั้นที่ %(n)s: %(name)s ไม่มีบทบาทผู้บังคับบัญชา (ผู้พิจารณา) กำหนดบทบาทก่อน")
                    % {"n": number, "name": person.display_name},
                    code="not_an_approver",
                )
            if person.agency_id != agency.pk:
                raise ValidationError(
                    _("ขั้นที่ %(n)s: ผู้พิจารณาต้องเป็นบุคลากรของหน่วยงานนี้") % {"n": number}, code="other_agency"
                )
    chain = chain or ApprovalChain(agency=agency)
    chain.name = name
    chain.is_default = is_default
    chain.allow_same_approver = allow_same_approver
    chain.full_clean()
    chain.save()
    if is_default:
        ApprovalChain.objects.filter(agency=agency).exclude(pk=chain.pk).update(is_default=False)
    chain.steps.all().delete()
    for order, step in enumerate(steps, start=1):
        row = ApprovalChainStep.objects.create(
            chain=chain,
            order=order,
            position_title=step["position_title"].strip(),
            comment_label=step.get("comment_label", ""),
        )
        row.approvers.set(step["approvers"])
        row.acting_approvers.set(step.get("acting_approvers") or [])
    return chain


# ---------------------------------------------------------------- drafting


def single_line(text: str) -> str:
    """A subject on one line: line breaks (and runs of spaces) become one space (issue 11 item 5)."""
    return " ".join((text or "").split())


def memo_defaults(*, kind: str, agency: Agency, plan: MeasurePlan | None = None, assessment=None) -> dict:
    """Subject, addressee, text and closing pre-filled from the data, as the kind's spec writes them."""
    return kinds.kind(kind).drafted(agency=agency, plan=plan, assessment=assessment)


def _check_links(memo: Memo) -> None:
    if memo.department.agency_id != memo.agency_id:
        raise ValidationError({"department": _("ส่วนราชการต้องอยู่ในหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.chain.agency_id != memo.agency_id:
        raise ValidationError({"chain": _("สายการพิจารณาต้องเป็นของหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.plan is not None and memo.plan.agency_id != memo.agency_id:
        raise ValidationError({"plan": _("แผนมาตรการต้องเป็นของหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    if memo.assessment is not None and memo.assessment.agency_id != memo.agency_id:
        raise ValidationError({"assessment": _("ผลการประเมินต้องเป็นของหน่วยงานเดียวกับบันทึก")}, code="other_agency")
    missing = kinds.kind(memo.kind).missing_source(plan=memo.plan, assessment=memo.assessment)
    if missing:
        field, message = missing
        raise ValidationError({field: message}, code=f"no_{field}")


@transaction.atomic
def memo_create(*, agency: Agency, author, fields: dict) -> Memo:
    membership = Membership.objects.filter(user=author, agency=agency).first()
    memo = Memo(agency=agency, author=author, **fields)
    memo.subject = single_line(memo.subject)
    if not memo.author_name:
        memo.author_name = author.get_full_name() or author.get_username()
    if not memo.author_position and membership is not None:
        memo.author_position = membership.position_title
    if not memo.as_of:
        memo.as_of = kinds.kind(memo.kind).as_of(memo.plan)
    memo.number_prefix = memo.department.letter_code if memo.department_id else ""
    memo.full_clean()
    _check_links(memo)
    memo.save()
    MemoEvent.objects.create(memo=memo, actor=author, action="create", to_status=memo.status)
    memo_audit(
        memo, author, AuditEntry.Action.CREATE, after={"subject": memo.subject, "status": status_label(memo.status)}
    )
    return memo


@transaction.atomic
def memo_update(*, memo: Memo, by, fields: dict, expected_version: int) -> Memo:
    current = Memo.objects.select_for_update().get(pk=memo.pk)
    if not current.is_editable:
        raise InvalidTransition(_("บันทึกที่ส่งพิจารณาหรืออนุมัติแล้วแก้ไขไม่ได้"))
    if not permissions.is_author(by, current):
        raise PermissionDenied("only the author edits a memo")
    if current.version != expected_version:
        raise ValidationError(_("มีผู้อื่นแก้ไขบันทึกนี้ระหว่างที่ท่านแก้ไข โปรดโหลดหน้านี้ใหม่"), code="stale")
    if "subject" in fields:
        fields = {**fields, "subject": single_line(fields["subject"])}
    before, after = audit_diff({name: getattr(current, name) for name in fields}, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    if current.running_number is None and current.department_id:
        current.number_prefix = current.department.letter_code
    current.full_clean()
    _check_links(current)
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    if after:
        memo_audit(current, by, AuditEntry.Action.UPDATE, before=before, after=after)
    return current


@transaction.atomic
def memo_delete(*, memo: Memo, by) -> None:
    current = Memo.objects.select_for_update().get(pk=memo.pk)
    if current.status != Memo.Status.DRAFT or current.running_number is not None:
        raise InvalidTransition(_("ลบได้เฉพาะบันทึกร่างที่ยังไม่เคยส่ง"))
    if not permissions.is_author(by, current):
        raise PermissionDenied("only the author deletes a draft")
    memo_audit(
        current,
        by,
        AuditEntry.Action.DELETE,
        before={"subject": current.subject, "status": status_label(current.status)},
    )
    current.delete()


# ---------------------------------------------------------------- shared with reports.workflow


def next_number(agency: Agency, year: int, department=None) -> int:
    """The next number of the division's register for ``year`` (the app's own counter), under a lock. Numbers
    already taken in that division and year (typed in from the paper register, or given by the agency-wide
    counter used before) are skipped."""
    taken = Memo.objects.filter(department=department, number_year=year, running_number__isnull=False)
    counter, _created = MemoCounter.objects.get_or_create(
        agency=agency,
        department=department,
        year=year,
        defaults={"last": taken.aggregate(last=Max("running_number"))["last"] or 0},
    )
    counter = MemoCounter.objects.select_for_update().get(pk=counter.pk)
    number = counter.last + 1
    while taken.filter(running_number=number).exists():
        number += 1
    counter.last = number
    counter.save(update_fields=["last"])
    return number


def status_label(status: str) -> str:
    """Statuses go into the audit trail by their label, as the reader knows them."""
    return str(Memo.Status(status).label)


def memo_audit(memo: Memo, by, action: str, *, before: dict | None = None, after: dict | None = None) -> None:
    summary = _("บันทึก %(number)s เรื่อง %(subject)s") % {"number": memo.number, "subject": memo.subject[:200]}
    audit_record(
        agency=memo.agency_id,
        actor=by,
        action=action,
        obj_type=AuditEntry.ObjectType.MEMO,
        obj_id=memo.pk,
        summary=summary,
        before=before,
        after=after,
    )


# ---------------------------------------------------------------- mail, after commit


def _memo_url(memo: Memo) -> str:
    return site.absolute(reverse("reports:memo_detail", args=[memo.pk]))


def _send(subject: str, template: str, recipients: list, context: dict) -> None:
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    body = render_to_string(template, context)
    # In-app and mail, on the job queue after commit (ita_tracker.notify); the subject is made single-line there,
    # and a failed delivery is logged, never an error page.
    notify(
        kind=template.rsplit("/", 1)[-1].removesuffix(".txt"),
        recipients=recipients,
        title=subject,
        body=body,
        url=context.get("url", ""),
    )


def _notify_step(memo: Memo) -> None:
    step = memo.steps.prefetch_related("approvers__user", "acting_approvers__user").get(order=memo.current_step)
    people = {m.user for m in [*step.approvers.all(), *step.acting_approvers.all()] if m.is_active}
    _send(
        f"[ITA Tracker] บันทึกรอท่านพิจารณา: {shorten(memo.subject, 80)}",
        "reports/email/memo_waiting.txt",
        [p for p in people if p.pk != memo.author_id],
        {"memo": memo, "step": step, "url": _memo_url(memo), "date": format_date(memo.date) if memo.date else ""},
    )


def _notify_decision(memo: Memo, action: str, comment: str) -> None:
    """The author hears of the approval (the last step) and of any comment an approver wrote while agreeing."""
    title = shorten(memo.subject, 80)
    if memo.status == Memo.Status.APPROVED:
        subject, template = f"[ITA Tracker] บันทึกได้รับอนุมัติ: {title}", "reports/email/memo_approved.txt"
    elif comment:
        subject, template = f"[ITA Tracker] มีความเห็นต่อบันทึก: {title}", "reports/email/memo_comment.txt"
    else:
        return
    _send(subject, template, [memo.author], {"memo": memo, "comment": comment, "url": _memo_url(memo)})


def _notify_author(memo: Memo, comment: str) -> None:
    _send(
        f"[ITA Tracker] บันทึกถูกส่งคืนแก้ไข: {shorten(memo.subject, 80)}",
        "reports/email/memo_returned.txt",
        [memo.author],
        {"memo": memo, "comment": comment, "url": _memo_url(memo)},
    )
