"""The transition table, walked: every status × action × kind of actor through ``memo_transition``.

The expected outcome is written here independently of ``reports.permissions`` (``expected()``), so the test
fails if the table or a rule drifts. Allowed moves give the new status and step, one ``MemoEvent`` and one
audit entry; refused moves raise ``InvalidTransition`` and write nothing.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from agencies.models import AuditEntry, Membership
from reports.models import InvalidTransition, Memo, MemoEvent, MemoStep
from reports.services import chain_save, memo_create
from reports.workflow import memo_transition
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

A = Memo.Action
ACTIONS = list(A.values)
ACTORS = [
    "author",
    "approver_at_step",
    "approver_other_step",
    "acting_at_step",
    "viewer",
    "staff",
    "coordinator",
    "agency_admin",
    "role_removed",
    "deactivated",
]
STATES = ["draft", "pending_first", "pending_last", "returned", "approved", "published", "pending_orphan"]


class Rollback(Exception):
    pass


@pytest.fixture
def people(agency_a, office):
    def member(**roles):
        roles.setdefault("is_staff_member", False)
        return MembershipFactory(agency=agency_a, department=office, **roles)

    p = {
        "author": member(is_coordinator=True, position_title="นักวิเคราะห์นโยบายและแผน"),
        "head": member(is_approver=True, position_title="หัวหน้าสำนักปลัด"),
        "deputy1": member(is_approver=True, position_title="รองหัวหน้าสำนักปลัด"),
        "palat": member(is_approver=True, position_title="ปลัดเทศบาล"),
        "mayor": member(is_approver=True, position_title="นายกเทศมนตรี"),
        "deputy3": member(is_approver=True, position_title="รองนายกเทศมนตรี"),
        "spare": member(is_approver=True, position_title="ผู้อำนวยการกองคลัง"),
        "viewer": member(is_viewer=True),
        "staff": member(is_staff_member=True),
        "coordinator": member(is_coordinator=True),
        "agency_admin": member(is_agency_admin=True),
    }
    p["chain"] = chain_save(
        agency=agency_a,
        name="สามขั้น",
        steps=[
            {"position_title": "หัวหน้าสำนักปลัด", "approvers": [p["head"]], "acting_approvers": [p["deputy1"]]},
            {"position_title": "ปลัดเทศบาล", "approvers": [p["palat"]]},
            {"position_title": "นายกเทศมนตรี", "approvers": [p["mayor"]], "acting_approvers": [p["deputy3"]]},
        ],
    )
    return p


def build(state: str, p: dict, agency, office) -> Memo:
    author = p["author"].user
    memo = memo_create(
        agency=agency,
        author=author,
        fields={"kind": "free", "department": office, "chain": p["chain"], "subject": "ทดสอบ", "addressee": "นายก"},
    )
    if state == "draft":
        return memo
    memo = memo_transition(memo=memo, action=A.SUBMIT, by=author)
    if state == "pending_orphan":
        Membership.objects.filter(pk=p["head"].pk).update(is_approver=False, is_viewer=True)
        Membership.objects.filter(pk=p["deputy1"].pk).update(is_active=False)
    if state in ("pending_first", "pending_orphan"):
        return memo
    if state == "returned":
        return memo_transition(memo=memo, action=A.RETURN, by=p["head"].user, comment="แก้ไข", step=1)
    memo = memo_transition(memo=memo, action=A.AGREE, by=p["head"].user, step=1)
    memo = memo_transition(memo=memo, action=A.AGREE, by=p["palat"].user, step=2)
    if state == "pending_last":
        return memo
    memo = memo_transition(memo=memo, action=A.APPROVE, by=p["mayor"].user, step=3)
    if state == "published":
        memo = memo_transition(memo=memo, action=A.PUBLISH, by=author)
    return memo


def actor(kind: str, memo: Memo, p: dict):
    """The user of each kind of actor, for the memo's current step (step 1 when none is current)."""
    last = memo.current_step == 3
    at_step, acting, other = (p["mayor"], p["deputy3"], p["head"]) if last else (p["head"], p["deputy1"], p["palat"])
    if kind == "role_removed":
        Membership.objects.filter(pk=at_step.pk).update(is_approver=False, is_viewer=True)
        return at_step.user
    if kind == "deactivated":
        Membership.objects.filter(pk=at_step.pk).update(is_active=False)
        return at_step.user
    return {
        "author": p["author"],
        "approver_at_step": at_step,
        "approver_other_step": other,
        "acting_at_step": acting,
        "viewer": p["viewer"],
        "staff": p["staff"],
        "coordinator": p["coordinator"],
        "agency_admin": p["agency_admin"],
    }[kind].user


def expected(state: str, action: str, kind: str):
    """(status, step, published) after an allowed move; None when it must be refused."""
    if action in (A.SUBMIT, A.RESUBMIT, A.WITHDRAW):
        start = {
            A.SUBMIT: ("draft",),
            A.RESUBMIT: ("returned",),
            A.WITHDRAW: ("pending_first", "pending_last", "returned", "pending_orphan"),
        }[action]
        if state in start and kind == "author":
            return ("draft", None, False) if action == A.WITHDRAW else ("pending", 1, False)
        return None
    if action in (A.PUBLISH, A.UNPUBLISH):
        start = "approved" if action == A.PUBLISH else "published"
        if state == start and kind in ("author", "coordinator"):
            return ("approved", None, action == A.PUBLISH)
        return None
    if action == A.REASSIGN:
        if state == "pending_orphan" and kind in ("author", "coordinator", "agency_admin"):
            return ("pending", 1, False)
        return None
    # Decisions: only at a pending memo's current step, by its approver or acting approver.
    if kind not in ("approver_at_step", "acting_at_step"):
        return None
    if state == "pending_first" and action in (A.AGREE, A.ACKNOWLEDGE, A.RETURN):
        return ("returned", None, False) if action == A.RETURN else ("pending", 2, False)
    if state == "pending_last" and action in (A.APPROVE, A.ACKNOWLEDGE, A.RETURN):
        return ("returned", None, False) if action == A.RETURN else ("approved", None, False)
    return None


def snapshot(memo: Memo) -> tuple:
    memo = Memo.objects.get(pk=memo.pk)
    decisions = tuple(MemoStep.objects.filter(memo=memo).order_by("order").values_list("decision", flat=True))
    return memo.status, memo.current_step, memo.is_published, memo.version, decisions


def counts(memo: Memo) -> tuple[int, int]:
    audits = AuditEntry.objects.filter(object_type=AuditEntry.ObjectType.MEMO, object_id=memo.pk).count()
    return MemoEvent.objects.filter(memo=memo).count(), audits


def attempt(memo: Memo, action: str, user, p: dict) -> Memo:
    step = memo.current_step or 1
    return memo_transition(
        memo=Memo.objects.get(pk=memo.pk), action=action, by=user, comment="ความเห็น", step=step, to=p["spare"]
    )


@pytest.mark.parametrize("state", STATES)
def test_every_action_by_every_actor(state, people, agency_a, office, django_capture_on_commit_callbacks):
    memo = build(state, people, agency_a, office)
    checked = {"allowed": 0, "refused": 0}
    for kind in ACTORS:
        for action in ACTIONS:
            want = expected(state, action, kind)
            try:
                with transaction.atomic():
                    user = actor(kind, memo, people)
                    before, (events, audits) = snapshot(memo), counts(memo)
                    case = f"{state} × {action} × {kind}"
                    if want is None:
                        with pytest.raises(InvalidTransition):
                            attempt(memo, action, user, people)
                            pytest.fail(f"not refused: {case}")
                        assert snapshot(memo) == before, case
                        assert counts(memo) == (events, audits), case
                        checked["refused"] += 1
                    else:
                        moved = attempt(memo, action, user, people)
                        assert (moved.status, moved.current_step, moved.is_published) == want, case
                        assert counts(memo) == (events + 1, audits + 1), case
                        event = MemoEvent.objects.filter(memo=memo).latest("pk")
                        assert (event.action, event.actor_id, event.to_status) == (action, user.pk, want[0]), case
                        audit = AuditEntry.objects.filter(object_id=memo.pk).latest("pk")
                        assert audit.action == AuditEntry.Action.TRANSITION and audit.actor_id == user.pk, case
                        checked["allowed"] += 1
                    raise Rollback
            except Rollback:
                pass
    assert checked["allowed"] + checked["refused"] == len(ACTORS) * len(ACTIONS)
    # Every state has at least one move someone may make (none is a dead end) but draft/returned/... refuse most.
    assert checked["allowed"] >= 1 and checked["refused"] > checked["allowed"]


def test_reassigned_step_moves_to_the_new_approver(people, agency_a, office):
    memo = build("pending_orphan", people, agency_a, office)
    memo = memo_transition(memo=memo, action=A.REASSIGN, by=people["coordinator"].user, step=1, to=people["spare"])
    step = memo.steps.get(order=1)
    assert list(step.approvers.all()) == [people["spare"]] and not step.acting_approvers.exists()
    event = memo.events.latest("pk")
    assert event.action == "reassign" and event.from_step == event.to_step == 1
    memo = memo_transition(memo=memo, action=A.AGREE, by=people["spare"].user, step=1)
    assert memo.current_step == 2
