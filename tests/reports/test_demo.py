"""load_demo's memos reproduce seeds 000 and 003."""

import io

import pytest
from django.core.management import call_command

from reports.models import Memo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_seed_000_is_an_approved_progress_memo_with_its_three_blocks(demo, client):
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    assert memo.status == Memo.Status.APPROVED and memo.is_published
    assert memo.number == "ปน 52701.5/1" and memo.date.isoformat() == "2021-05-03"
    # Seed 000 carries the plan table, then the progress table, both frozen at submission.
    assert memo.table["schema"] == 2
    assert [part["section"] for part in memo.table["sections"]] == ["plan_table", "progress_table"]
    statuses = {row["number"]: row["status"] for row in memo.table["sections"][1]["rows"]}
    assert len(statuses) == 10
    assert [n for n, s in statuses.items() if s == "in_progress"] == [5, 9]
    assert [n for n, s in statuses.items() if s == "done"] == [1, 2, 3, 4, 6, 7, 8, 10]
    blocks = [(s.label, s.signer_name, s.signer_position, s.acting, s.position_title) for s in memo.steps.all()]
    assert blocks == [
        ("ความเห็นหัวหน้าสำนักปลัดเทศบาล", "นางยานี แวเด็ง", "หัวหน้าสำนักปลัดเทศบาล", False, "หัวหน้าสำนักปลัดเทศบาล"),
        ("ความเห็นปลัดเทศบาล", "นางจำปา นิลวงศ์", "ปลัดเทศบาลตำบลบางปู", False, "ปลัดเทศบาลตำบลบางปู"),
        ("ความเห็นนายกฯ", "นางจำปา นิลวงศ์", "ปลัดเทศบาล", True, "นายกเทศมนตรีตำบลบางปู"),
    ]
    client.login(username="bangpu.plan", password="ita-demo-2567")
    page = client.get(memo.get_absolute_url()).content.decode()
    assert "ปน ๕๒๗๐๑.๕/๑" in page and "๓ พฤษภาคม ๒๕๖๔" in page
    assert "(นางสาวรีวิวทรัพย์ พนูนวัล)" in page
    assert "ปลัดเทศบาล รักษาราชการแทน" in page
    # The ปลัด decided two steps, which the chain allows: the memo says so.
    assert "อนุญาตให้ผู้พิจารณาคนเดียวพิจารณาได้มากกว่าหนึ่งขั้น" in page


def test_seed_003_waits_at_its_first_step(demo, client):
    memo = Memo.objects.get(agency__code="nongsamet", plan__fiscal_year=2567)
    assert memo.status == Memo.Status.PENDING and memo.current_step == 1
    assert memo.number == "ตร.53101/41"
    assert memo.via == "ปลัดเทศบาล" and memo.is_structured
    client.login(username="nongsamet.palat", password="ita-demo-2567")
    response = client.get("/reports/")
    assert [m.pk for m in response.context["waiting"]] == [memo.pk]
    page = client.get(memo.get_absolute_url()).content.decode()
    assert "เรื่องเดิม" in page and "ข้อเท็จจริง" in page and "ข้อพิจารณา" in page
    assert "ตร.๕๓๑๐๑/๔๑" in page


def test_loading_twice_adds_no_memo(demo):
    seeds = Memo.objects.filter(plan__fiscal_year__in=[2564, 2567]).count()
    before = Memo.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert seeds == 2
    assert Memo.objects.count() == before
