"""The one guarded move of a memo: :func:`memo_transition`.

Nothing else changes a memo's status or step. Like django-oscar's ``set_status()``, it checks the move
against ``Memo.TRANSITIONS`` and the actor against ``reports.permissions``, with the memo row locked and the
actor's membership re-read (and locked) in the same transaction, so a role removed a second ago counts. It
writes exactly one ``MemoEvent`` and one audit entry, and tells people only after the transaction commits.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import identity as identities
from agencies.audit import audit_diff
from agencies.models import AuditEntry, Membership
from ita_tracker.textlimits import limit_of, too_long_message
from ita_tracker.thai import to_be
from reports import kinds, paper, permissions, seal
from reports.attachments import attachments_freeze
from reports.models import InvalidTransition, Memo, MemoEvent, MemoStep, TransitionForbidden
from reports.services import _notify_author, _notify_decision, _notify_step, memo_audit, next_number, status_label

Action = Memo.Action


def memo_transition(
    *,
    memo: Memo,
    action: str,
    by,
    comment: str = "",
    step: int | None = None,
    to: Membership | None = None,
    identity: str = "",
    register_number: int | None = None,
) -> Memo:
    """Take ``action`` on ``memo`` as ``by``. ``step`` is the order of the step decided (decisions) or
    reassigned (``reassign``, with ``to``: the approver who takes the step over). ``identity`` is how the
    decider proved who they are just before (``agencies.identity.identity_check``: "totp", "recovery" or "");
    ``register_number`` a number a coordinator reserved in the division's register (submission). Raises
    :class:`InvalidTransition` (:class:`TransitionForbidden` when the person may not) or ``ValidationError``
    (bad input) and then writes nothing. The final approval seals the memo (``reports.seal``), after commit."""
    comment = comment.strip()
    if len(comment) > limit_of(MemoStep, "comment"):
        # Before anything is written; the step's and the event's CHECK would otherwise fail mid-transition.
        raise ValidationError(
            {"comment": too_long_message(_("ความเห็น"), limit_of(MemoStep, "comment"))}, code="max_length"
        )
    with transaction.atomic():
        extra = {"identity": identity, "register_number": register_number}
        return _apply(memo, action, by, comment, step, to, extra)


def _apply(
    memo: Memo, action: str, by, comment: str, step_order: int | None, to: Membership | None, extra: dict
) -> Memo:
    current = (
        Memo.objects.select_for_update(of=("self",)).select_related("agency", "chain", "department").get(pk=memo.pk)
    )
    membership = permissions.live_membership(by, current.agency_id, lock=True)
    steps = list(current.steps.prefetch_related("approvers__user", "acting_approvers__user"))
    step = next((s for s in steps if s.order == step_order), None)
    refused = permissions.refusal(
        current,
        action,
        by,
        membership=membership,
        step=step,
        steps=steps,
        allow_same_approver=paper.allows_same_approver(current),
    )
    if refused is not None:
        code, message = refused
        raise (TransitionForbidden if code == permissions.FORBIDDEN else InvalidTransition)(message)
    from_status, from_step = current.status, current.current_step
    details = HANDLERS[action](
        current, by=by, membership=membership, step=step, steps=steps, comment=comment, to=to, **extra
    )
    current.full_clean()
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    MemoEvent.objects.create(
        memo=current,
        actor=by,
        action=action,
        from_status=from_status,
        to_status=current.status,
        from_step=from_step,
        to_step=current.current_step,
        comment=comment,
    )
    before, after = audit_diff(
        {"status": status_label(from_status), "current_step": from_step},
        {"status": status_label(current.status), "current_step": current.current_step},
    )
    after |= {"action": str(Action(action).label), **details}
    memo_audit(current, by, AuditEntry.Action.TRANSITION, before=before, after=after)
    _schedule_notice(current, action, comment)
    if current.status == Memo.Status.APPROVED and from_status != Memo.Status.APPROVED:
        seal.seal_schedule(memo=current, by=by)
    return current


def _schedule_notice(memo: Memo, action: str, comment: str) -> None:
    """Mail only once the move is committed: nobody hears of a move that was rolled back."""
    if action == Action.RETURN:
        transaction.on_commit(partial(_notify_author, memo, comment))
        return
    if action in (Action.AGREE, Action.ACKNOWLEDGE, Action.APPROVE):
        transaction.on_commit(partial(_notify_decision, memo, action, comment))
    if memo.status == Memo.Status.PENDING and action != Action.WITHDRAW:
        transaction.on_commit(partial(_notify_step, memo))


# ---------------------------------------------------------------- the moves


def _route_refusal(memo: Memo, chain_steps: list) -> str | None:
    """Why the chain cannot carry this memo to the end (issue 11 items 12 and 14), or ``None``."""
    if not chain_steps:
        return _("สายการพิจารณานี้ยังไม่มีขั้นการพิจารณา แก้ไขสายการพิจารณาก่อนส่ง")
    people = []
    for step in chain_steps:
        left = permissions.deciders_left(step, memo.author_id)
        if not left:
            return _("ขั้นที่ %(n)s (%(position)s) ไม่มีผู้พิจารณาอื่นนอกจากผู้เสนอ หรือผู้พิจารณาไม่มีสิทธิ์แล้ว แก้ไขสายการพิจารณาก่อนส่ง") % {
                "n": step.order,
                "position": step.position_title,
            }
        people.append({m.user_id for m in left})
    if not memo.chain.allow_same_approver and not _distinct_signers(people):
        return _(
            "สายการพิจารณานี้ต้องให้ผู้พิจารณาคนเดียวพิจารณามากกว่าหนึ่งขั้น ซึ่งหน่วยงานไม่ได้อนุญาตไว้ "
            "เพิ่มผู้พิจารณาหรือผู้รักษาราชการแทนในสายการพิจารณาก่อนส่ง"
        )
    return None


def _distinct_signers(people: list[set[int]]) -> bool:
    """Whether every step can go to a different person (a matching of steps to people, by augmenting paths)."""
    owner: dict[int, int] = {}

    def place(index: int, seen: set[int]) -> bool:
        for person in people[index]:
            if person in seen:
                continue
            seen.add(person)
            if person not in owner or place(owner[person], seen):
                owner[person] = index
                return True
        return False

    return all(place(index, set()) for index in range(len(people)))


def _number(memo: Memo, membership, today, register_number: int | None) -> None:
    """Give the memo its number in the division's register, once: the number a coordinator reserved in the
    paper or e-saraban register, or the app's own counter's next one."""
    if register_number is not None:
        if memo.running_number is not None:
            raise ValidationError({"register_number": _("บันทึกนี้มีเลขทะเบียนส่งแล้ว")}, code="numbered")
        if membership is None or not membership.is_coordinator:
            raise TransitionForbidden(_("เฉพาะผู้ประสานงาน ITA กรอกเลขจากทะเบียนหนังสือส่งได้"))
        if register_number < 1:
            raise ValidationError({"register_number": _("เลขทะเบียนส่งต้องเป็นจำนวนเต็มบวก")}, code="bad_number")
    if memo.running_number is not None:
        return
    memo.number_year = to_be(today.year)
    memo.number_prefix = memo.department.letter_code
    if register_number is not None:
        memo.running_number, memo.number_reserved = register_number, True
    else:
        memo.running_number = next_number(memo.agency, memo.number_year, memo.department)


def _submit(memo: Memo, *, by, membership=None, register_number: int | None = None, **_kwargs) -> dict:
    """Send the memo to step 1: number it (once), freeze what it prints, and copy its chain's steps."""
    chain_steps = list(memo.chain.steps.prefetch_related("approvers__user", "acting_approvers__user"))
    problem = _route_refusal(memo, chain_steps) or kinds.kind(memo.kind).check_submit(memo)
    if problem:
        raise ValidationError(problem, code="route")
    today = timezone.localdate()
    _number(memo, membership, today, register_number)
    memo.date = today
    attachments_freeze(memo)  # before freezing the list, which prints their page counts
    memo.table = paper.freeze(memo, today=today)
    memo.status = Memo.Status.PENDING
    memo.current_step = 1
    memo.steps.all().delete()
    for chain_step in chain_steps:
        row = MemoStep.objects.create(
            memo=memo,
            order=chain_step.order,
            position_title=chain_step.position_title,
            comment_label=chain_step.comment_label,
        )
        row.approvers.set(chain_step.approvers.all())
        row.acting_approvers.set(chain_step.acting_approvers.all())
    return {"number": memo.number}


def _decide(
    memo: Memo, *, by, membership, step: MemoStep, steps, comment: str, action: str, identity: str = "", **_kwargs
) -> dict:
    if action == Action.RETURN and not comment:
        raise ValidationError({"comment": _("ระบุสิ่งที่ต้องแก้ไขเมื่อส่งคืน")}, code="return_without_comment")
    if not identity and identities.identity_required(membership):
        raise ValidationError(
            _("หน่วยงานกำหนดให้ยืนยันตัวตนด้วยแอปยืนยันตัวตนก่อนพิจารณาบันทึก ตั้งค่าได้ที่หน้ายืนยันตัวตนสองขั้น"),
            code="identity_required",
        )
    _may, acting = permissions.decider_at(step, membership)
    step.decision = action
    step.comment = comment
    step.decided_by = by
    step.signer_name = by.get_full_name() or by.get_username()
    step.signer_position = membership.position_title
    step.acting = acting
    step.decided_at = timezone.now()
    step.identity_method = identity
    step.save()
    last = max(s.order for s in steps)
    if action == Action.RETURN:
        memo.status, memo.current_step = Memo.Status.RETURNED, None
    elif step.order >= last:
        memo.status, memo.current_step = Memo.Status.APPROVED, None
    else:
        memo.current_step = step.order + 1
    return {
        "decision": str(MemoStep.Decision(action).label),
        "comment": comment,
        "acting": acting,
        "identity": identity or "-",
    }


def _withdraw(memo: Memo, **_kwargs) -> dict:
    """Back to a draft that keeps its number: the author may fix it (or its route) and send it again."""
    memo.status, memo.current_step, memo.table = Memo.Status.DRAFT, None, None
    return {}


def _reassign(memo: Memo, *, step: MemoStep, to: Membership | None, **_kwargs) -> dict:
    if to is None or to.agency_id != memo.agency_id or not permissions.is_live_approver(to):
        raise ValidationError({"to": _("เลือกผู้พิจารณาที่มีบทบาทผู้บังคับบัญชาในหน่วยงานนี้")}, code="bad_approver")
    if to.user_id == memo.author_id:
        raise ValidationError({"to": _("ผู้เสนอพิจารณาบันทึกของตนเองไม่ได้")}, code="author_approver")
    before = [m.display_name for m in [*step.approvers.all(), *step.acting_approvers.all()]]
    step.approvers.set([to])
    step.acting_approvers.clear()
    return {"step": step.order, "approvers_before": before, "approvers": [to.display_name]}


def _publish(memo: Memo, **_kwargs) -> dict:
    memo.is_published = True
    return {"published": True}


def _unpublish(memo: Memo, **_kwargs) -> dict:
    memo.is_published = False
    return {"published": False}


HANDLERS = {
    Action.SUBMIT: _submit,
    Action.RESUBMIT: _submit,
    Action.AGREE: partial(_decide, action=Action.AGREE),
    Action.ACKNOWLEDGE: partial(_decide, action=Action.ACKNOWLEDGE),
    Action.APPROVE: partial(_decide, action=Action.APPROVE),
    Action.RETURN: partial(_decide, action=Action.RETURN),
    Action.WITHDRAW: _withdraw,
    Action.REASSIGN: _reassign,
    Action.PUBLISH: _publish,
    Action.UNPUBLISH: _unpublish,
}
