"""On a phone (390 × 844): a staff member records progress with a photo from the camera field, and an approver
reads a memo and decides it from the link at the top. No page scrolls sideways
(``document.documentElement.scrollWidth <= window.innerWidth``)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from PIL import Image

from measures.models import Evidence, Measure
from reports.models import ApprovalChain, Memo
from reports.services import memo_create
from reports.workflow import memo_transition
from tests.browser.conftest import TIMEOUT_MS, require_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

PASSWORD = "ita-demo-2567"


@pytest.fixture
def phone(browser, live_server):
    context = browser.get().new_context(
        base_url=live_server.url,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} px in a {width[1]} px window"


def login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    no_sideways_scroll(page)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def photo(path) -> bytes:
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "JPEG")
    return path.read_bytes()


def test_staff_record_progress_with_a_photo_and_an_approver_decides_on_a_phone(phone: Page, demo, tmp_path):
    page = phone
    measure = Measure.objects.get(plan__agency__code="bangpu", plan__fiscal_year=2564, number=4)
    picture = tmp_path / "ป้ายประกาศ.jpg"
    content = photo(picture)

    login(page, "bangpu.finance")
    page.goto("/measures/mine/?year=2564")
    no_sideways_scroll(page)
    row = page.locator(".list-group-item").filter(has=page.get_by_role("link", name=measure.title[:40]))
    row.get_by_role("link", name="รายงานความก้าวหน้า").click()
    expect(page.get_by_role("heading", name="รายงานความก้าวหน้า")).to_be_visible()
    no_sideways_scroll(page)
    camera = page.get_by_label("ถ่ายภาพหลักฐาน")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    # The date from the Thai calendar: Thai months, BE years in Thai digits.
    date_field = page.get_by_role("textbox", name="ข้อมูล ณ วันที่")
    # The calendar's script binds at load: on a loaded machine a click before it did nothing (seen once).
    page.wait_for_load_state("load")
    date_field.locator("xpath=..").get_by_role("button", name="เลือกวันที่").click()
    calendar = page.get_by_role("dialog", name="ปฏิทิน")
    calendar.get_by_role("combobox", name="ปี พ.ศ.").select_option(label="๒๕๖๔")
    calendar.get_by_role("combobox", name="เดือน").select_option(label="มีนาคม")
    expect(calendar.get_by_role("columnheader", name="พฤ")).to_be_visible()
    calendar.get_by_role("button", name="๑๕ มีนาคม ๒๕๖๔").click()
    expect(calendar).to_have_count(0)
    expect(date_field).to_have_value("15/3/2564")
    page.get_by_role("spinbutton", name="ความก้าวหน้า (ร้อยละ)").fill("70")
    page.get_by_role("textbox", name="สรุปผลการดำเนินงาน").fill("ติดประกาศหลักเกณฑ์แล้ว (ภาพถ่าย)")
    camera.set_input_files(picture)
    page.get_by_role("button", name="บันทึกความก้าวหน้า").click()
    expect(page).to_have_url(re.compile(rf"/measures/{measure.pk}/$"))
    no_sideways_scroll(page)
    stored = Evidence.objects.get(update__measure=measure, original_name=picture.name)
    assert stored.file.read() == content and stored.content_type == "image/jpeg"

    # A memo waits for the head of office; on the phone they open it from the inbox and decide from the top.
    chain = ApprovalChain.objects.get(agency__code="bangpu", is_default=True)
    author = chain.agency.memberships.get(user__username="bangpu.plan").user
    memo = memo_create(
        agency=chain.agency,
        author=author,
        fields={"kind": "free", "department": chain.agency.departments.first(), "chain": chain,
                "subject": "ขอความเห็นชอบรายงานผลการดำเนินการตามมาตรการ (ทดสอบบนโทรศัพท์)", "addressee": "นายก",
                "body": "เรียนเพื่อโปรดพิจารณา " * 40},
    )  # fmt: skip
    memo_transition(memo=memo, action=Memo.Action.SUBMIT, by=author)
    login(page, "bangpu.head")
    page.goto("/reports/")
    no_sideways_scroll(page)
    page.get_by_role("link").filter(has_text="ทดสอบบนโทรศัพท์").first.click()
    expect(page).to_have_url(re.compile(rf"/reports/memos/{memo.pk}/$"))
    no_sideways_scroll(page)
    jump = page.get_by_role("link", name="พิจารณาบันทึกนี้")
    box = jump.bounding_box()
    assert box is not None and box["y"] < 844, "the decision is not reachable from the top of the memo"
    jump.click()
    decision = page.locator("#decision")
    expect(decision).to_be_in_viewport()
    page.get_by_role("radio", name="เห็นชอบ", exact=True).check()
    page.get_by_label("ความเห็น").fill("เห็นชอบตามเสนอ")
    page.get_by_role("button", name="บันทึกความเห็น").click()
    expect(page.get_by_role("alert").filter(has_text="บันทึกความเห็นแล้ว")).to_be_visible()
    no_sideways_scroll(page)
    memo.refresh_from_db()
    assert memo.current_step == 2 and memo.steps.get(order=1).comment == "เห็นชอบตามเสนอ"
