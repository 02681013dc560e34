"""Who may do what with memos and approval chains: every rule once, read by the views (to show a button or
answer 403) and by ``reports.workflow`` (which re-reads the actor's membership, row-locked, before asking).

The rules take the membership as it is now (``live_membership``): rights are checked at the moment of acting,
so a person whose approver role or membership was removed can no longer decide what was routed to them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from agencies.access import ALL_ROLES
from agencies.models import Membership, Role
from reports.models import Memo, MemoStep

Action = Memo.Action

AUTHOR_ACTIONS = frozenset({Action.SUBMIT, Action.RESUBMIT, Action.WITHDRAW})
PUBLISH_ACTIONS = frozenset({Action.PUBLISH, Action.UNPUBLISH})

# Refusal codes: "state" (the memo is not where the move starts: a warning, often a second tab) and
# "forbidden" (this person may not: 403).
STATE, FORBIDDEN = "state", "forbidden"


def live_membership(user, agency_id: int, *, lock: bool = False) -> Membership | None:
    """The person's active membership in the agency, read now (``lock``: row-locked till the transaction ends)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    # Ordered by id alone: the model's ordering joins the (nullable) division, which PostgreSQL cannot lock.
    memberships = Membership.objects.filter(user=user, agency_id=agency_id, is_active=True).order_by("pk")
    if lock:
        memberships = memberships.select_for_update(of=("self",))
    return memberships.first()


def roles(user, membership: Membership | None) -> frozenset[str]:
    """Roles held now; superusers (who run the installation) hold every role, as ``agencies.access`` says."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return ALL_ROLES
    if membership is None or not membership.is_active:
        return frozenset()
    return frozenset(membership.roles)


def may_write_memos(user, membership: Membership | None) -> bool:
    return Role.COORDINATOR in roles(user, membership)


def may_manage_chains(user, membership: Membership | None) -> bool:
    return bool(roles(user, membership) & {Role.COORDINATOR, Role.AGENCY_ADMIN})


def may_reassign(user, membership: Membership | None) -> bool:
    return may_manage_chains(user, membership)


def may_publish(user, membership: Membership | None) -> bool:
    return may_write_memos(user, membership)


def is_author(user, memo: Memo) -> bool:
    return memo.author_id == getattr(user, "pk", None)


def may_edit(user, memo: Memo) -> bool:
    return is_author(user, memo) and memo.is_editable


def may_delete(user, memo: Memo) -> bool:
    return is_author(user, memo) and memo.status == Memo.Status.DRAFT and memo.running_number is None


# ---------------------------------------------------------------- deciding a step


def is_live_approver(membership: Membership) -> bool:
    return membership.is_active and membership.is_approver and membership.user.is_active


def deciders_left(step: MemoStep | object, author_id: int) -> list[Membership]:
    """Who can still decide ``step`` (a memo step or a chain step, approvers prefetched with their users):
    active approvers (or acting approvers), never the author."""
    people = [*step.approvers.all(), *step.acting_approvers.all()]
    return [m for m in people if is_live_approver(m) and m.user_id != author_id]


def decider_at(step: MemoStep, membership: Membership | None) -> tuple[bool, bool]:
    """(may decide, as acting) for a live membership at ``step``."""
    if membership is None or not is_live_approver(membership):
        return False, False
    if any(m.pk == membership.pk for m in step.approvers.all()):
        return True, False
    if any(m.pk == membership.pk for m in step.acting_approvers.all()):
        return True, True
    return False, False


def decisions_at(step_order: int, last_order: int) -> list[str]:
    """The last step approves or acknowledges; earlier steps agree or acknowledge. Everyone may return."""
    if step_order >= last_order:
        return [Action.APPROVE, Action.ACKNOWLEDGE, Action.RETURN]
    return [Action.AGREE, Action.ACKNOWLEDGE, Action.RETURN]


def _decision_refusal(memo, action, user, membership, step, steps, allow_same) -> tuple[str, str] | None:
    if step is None or memo.current_step != step.order:
        return STATE, _("บันทึกนี้ได้รับการพิจารณาในขั้นนี้แล้ว หรือยังไม่ถึงขั้นนี้")
    if action not in decisions_at(step.order, max(s.order for s in steps)):
        return STATE, _("ผลการพิจารณา “%(action)s” ใช้ในขั้นนี้ไม่ได้") % {"action": Action(action).label}
    if is_author(user, memo):
        return FORBIDDEN, _("ผู้เสนอพิจารณาบันทึกของตนเองไม่ได้")
    may, _acting = decider_at(step, membership)
    if not may:
        return FORBIDDEN, _("ท่านไม่ใช่ผู้มีสิทธิ์พิจารณาขั้นนี้ หรือบทบาทผู้พิจารณาของท่านถูกยกเลิกแล้ว")
    if not allow_same and any(s.decided_by_id == user.pk for s in steps if s.order != step.order and s.decision):
        return FORBIDDEN, _("ท่านได้พิจารณาบันทึกนี้ในขั้นอื่นแล้ว ผู้พิจารณาหนึ่งคนพิจารณาได้เพียงขั้นเดียว (เว้นแต่สายการพิจารณาอนุญาตไว้)")
    return None


def _reassign_refusal(memo, user, membership, step) -> tuple[str, str] | None:
    if not may_reassign(user, membership):
        return FORBIDDEN, _("เฉพาะผู้ประสานงาน ITA หรือผู้ดูแลหน่วยงานมอบหมายผู้พิจารณาแทนได้")
    if step is None or step.decision or step.order < (memo.current_step or 0):
        return STATE, _("มอบหมายผู้พิจารณาได้เฉพาะขั้นที่ยังไม่ได้พิจารณา")
    if deciders_left(step, memo.author_id):
        return STATE, _("ขั้นนี้ยังมีผู้มีสิทธิ์พิจารณาอยู่")
    return None


def refusal(
    memo: Memo,
    action: str,
    user,
    *,
    membership: Membership | None,
    step: MemoStep | None = None,
    steps: Iterable[MemoStep] = (),
    allow_same_approver: bool = False,
) -> tuple[str, str] | None:
    """Why ``user`` (holding ``membership`` now) may not take ``action`` on ``memo``: (code, Thai message),
    or ``None`` when they may. ``step`` is the step acted on; ``steps`` all steps of the memo."""
    if action not in Action.values or not memo.allows(action):
        label = Action(action).label if action in Action.values else action
        return STATE, _("บันทึกที่มีสถานะ “%(status)s” ทำรายการ “%(action)s” ไม่ได้") % {
            "status": memo.get_status_display(),
            "action": label,
        }
    if action in AUTHOR_ACTIONS:
        if not is_author(user, memo):
            return FORBIDDEN, _("เฉพาะผู้เสนอบันทึกดำเนินการนี้ได้")
        if not may_write_memos(user, membership):
            return FORBIDDEN, _("ท่านไม่มีบทบาทผู้ประสานงาน ITA ในหน่วยงานนี้แล้ว")
        return None
    if action in PUBLISH_ACTIONS:
        if not may_publish(user, membership):
            return FORBIDDEN, _("เฉพาะผู้ประสานงาน ITA เผยแพร่บันทึกได้")
        return None
    if action == Action.REASSIGN:
        return _reassign_refusal(memo, user, membership, step)
    return _decision_refusal(memo, action, user, membership, step, list(steps), allow_same_approver)
