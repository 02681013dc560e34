"""The demo memos of seeds 000 and 003 (``fixtures/demo/memos.json``), loaded by ``load_demo``.

They go through the same services as any memo (create, submit, decide), so their tables, steps and
history are real; afterwards the numbers and dates are set to the seeds' own, since the seeds were
written in 2564 and 2568 and the services date things today.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from agencies.models import Agency, Membership
from measures.models import MeasurePlan
from reports import demo_cycle, services
from reports.attachments import attachment_add_results
from reports.models import ApprovalChain, Memo, MemoCounter, MemoEvent
from reports.texts import load_demo as load_document_texts
from reports.workflow import memo_transition

User = get_user_model()


def _membership(agency: Agency, username: str) -> Membership:
    try:
        return Membership.objects.get(agency=agency, user__username=username)
    except Membership.DoesNotExist as exc:
        raise CommandError(f"demo memo: {username} is not a member of {agency.code}") from exc


def _chain(agency: Agency, spec: dict) -> ApprovalChain:
    existing = ApprovalChain.objects.filter(agency=agency, name=spec["name"]).first()
    if existing is not None:
        return existing
    steps = [
        {
            "position_title": step["position_title"],
            "comment_label": step.get("comment_label", ""),
            "approvers": [_membership(agency, u) for u in step["approvers"]],
            "acting_approvers": [_membership(agency, u) for u in step.get("acting_approvers", [])],
        }
        for step in spec["steps"]
    ]
    return services.chain_save(
        agency=agency,
        name=spec["name"],
        steps=steps,
        is_default=True,
        allow_same_approver=spec.get("allow_same_approver", False),
    )


@transaction.atomic
def _load_one(spec: dict) -> bool:
    agency = Agency.objects.get(code=spec["agency"])
    if Memo.objects.filter(agency=agency, subject=spec["subject"]).exists():
        return False
    chain = _chain(agency, spec["chain"])
    author = User.objects.get(username=spec["author"])
    plan = (
        MeasurePlan.objects.filter(agency=agency, fiscal_year=spec["plan_year"]).first()
        if spec.get("plan_year")
        else None
    )
    memo = services.memo_create(
        agency=agency,
        author=author,
        fields={
            "kind": spec["kind"],
            "plan": plan,
            "as_of": date.fromisoformat(spec["as_of"]) if spec.get("as_of") else None,
            "department": agency.departments.get(name=spec["department"]),
            "chain": chain,
            **{
                key: spec.get(key, "")
                for key in (
                    "subject",
                    "addressee",
                    "via",
                    "body",
                    "background",
                    "facts",
                    "considerations",
                    "proposal",
                    "closing",
                    "author_name",
                    "author_position",
                )
            },
        },
    )
    for year in spec.get("attach_results_of", []):
        attachment_add_results(memo=memo, plan=MeasurePlan.objects.get(agency=agency, fiscal_year=year), by=author)
    memo = memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
    for decision in spec.get("decisions", []):
        by = User.objects.get(username=decision["by"])
        order = memo.current_step
        memo = memo_transition(memo=memo, action=decision["decision"], by=by, comment=decision["comment"], step=order)
        step = memo.steps.get(order=order)
        step.decided_at = datetime.fromisoformat(decision["at"])
        if decision.get("signer_position"):
            step.signer_position = decision["signer_position"]
        step.save()
    submitted = spec["submitted"]
    # Give back the number the submission took today, and set the seed's own.
    MemoCounter.objects.filter(department=memo.department, year=memo.number_year, last=memo.running_number).update(
        last=memo.running_number - 1
    )
    counter, _ = MemoCounter.objects.get_or_create(
        agency=agency, department=memo.department, year=submitted["number_year"]
    )
    counter.last = max(counter.last, submitted["running_number"])
    counter.save()
    Memo.objects.filter(pk=memo.pk).update(
        number_year=submitted["number_year"],
        running_number=submitted["running_number"],
        date=date.fromisoformat(submitted["date"]),
    )
    MemoEvent.objects.filter(memo=memo).update(
        created_at=datetime.fromisoformat(f"{submitted['date']}T09:00:00+07:00")
    )
    if spec.get("publish"):
        memo_transition(memo=memo, action=Memo.Action.PUBLISH, by=author)
    return True


def load(command) -> None:
    # A development certificate, so that `make run` seals the memos it approves (reports.seal).
    call_command("make_dev_certificate", stdout=command.stdout)
    # The agencies' wording first: seed 003's memo stores its attached results report (with the seed's cover)
    # when it is submitted.
    load_document_texts(command)
    data = json.loads((command.demo_dir / "memos.json").read_text(encoding="utf-8"))
    created = 0
    for spec in data["memos"]:
        # One transaction per memo: the seal job of an approved one starts once its seed dates are set.
        with transaction.atomic():
            created += _load_one(spec)
    command.stdout.write(f"Demo memos: {created} added, {len(data['memos']) - created} already there.")
    demo_cycle.load(command)
