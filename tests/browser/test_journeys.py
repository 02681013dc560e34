"""Journeys through the real pages in Chromium: what staff, the ITA coordinator and the approvers click.

Each test loads the demo (บางปู's plan 2564 with ten measures, the chain หัวหน้าสำนักปลัดเทศบาล →
ปลัดเทศบาลตำบลบางปู → นายกเทศมนตรีตำบลบางปู, where the ปลัด may act for the mayor) into the live server's
database, logs people in through the login form and finds things by their Thai labels, roles and text.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import Assessment
from ita_tracker.thai import arabic_digits, format_date, format_number, thai_digits
from measures.models import Measure
from reports.models import Memo
from tests.browser.axe import assert_accessible
from tests.browser.conftest import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ita-demo-2567"
PROGRESS_6 = "รายงานผลการดำเนินการตามมาตรการ รอบ ๖ เดือน"
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def demo(transactional_db):
    """The demo data, in the database the live server reads (a transactional test: no rollback to hide it)."""
    call_command("load_demo", stdout=io.StringIO())


# --------------------------------------------------------------------------------------------------
# Helpers


def assert_styled(page: Page) -> None:
    """The page is styled: Bootstrap's stylesheet loaded (its rules apply) and no static file failed; and
    axe-core finds no serious or critical violation on it at 1280 px or 390 px."""
    styled = page.evaluate(
        """() => {
            const sheet = [...document.styleSheets].find(s => (s.href || '').includes('bootstrap'));
            const nav = document.querySelector('.navbar');
            return {
                rules: sheet ? sheet.cssRules.length : 0,
                navDisplay: nav ? getComputedStyle(nav).display : null,
                bodyMargin: getComputedStyle(document.body).marginTop,
            };
        }"""
    )
    assert styled["rules"] > 100, f"Bootstrap CSS not loaded: {styled}"
    assert styled["navDisplay"] == "flex" and styled["bodyMargin"] == "0px", f"page is not styled: {styled}"
    broken = [r for r in page.bad_responses if "/static/" in r]
    assert not broken, f"static files failed to load: {broken}"
    assert_accessible(page)


def menu(page: Page):
    """The main menu: the first navigation landmark (the breadcrumb trail is the second)."""
    return page.get_by_role("navigation").first


def user_menu(page: Page, username: str):
    name = get_user_model().objects.get(username=username).get_full_name()
    return menu(page).get_by_role("button", name=name)


def login(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="เข้าสู่ระบบ")).to_be_visible()
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(user_menu(page, username)).to_be_visible()
    assert_styled(page)


def logout(page: Page, username: str) -> None:
    user_menu(page, username).click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_role("heading", name="เข้าสู่ระบบ")).to_be_visible()


def expect_message(page: Page, text: str | re.Pattern) -> None:
    """The page after an action shows its message, and is itself checked by axe-core."""
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()
    assert_accessible(page)


def flat(text: str) -> str:
    """For comparing text across line breaks and digit styles."""
    return re.sub(r"\s+", "", text).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))


def decide(page: Page, username: str, number: str, decision: str, comment: str, after: str) -> None:
    """An approver opens the memo from รอฉันพิจารณา and records a decision."""
    login(page, username)
    menu(page).get_by_role("link", name="บันทึกและรายงาน").click()
    inbox = page.locator(".card").filter(has=page.get_by_role("heading", name="รอฉันพิจารณา"))
    inbox.get_by_role("link").filter(has_text=f"ที่ {thai_digits(number)}").click()
    expect(page.get_by_role("heading", name="รอท่านพิจารณา")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name=decision, exact=True).check()
    page.get_by_label("ความเห็น").fill(comment)
    page.get_by_role("button", name="บันทึกความเห็น").click()
    expect_message(page, after)
    history = page.locator(".card").filter(has=page.get_by_role("heading", name="ประวัติ"))
    expect(history.get_by_text(f"“{comment}”")).to_be_visible()
    logout(page, username)


# --------------------------------------------------------------------------------------------------
# Journey 1: progress with evidence, the 6-month memo through three approvers, its PDF and Excel


def test_progress_memo_approval_and_documents(page: Page, demo, tmp_path):
    measure = Measure.objects.get(plan__agency__code="bangpu", plan__fiscal_year=2564, number=4)
    evidence = tmp_path / "หลักเกณฑ์การยืมทรัพย์สิน.pdf"
    evidence.write_bytes(TINY_PDF)
    summary = "จัดทำร่างหลักเกณฑ์การยืมทรัพย์สินของทางราชการแล้ว อยู่ระหว่างเสนอผู้บริหาร"

    # Staff of กองคลัง record progress on their division's measure 4, with a PDF as evidence.
    login(page, "bangpu.finance")
    page.goto("/measures/mine/?year=2564")
    expect(page.get_by_role("heading", name="มาตรการของส่วนราชการฉัน")).to_be_visible()
    row = page.locator(".list-group-item").filter(has=page.get_by_role("link", name=measure.title[:40]))
    row.get_by_role("link", name="รายงานความก้าวหน้า").click()
    expect(page.get_by_role("heading", name="รายงานความก้าวหน้า")).to_be_visible()
    page.get_by_role("textbox", name="ข้อมูล ณ วันที่").fill("15/3/2564")
    page.get_by_role("combobox", name="สถานะ").select_option(label="อยู่ระหว่างดำเนินการ")
    page.get_by_role("spinbutton", name="ความก้าวหน้า (ร้อยละ)").fill("60")
    page.get_by_role("textbox", name="สรุปผลการดำเนินงาน").fill(summary)
    page.get_by_label("ไฟล์หลักฐาน").set_input_files(evidence)
    page.get_by_role("button", name="บันทึกความก้าวหน้า").click()

    expect(page).to_have_url(re.compile(rf"/measures/{measure.pk}/$"))
    expect_message(page, "บันทึกความก้าวหน้าของมาตรการที่ ๔ แล้ว")
    update = page.locator(".card").filter(has_text=summary)
    expect(update).to_contain_text("๑๕ มีนาคม ๒๕๖๔")
    expect(update).to_contain_text("๖๐%")
    link = update.get_by_role("link", name=evidence.name)
    expect(link).to_be_visible()
    stored = page.request.get(link.get_attribute("href"))
    assert stored.ok and stored.body() == TINY_PDF
    assert_styled(page)
    logout(page, "bangpu.finance")

    # The coordinator drafts the 6-month memo on plan 2564 with the default chain, saves and submits it.
    login(page, "bangpu.plan")
    menu(page).get_by_role("link", name="บันทึกและรายงาน").click()
    page.get_by_role("link", name="สร้างบันทึกข้อความ").click()
    page.get_by_role("combobox", name="ประเภทบันทึก").select_option(label=PROGRESS_6)
    page.get_by_role("combobox", name="แผนมาตรการ").select_option(label="ปีงบประมาณ ๒๕๖๔")
    chain = page.get_by_role("combobox", name="สายการพิจารณา")
    expect(chain.locator("option:checked")).to_have_text(re.compile("หัวหน้าสำนักปลัดเทศบาล"))
    page.get_by_role("button", name="สร้างร่างบันทึก").click()
    expect(page.get_by_role("heading", name="แก้ไขบันทึกข้อความ")).to_be_visible()
    page.get_by_role("button", name="บันทึกร่าง").click()
    expect_message(page, "บันทึกร่างแล้ว")
    memo_url = re.search(r"/reports/memos/\d+/$", page.url)
    assert memo_url, page.url
    memo_path = memo_url.group(0)
    page.get_by_role("button", name="ส่งพิจารณา", exact=True).click()
    submitted = page.get_by_role("alert").filter(has_text=re.compile("ส่งบันทึกเลขที่ .+ เพื่อพิจารณาแล้ว"))
    expect(submitted).to_be_visible()
    number = re.search(r"ส่งบันทึกเลขที่ (.+?) เพื่อพิจารณาแล้ว", submitted.inner_text()).group(1)
    memo = Memo.objects.get(pk=int(memo_path.split("/")[-2]))
    assert memo.number == arabic_digits(number) and memo.kind == Memo.Kind.PROGRESS_6 and memo.plan.fiscal_year == 2564
    expect(page.get_by_role("navigation", name="ตำแหน่งของหน้า")).to_contain_text(thai_digits(number))
    expect(page.get_by_text("รอพิจารณา ขั้นที่ ๑", exact=True)).to_be_visible()
    logout(page, "bangpu.plan")

    # Three approvers in turn, each from their inbox; the ปลัด acts for the mayor at the last step.
    decide(page, "bangpu.head", number, "เห็นชอบ", "เห็นชอบตามเสนอ", "บันทึกความเห็นแล้ว ส่งต่อขั้นถัดไป")
    decide(page, "bangpu.palat", number, "เห็นชอบ", "เห็นควรเสนอนายกฯ", "บันทึกความเห็นแล้ว ส่งต่อขั้นถัดไป")
    decide(page, "bangpu.palat", number, "อนุมัติ", "อนุมัติ ให้เผยแพร่", "บันทึกได้รับการอนุมัติครบทุกขั้นแล้ว")
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED

    # The coordinator opens the approved memo and downloads its PDF and Excel.
    login(page, "bangpu.plan")
    menu(page).get_by_role("link", name="บันทึกและรายงาน").click()
    # The demo's own memo of 2564 has the same running number: the date tells them apart.
    row = page.get_by_role("row").filter(has_text=thai_digits(number))
    with translation.override("th"):
        row = row.filter(has_text=format_date(memo.date, "abbr", digits="thai"))
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(memo_path) + "$"))
    expect(page.get_by_text("อนุมัติแล้ว", exact=True)).to_be_visible()
    assert_styled(page)

    # The PDF opens in the browser's viewer (inline); Alt+click is the browser's own "download this link".
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF", exact=True).click(modifiers=["Alt"])
    pdf = tmp_path / (pdf_download.value.suggested_filename or "memo.pdf")
    pdf_download.value.save_as(pdf)
    assert pdf.suffix == ".pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert flat(memo.subject) in flat(text)
        assert flat("รักษาราชการแทน นายกเทศมนตรีตำบลบางปู") in flat(text)  # the ปลัด signed for the mayor

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel", exact=True).click()
    xlsx = tmp_path / (xlsx_download.value.suggested_filename or "memo.xlsx")
    xlsx_download.value.save_as(xlsx)
    assert xlsx.suffix == ".xlsx"
    book = load_workbook(xlsx)
    assert "ผลการดำเนินการ" in book.sheetnames
    cells = " ".join(str(c) for line in book["ผลการดำเนินการ"].iter_rows(values_only=True) for c in line if c)
    assert measure.title[:40] in cells


# --------------------------------------------------------------------------------------------------
# Journey 2: a score file with an error, refused with its row and column, corrected and imported


def score_file(path: Path, ind3: str) -> Path:
    scores = ["92.00", "88.25", ind3, "90.00", "87.75", "80.50", "78.00", "84.00", "91.25", "75.00"]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["agency", "province", "fiscal_year", *(f"ind{n}" for n in range(1, 11))])
        writer.writerow(["เทศบาลตำบลบางปู", "ปัตตานี", "2564", *scores])
    return path


def test_score_import_with_an_error_then_corrected(page: Page, demo, tmp_path):
    assert not Assessment.objects.filter(agency__code="bangpu", edition__fiscal_year=2564).exists()
    login(page, "bangpu.plan")
    menu(page).get_by_role("link", name="ผลการประเมิน").click()
    page.get_by_role("link", name="นำเข้าจากไฟล์").click()
    expect(page.get_by_role("heading", name="นำเข้าผลคะแนนจากไฟล์")).to_be_visible()
    assert_styled(page)

    upload = page.get_by_label("ไฟล์ผลคะแนน (.csv หรือ .xlsx)")
    upload.set_input_files(score_file(tmp_path / "คะแนน-ITA-2564.csv", "101"))
    page.get_by_role("button", name="ตรวจสอบและนำเข้า").click()
    expect(page.get_by_role("alert").filter(has_text="พบข้อผิดพลาด ๑ รายการ ยังไม่ได้บันทึกข้อมูลใด")).to_be_visible()
    errors = page.get_by_role("table", name="ข้อผิดพลาดในไฟล์")
    error_row = errors.get_by_role("row").filter(has_text="ind3")
    expect(error_row.get_by_role("cell")).to_have_text(["2", "ind3", re.compile("101.*0–100")])
    assert not Assessment.objects.filter(agency__code="bangpu", edition__fiscal_year=2564).exists()
    assert_accessible(page, "import refused with its errors")

    upload = page.get_by_label("ไฟล์ผลคะแนน (.csv หรือ .xlsx)")
    upload.set_input_files(score_file(tmp_path / "คะแนน-ITA-2564-แก้ไข.csv", "85.50"))
    page.get_by_role("button", name="ตรวจสอบและนำเข้า").click()
    expect_message(page, "นำเข้าแล้ว: เพิ่มผลการประเมิน ๑ รายการ")
    expect(page.get_by_role("heading", name="ผลการประเมิน ITA")).to_be_visible()

    assessment = Assessment.objects.get(agency__code="bangpu", edition__fiscal_year=2564)
    assert assessment.total is not None
    with translation.override("th"):
        total = format_number(assessment.total, 2, digits="thai")
    page.get_by_role("row").filter(has_text=total).get_by_role("link", name="๒๕๖๔").click()
    expect(page.get_by_role("heading", name="ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๔")).to_be_visible()
    total_card = page.locator(".card").filter(has_text="คะแนนรวม").filter(has_text=total)
    expect(total_card).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="๘๕.๕๐")).to_have_count(1)
    assert_styled(page)
