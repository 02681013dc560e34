"""The OIT workspace in Chromium: the coordinator opens the year's list and assigns three items to two divisions,
the divisions' staff add evidence and send it for review, the coordinator sends one back and passes the others;
the public page shows exactly the passed ones and the ITAS export lists their addresses."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ita_tracker.thai import thai_digits
from measures.oit.models import OitChecklist, OitState
from tests.browser.conftest import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

from tests.browser.test_journeys import TINY_PDF, assert_styled, expect_message, login, logout, menu  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2569


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def open_item(page: Page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def to_checklist(page: Page) -> None:
    menu(page).get_by_role("link", name="ข้อมูล OIT").click()
    page.get_by_role("link", name=re.compile("รายการ OIT ปีงบประมาณ ๒๕๖๙")).click()
    expect(page.get_by_role("heading", name="รายการ OIT ปีงบประมาณ ๒๕๖๙")).to_be_visible()


def assign(page: Page, title: str, division: str, code: str) -> None:
    open_item(page, title)
    page.get_by_role("combobox", name="ส่วนราชการที่รับผิดชอบ").select_option(label=division)
    page.get_by_role("button", name="บันทึกการมอบหมาย").click()
    expect_message(page, f"มอบหมายข้อ {code} แล้ว")
    page.get_by_role("link", name="ปีงบประมาณ ๒๕๖๙").click()


def submit_evidence(page: Page, title: str, *, file=None, url=None) -> None:
    open_item(page, title)
    if file is not None:
        page.get_by_label("ไฟล์หลักฐาน").set_input_files(file)
    else:
        page.get_by_label("หรือลิงก์หน้าเว็บไซต์ของหน่วยงาน").fill(url)
    page.get_by_role("button", name="เพิ่มหลักฐาน").click()
    expect_message(page, "เพิ่มหลักฐานของข้อ")
    page.get_by_role("button", name="ส่งให้ผู้ประสานงานตรวจ").click()
    expect_message(page, "ให้ผู้ประสานงานตรวจแล้ว")
    expect(page.locator(".oit-state").first).to_have_text("รอตรวจ")
    page.get_by_role("link", name="ปีงบประมาณ ๒๕๖๙").click()


def review(page: Page, title: str, decision: str, comment: str = "") -> None:
    open_item(page, title)
    page.get_by_role("radio", name=decision, exact=True).check()
    if comment:
        page.get_by_label("ความเห็น").fill(comment)
    page.get_by_role("button", name="บันทึกผลการตรวจ").click()
    expect(page.get_by_role("heading", name="รายการ OIT ปีงบประมาณ ๒๕๖๙")).to_be_visible()


def test_oit_items_assigned_evidenced_reviewed_and_published(page: Page, demo, tmp_path):
    plan_file = tmp_path / "แผนพัฒนาท้องถิ่น.pdf"
    plan_file.write_bytes(TINY_PDF)
    eservice_file = tmp_path / "สถิติ E-Service.pdf"
    eservice_file.write_bytes(TINY_PDF)
    o5, o9, o10 = (
        "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน",
        "คู่มือหรือแนวทางการขอรับบริการ",
        "ระบบการให้บริการผ่านช่องทางออนไลน์ (E-Service)",
    )

    # The coordinator opens 2569's list and gives O5 to กองคลัง, O9 and O10 to กองช่าง.
    login(page, "bangpu.plan")
    menu(page).get_by_role("link", name="ข้อมูล OIT").click()
    page.get_by_role("combobox", name="ปีงบประมาณ").select_option(value=str(YEAR))  # labels in the page's digits
    page.get_by_role("button", name="เปิดรายการ OIT").click()
    expect_message(page, f"เปิดรายการ OIT ปี {thai_digits(YEAR)} แล้ว")
    expect(page.locator("table.oit-checklist tbody tr")).to_have_count(26)
    assert_styled(page)
    assign(page, o5, "กองคลัง", "O5")
    assign(page, o9, "กองช่าง", "O9")
    assign(page, o10, "กองช่าง", "O10")
    logout(page, "bangpu.plan")

    # กองคลัง sees only its items (O5 now, and O11/O12 by default) and sends O5 with a file.
    login(page, "bangpu.finance")
    to_checklist(page)
    expect(page.locator("table.oit-checklist tbody th")).to_have_text(["O5", "O11", "O12"])
    submit_evidence(page, o5, file=plan_file)
    logout(page, "bangpu.finance")

    # กองช่าง sends O9 with a link to the website and O10 with a file.
    login(page, "bangpu.works")
    to_checklist(page)
    expect(page.locator("table.oit-checklist tbody th")).to_have_text(["O9", "O10"])
    submit_evidence(page, o9, url="https://www.example.org/bangpu/manual")
    submit_evidence(page, o10, file=eservice_file)
    logout(page, "bangpu.works")

    # The coordinator sends O9 back and passes O5 and O10.
    login(page, "bangpu.plan")
    to_checklist(page)
    review(page, o9, "ส่งกลับแก้ไข", "คู่มือยังเป็นฉบับปี ๒๕๖๖ กรุณาปรับปรุง")
    review(page, o5, "ผ่านการตรวจ")
    review(page, o10, "ผ่านการตรวจ")
    checklist = OitChecklist.objects.get(agency__code="bangpu", edition__fiscal_year=YEAR)
    states = dict(checklist.entries.values_list("item__code", "state"))
    assert (states["o5"], states["o9"], states["o10"]) == (OitState.PASSED, OitState.NEEDS_FIX, OitState.PASSED)

    # The ITAS export: every item in order with its public address; O5 and O10 published.
    with page.expect_download() as download:
        page.get_by_role("link", name="ที่อยู่สำหรับ ITAS (Excel)").click()
    xlsx = tmp_path / "itas.xlsx"
    download.value.save_as(xlsx)
    rows = [[c.value for c in r] for r in load_workbook(xlsx).active.iter_rows(min_row=4) if r[0].value]
    published = {r[0]: r[2] for r in rows if r[3] == "เผยแพร่แล้ว"}
    assert list(published) == ["O5", "O10"]
    assert published["O5"].endswith(f"/public/oit/bangpu/{YEAR}/o5/")
    with page.expect_download() as download:
        page.get_by_role("link", name="ที่อยู่สำหรับ ITAS (CSV)").click()
    download.value.save_as(tmp_path / "itas.csv")
    text = (tmp_path / "itas.csv").read_text(encoding="utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [line[0] for line in lines[1:]] == [f"O{n}" for n in range(1, 27)]
    assert lines[5][2] == published["O5"]
    logout(page, "bangpu.plan")

    # The public page, without login: exactly the passed items, with their evidence.
    page.goto(f"/public/oit/bangpu/{YEAR}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("การเปิดเผยข้อมูลสาธารณะ (OIT)")
    expect(page.locator("table tbody th")).to_have_text(["O5", "O10"])
    expect(page.get_by_text(o9)).to_have_count(0)
    link = page.get_by_role("link", name=plan_file.name)
    stored = page.request.get(link.get_attribute("href"))
    assert stored.ok and stored.body() == TINY_PDF
    # Each item's own address (what goes into ITAS) opens its page.
    page.goto(published["O10"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"O10 {o10}")
    expect(page.get_by_role("link", name=eservice_file.name)).to_be_visible()
