"""The memos this product makes appear on the OIT checklist as evidence of O25/O26 once approved, without anyone
uploading them (reports registers its documents with ``measures.oit.documents``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from measures.oit import services
from measures.oit.models import OitState
from measures.services import plan_create
from reports.models import Memo
from reports.services import memo_create
from reports.workflow import memo_transition

pytestmark = pytest.mark.django_db
A = Memo.Action
YEAR = 2569


def approved(kind, plan, *, author, approvers, office, chain, publish=False) -> Memo:
    head, palat, mayor = approvers
    memo = memo_create(
        agency=plan.agency,
        author=author,
        fields={
            "kind": kind,
            "plan": plan,
            "department": office,
            "chain": chain,
            "subject": f"{kind} {plan.fiscal_year}",
            "addressee": "นายกเทศมนตรีตำบลบางปู",
        },
    )
    memo = memo_transition(memo=memo, action=A.SUBMIT, by=author)
    memo = memo_transition(memo=memo, action=A.AGREE, by=head.user, step=1)
    memo = memo_transition(memo=memo, action=A.AGREE, by=palat.user, step=2)
    memo = memo_transition(memo=memo, action=A.APPROVE, by=mayor.user, step=3)
    if publish:
        memo = memo_transition(memo=memo, action=A.PUBLISH, by=author)
    return memo


def test_approved_plan_and_12_month_report_are_o25_and_o26_evidence(
    client, agency_a, office, approvers, chain, author
):
    checklist = services.checklist_open(agency=agency_a, fiscal_year=YEAR, by=author)
    o25 = checklist.entries.get(item__code="o25")
    o26 = checklist.entries.get(item__code="o26")
    client.force_login(author)
    url = reverse("measures:oit_checklist", args=[checklist.pk])
    rows = {r.item.code: r for r in client.get(url).context["rows"]}
    assert rows["o25"].made == [] and rows["o26"].made == []

    plan = plan_create(agency=agency_a, fiscal_year=YEAR)
    last_year = plan_create(agency=agency_a, fiscal_year=YEAR - 1)
    people = {"author": author, "approvers": approvers, "office": office, "chain": chain}
    draft = memo_create(
        agency=agency_a,
        author=author,
        fields={
            "kind": "plan",
            "plan": plan,
            "department": office,
            "chain": chain,
            "subject": "ร่าง",
            "addressee": "นายก",
        },
    )
    plan_memo = approved(Memo.Kind.PLAN, plan, publish=True, **people)
    report = approved(Memo.Kind.PROGRESS_12, last_year, **people)
    approved(Memo.Kind.PROGRESS_12, plan, **people)  # this year's report answers next year's O26, not this one

    rows = {r.item.code: r for r in client.get(url).context["rows"]}
    assert [d.title for d in rows["o25"].made] == [plan_memo.subject]
    assert [d.title for d in rows["o26"].made] == [report.subject]
    assert draft.subject not in [d.title for d in rows["o25"].made]
    assert rows["o1"].made == []
    page = client.get(reverse("measures:oit_entry", args=[o25.pk])).content.decode()
    assert plan_memo.subject in page and reverse("reports:memo_detail", args=[plan_memo.pk]) in page

    # Nobody uploaded anything, and the coordinator can pass both.
    assert not o25.evidence.exists() and not o26.evidence.exists()
    for entry in (o25, o26):
        passed = services.entry_review(entry=entry, by=author, passed=True, version=entry.version)
        assert passed.state == OitState.PASSED

    # The public page links the published plan memo's PDF; the unpublished report has no public link yet.
    public = client.get(reverse("oit_public:list", args=[agency_a.code, YEAR]))
    entries = {e.item.code: e for e in public.context["entries"]}
    assert [d.public_url for d in entries["o25"].made] == [
        reverse("public:memo_pdf", args=[agency_a.code, YEAR, plan_memo.pk])
    ]
    assert entries["o26"].made == []
    # The public PDF is the sealed file, made by a job after the approval (reports.seal): run it, as a worker would.
    from reports.seal import memo_seal

    memo_seal(plan_memo.sealed.pk)
    assert client.get(entries["o25"].made[0].public_url).status_code == 200
