"""A memo started from the data is drafted in its agency's digits throughout: the specs join Thai wording
("รอบ ๖ เดือน") to figures from the data (the year), and the draft was stored half in each ("ปีงบประมาณ 2570
(รอบ ๖ เดือน)"), on the memo's page, its PDF and the public OIT page alike."""

import re

import pytest
from django.urls import reverse

from measures.services import plan_create
from reports.models import Memo

pytestmark = pytest.mark.django_db

THAI = re.compile("[๐-๙]")
ARABIC = re.compile("[0-9]")


def start(client, author, plan, office, chain) -> Memo:
    client.force_login(author)
    response = client.post(
        reverse("reports:memo_start"),
        {"kind": "progress_6", "plan": plan.pk, "department": office.pk, "chain": chain.pk},
    )
    assert response.status_code == 302
    return Memo.objects.get(plan=plan)


@pytest.mark.parametrize("thai", [True, False])
def test_a_drafted_memo_is_in_the_agencys_digits(client, agency_a, office, chain, author, thai):
    agency_a.use_thai_digits = thai
    agency_a.save()
    memo = start(client, author, plan_create(agency=agency_a, fiscal_year=2570), office, chain)
    if thai:
        assert memo.subject.endswith("ประจำปีงบประมาณ ๒๕๗๐ (รอบ ๖ เดือน)")
    else:
        assert memo.subject.endswith("ประจำปีงบประมาณ 2570 (รอบ 6 เดือน)")
    other = ARABIC if thai else THAI
    assert not other.search(memo.subject) and not other.search(memo.body)
    page = client.get(memo.get_absolute_url()).content.decode()
    assert memo.subject in page
