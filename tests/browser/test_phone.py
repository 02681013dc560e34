"""On a phone (390 × 844): a staff member records progress with a photo from the camera field, and an approver
reads a memo and decides it from the link at the top. No page scrolls sideways
(``document.documentElement.scrollWidth <= window.innerWidth``). The lists a new user walks through (memos, the
plan, its timeline, the scores) read on the phone without a column squeezed to a few letters or cut off at the
right; at desktop width the menu of a coordinator of several agencies keeps its words whole."""

from __future__ import annotations

import io
import itertools
import re

import pytest
from django.core.management import call_command
from PIL import Image

from assessments.models import Assessment
from ita_tracker import thai
from measures.models import Evidence, Measure, MeasurePlan
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


# How many lines an element's text takes: its boxes (text fragments, badges) sorted top-down, a new line wherever a
# box starts below the bottom of the line before (a badge beside the text is on the same line).
LINES_JS = """e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  let lines = 0, bottom = -Infinity;
  for (const box of [...range.getClientRects()].filter(b => b.width > 0).sort((a, b) => a.top - b.top)) {
    if (box.top >= bottom - 1) { lines += 1; bottom = box.bottom; } else { bottom = Math.max(bottom, box.bottom); }
  }
  return lines;
}"""

# What the reader cannot see of a table: each visible piece of text in its body that reaches past the window's edge.
CUT_OFF_JS = """table => [...table.querySelectorAll("tbody *")]
  .filter(e => e.checkVisibility() && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth + 0.5; })
  .map(e => e.textContent.trim())"""


def lines(locator) -> int:
    return locator.evaluate(LINES_JS)


def nothing_cut_off(table) -> None:
    hidden = table.evaluate(CUT_OFF_JS)
    assert not hidden, f"cut off at the right of the screen: {hidden}"


def on_screen(locator, what: str) -> None:
    """Each element the locator finds (at least one) lies within the window's width."""
    width = locator.page.viewport_size["width"]
    assert locator.count(), f"{what} is not shown"
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{what} is off screen: {box}"


def login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    no_sideways_scroll(page)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def open_as(page: Page, username: str, path: str) -> None:
    """Log in as ``username``, open ``path``, and check the page does not scroll sideways."""
    login(page, username)
    page.goto(path)
    no_sideways_scroll(page)


def photo(path) -> bytes:
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "JPEG")
    return path.read_bytes()


def test_staff_record_progress_with_a_photo_and_an_approver_decides_on_a_phone(phone: Page, demo, tmp_path):
    page = phone
    measure = Measure.objects.get(plan__agency__code="bangpu", plan__fiscal_year=2564, number=4)
    picture = tmp_path / "ป้ายประกาศ.jpg"
    content = photo(picture)

    open_as(page, "bangpu.finance", "/measures/mine/?year=2564")
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
    # The measure is done at the year's end: a mid-year report says it was in progress (done at 70 % is refused).
    page.get_by_role("combobox", name="สถานะ").select_option(label="อยู่ระหว่างดำเนินการ")
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
    open_as(page, "bangpu.head", "/reports/")
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


def test_memo_list_on_a_phone_shows_each_subject_on_full_lines_with_its_number_date_and_status(phone: Page, demo):
    page = phone
    login(page, "bangpu.plan")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/reports/")
        no_sideways_scroll(page)
        memos = list(Memo.objects.filter(agency__code="bangpu"))
        assert len(memos) >= 4
        for memo in memos:
            link = page.get_by_role("link", name=thai.thai_digits(memo.subject), exact=True)
            # Squeezed beside five columns, a subject took a line for every two or three letters.
            assert link.bounding_box()["width"] >= 240, f"{memo.subject} is squeezed at {width} px"
            assert lines(link) <= 3, f"{memo.subject} breaks into {lines(link)} lines at {width} px"
            row = page.get_by_role("row").filter(has=link)
            status = row.get_by_text(memo.get_status_display()).filter(visible=True)
            on_screen(status, f"the status of {memo.subject}")
            if memo.running_number:
                on_screen(row.get_by_text(thai.thai_digits(memo.number)).filter(visible=True), "the memo's number")
            if memo.date:
                date = thai.format_date(memo.date, "abbr")
                on_screen(row.get_by_text(date).filter(visible=True), f"the date of {memo.subject}")
        nothing_cut_off(page.get_by_role("table"))


def this_years_plan() -> tuple[MeasurePlan, list[Measure]]:
    plan = MeasurePlan.objects.filter(agency__code="bangpu").order_by("-fiscal_year").first()
    return plan, list(plan.measures.order_by("number"))


def test_plan_on_a_phone_shows_each_measure_with_its_status_percent_and_timeliness(phone: Page, demo):
    page = phone
    plan, measures = this_years_plan()
    open_as(page, "bangpu.plan", f"/measures/plans/{plan.pk}/")
    table = page.get_by_role("table").filter(has_text="ความตรงเวลา")
    for measure in measures:
        link = page.get_by_role("link", name=re.compile(rf"^\({thai.thai_digits(measure.number)}\) "))
        assert lines(link) <= 3, f"measure {measure.number} runs to {lines(link)} lines"
        row = table.get_by_role("row").filter(has=link)
        on_screen(row.get_by_text(measure.get_status_display()).filter(visible=True), "the measure's status")
        assert row.locator(".badge").filter(visible=True).count() == 2, "status and timeliness are not both shown"
    nothing_cut_off(table)


def test_timeline_on_a_phone_names_months_apart_and_measures_on_few_lines(phone: Page, demo):
    page = phone
    plan, measures = this_years_plan()
    # Twelve month names in a phone's width ran into one smear: the ones shown stand apart.
    open_as(page, "bangpu.plan", f"/measures/plans/{plan.pk}/timeline/")
    months = page.locator(".timeline-months text").filter(visible=True)
    boxes = sorted((months.nth(i).bounding_box() for i in range(months.count())), key=lambda box: box["x"])
    assert len(boxes) >= 4, "the timeline names fewer than four months"
    for left, right in itertools.pairwise(boxes):
        assert left["x"] + left["width"] + 4 <= right["x"], f"month names overlap: {left} {right}"
    for measure in measures:
        name = page.get_by_role("link", name=re.compile(rf"^\({thai.thai_digits(measure.number)}\) "))
        assert lines(name) <= 3, f"measure {measure.number} runs to {lines(name)} lines on the timeline"


def test_scores_on_a_phone_show_total_level_and_analysis(phone: Page, demo):
    page = phone
    open_as(page, "bangpu.plan", "/assessments/")
    table = page.get_by_role("table")
    for assessment in Assessment.objects.filter(agency__code="bangpu"):
        year = page.get_by_role("link", name=thai.thai_digits(assessment.edition.fiscal_year), exact=True)
        row = table.get_by_role("row").filter(has=year)
        on_screen(row.get_by_role("link", name="การวิเคราะห์"), "the link to the analysis")
        on_screen(row.get_by_text(assessment.display_level, exact=True).filter(visible=True), "the level")
    nothing_cut_off(table)


def test_menu_items_keep_whole_words_at_desktop_width_for_a_coordinator_of_several_agencies(page: Page, demo):
    open_as(page, "south.coordinator", "/")
    menu = page.get_by_role("navigation").first
    for name in ("หน้าหลัก", "ผลการประเมิน", "มาตรการ", "ข้อมูล OIT", "บันทึกและรายงาน", "หน่วยงาน"):
        item = menu.get_by_role("link", name=re.compile(rf"^{name}"))
        assert lines(item) == 1, f"the menu item {name} breaks over {lines(item)} lines"


def test_agency_switcher_shows_the_whole_agency_name_at_desktop_width(page: Page, demo):
    login(page, "south.coordinator")
    page.goto("/")
    switcher = page.get_by_label("หน่วยงานที่กำลังทำงาน")
    agency = switcher.evaluate("e => e.selectedOptions[0].textContent")
    assert switcher.get_attribute("title") == agency
    # The select shows the whole name: its text fits between its paddings (the right one holds the arrow).
    room, needed = switcher.evaluate("""e => {
      const style = getComputedStyle(e), ctx = document.createElement("canvas").getContext("2d");
      ctx.font = style.font;
      return [e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
              ctx.measureText(e.selectedOptions[0].textContent).width];
    }""")
    assert needed <= room, f"the switcher cuts {agency}: {needed:.0f} px of text in {room:.0f} px"


def test_chart_axes_are_in_the_pages_digits_zero_included(phone: Page, demo):
    """Chart.js writes a zero tick as "0" whatever the locale: the plan's status chart read ๒, ๑, 0."""
    page = phone
    plan, _measures = this_years_plan()
    open_as(page, "bangpu.plan", f"/measures/plans/{plan.pk}/")
    page.wait_for_load_state("load")
    ticks = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".map(c => Chart.getChart(c)).filter(Boolean).map(chart => chart.scales.y.ticks.map(t => String(t.label)))"
    )
    assert ticks and all(ticks), ticks
    labels = [label for axis in ticks for label in axis]
    assert "๐" in labels and not any(re.search("[0-9]", label) for label in labels), labels
