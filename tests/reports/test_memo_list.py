"""The memo list: the whole subject, search in subject and text, filters by year, kind and state, numbers with
their year, and a bounded number of queries."""

from __future__ import annotations

import re

import pytest

from reports.models import Memo
from reports.services import memo_create
from reports.workflow import memo_transition

pytestmark = pytest.mark.django_db

LONG = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน " * 3


@pytest.fixture
def memos(agency_a, office, chain, author):
    def make(subject, *, body="", kind="free", submit=True, year=None):
        memo = memo_create(
            agency=agency_a,
            author=author,
            fields={"kind": kind, "department": office, "chain": chain, "subject": subject, "body": body,
                    "addressee": "นายก"},
        )  # fmt: skip
        if submit:
            memo = memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
        if year:
            Memo.objects.filter(pk=memo.pk).update(number_year=year, running_number=1)
        return memo

    return {
        "old": make("ขออนุมัติแผนปีก่อน", year=2568),
        "new": make(LONG.strip(), body="แนบผลการประเมิน OIT ข้อ o42", year=2569),
        "draft": make("ร่างบันทึกแจ้งเวียน", submit=False),
    }


def rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_whole_subjects_and_numbers_with_their_year(client, author, memos):
    client.force_login(author)
    html = client.get("/reports/").content.decode()
    table = rows(html)
    assert LONG.strip() in table  # never cut
    # The same number in two years (each memo's in its column and again in the line a phone shows under the
    # subject) ...
    assert table.count("ปน ๕๒๗๐๑.๕/๑") == 4
    assert table.count("ปี ๒๕๖๘") == 2 and table.count("ปี ๒๕๖๙") == 2  # ... told apart by the year in both


@pytest.mark.parametrize(
    "query, shown",
    [
        ({"q": "แผนปีก่อน"}, {"old"}),
        ({"q": "o42"}, {"new"}),  # found in the text
        ({"year": "2568"}, {"old"}),
        ({"status": "draft"}, {"draft"}),
        ({"status": "pending", "year": "2569"}, {"new"}),
        ({"kind": "free", "q": "ร่าง"}, {"draft"}),
        ({"year": "not-a-year"}, {"old", "new", "draft"}),  # a bad value filters nothing, and is no error
    ],
)
def test_search_and_filters(client, author, memos, query, shown):
    client.force_login(author)
    response = client.get("/reports/", query)
    assert response.status_code == 200
    table = rows(response.content.decode())
    found = {name for name, memo in memos.items() if f"/reports/memos/{memo.pk}/" in table}
    assert found == shown


def test_the_year_options_follow_the_digits_and_the_query_count_is_bounded(
    client, author, memos, django_assert_max_num_queries
):
    client.force_login(author)
    html = client.get("/reports/").content.decode()
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', html)
    assert ("2568", "๒๕๖๘") in options and ("2569", "๒๕๖๙") in options
    with django_assert_max_num_queries(25) as few:
        client.get("/reports/", {"q": "บันทึก"})
    for i in range(20):
        memo_create(
            agency=memos["old"].agency,
            author=author,
            fields={"kind": "free", "department": memos["old"].department, "chain": memos["old"].chain,
                    "subject": f"บันทึก {i}", "addressee": "นายก"},
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/reports/", {"q": "บันทึก"})
