"""Accessibility in the browser (issue 18, WCAG 2.1 AA): axe-core on every page each demo role reaches, at 1280 px
and 390 px; the behaviours axe cannot see (selects that act only when asked, focus that shows and goes where it
should, live status, Thai marked on English pages); and a journey by keyboard alone.

axe-core is vendored for these tests only (``vendor/axe.min.js``, see ``vendor/README.md``); ``axe.py`` runs it.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ita_tracker.models import Job
from measures.models import Measure
from reports.models import Memo, SealedRecord
from tests.browser.axe import DESKTOP, PHONE, assert_accessible, audit_widths
from tests.browser.conftest import require_browser
from tests.browser.pages import ROLES, demo_job, error_pages_for, pages_for, verify_record_url

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ita-demo-2567"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def login(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(
        page.get_by_role("button", name=get_user_model().objects.get(username=username).get_full_name())
    ).to_be_visible()


# --------------------------------------------------------------------------------------------------
# axe-core on every page of every role, at both widths, in Thai and in English


def _page_problems(page: Page, label: str, *, english: bool) -> list[str]:
    """axe at 1280 and 390 px; at 390 px no sideways scroll of the whole page; on an English page, no visible
    Thai text outside an element marked lang="th"."""
    problems = audit_widths(page, label)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(120)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate(WIDEST_JS, widths[1])
        problems.append(f"{label} at 390 px: the page scrolls sideways ({widths[0]} > {widths[1]} px): {wide}")
    page.set_viewport_size(DESKTOP)
    if english:
        found = page.evaluate(THAI_OUTSIDE_LANG_TH_JS)
        if found["unmarked"]:
            problems.append(f"{label}: Thai text without lang=th on an English page: {found['unmarked'][:6]}")
    return problems


WIDEST_JS = """(limit) => {
    // Where the sideways scroll comes from: the outermost elements that reach past the viewport's right edge, and
    // text (a long code, an address) wider than the element that holds it.
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > limit + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > limit + 1)) {
            const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
            out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (cls ? '.' + cls : '') +
                     ' (' + Math.round(r.right) + ' px)');
        }
        else if (el.scrollWidth > el.clientWidth + 1 && el.children.length === 0 &&
                 getComputedStyle(el).overflowX === 'visible') {
            out.push(el.tagName.toLowerCase() + ' with text wider than itself: ' + el.textContent.trim().slice(0, 60));
        }
        if (out.length >= 4) break;
    }
    return out;
}"""


def _walk(page: Page, username: str, urls: list[str], *, english: bool) -> tuple[list[str], list[str]]:
    problems, statuses = [], []
    language = "en" if english else "th"
    for url in urls:
        response = page.goto(url)
        if response is None or response.status != 200:
            statuses.append(f"{url} ({language}): {response.status if response else 'no response'}")
            continue
        page.wait_for_load_state("load")
        problems.extend(_page_problems(page, f"{username or 'anonymous'} ({language}) {url}", english=english))
    for url, status in error_pages_for(username):
        response = page.goto(url)
        if response is None or response.status != status:
            got = response.status if response else "no response"
            statuses.append(f"{url} ({language}): {got}, expected {status}")
            continue
        problems.extend(_page_problems(page, f"{username} ({language}) {url} ({status})", english=english))
    return problems, statuses


def _verify_upload_results(page: Page) -> list[str]:
    """The public verification page after a file is checked: one that is not the sealed PDF, then the sealed one."""
    problems = []
    record = SealedRecord.objects.filter(memo__agency__code="bangpu", sealed_at__isnull=False).order_by("pk").first()
    with record.file.open("rb") as handle:
        sealed = handle.read()
    for name, data in (("other.pdf", b"%PDF-1.4\n%%EOF\n"), (f"{record.code}.pdf", sealed)):
        page.goto(verify_record_url())
        page.locator("#id_file").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": data})
        with page.expect_navigation():
            page.locator("form[enctype] button[type=submit]").click()
        english = page.evaluate("() => document.documentElement.lang") == "en"
        problems.extend(_page_problems(page, f"anonymous verify upload of {name}", english=english))
    return problems


def test_every_page_each_role_reaches_has_no_serious_axe_violation_in_thai_or_english(page: Page, demo, live_server):
    """One browser and one demo for the whole walk: each role logs in once and walks its pages in Thai, then again
    in English (the language cookie the switch sets), each at 1280 and 390 px."""
    problems, statuses = [], []
    for username in ROLES:
        page.context.clear_cookies()
        urls = pages_for(username)
        assert len(urls) >= 5, urls
        if username:
            login(page, username)
        for english in (False, True):
            page.context.add_cookies(
                [{"name": "ita_language", "value": "en" if english else "th", "url": live_server.url}]
            )
            found, wrong = _walk(page, username, urls, english=english)
            problems += found
            statuses += [f"{username or 'anonymous'} {w}" for w in wrong]
        if not username:
            problems += _verify_upload_results(page)
    assert not statuses, "pages of the walk answered otherwise than expected:\n" + "\n".join(statuses)
    assert not problems, "serious or critical accessibility problems\n" + "\n".join(problems)


# --------------------------------------------------------------------------------------------------
# What axe cannot judge


FOCUS_STYLE_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const c = [r, g, b].map(v => {
            v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    // What the ring is drawn against: the first ancestor with an opaque background, else the page's white.
    let bg = [255, 255, 255];
    for (let node = el.parentElement; node; node = node.parentElement) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) { bg = c.slice(0, 3); break; }
    }
    const ring = rgb(style.outlineColor).slice(0, 3);
    const [hi, lo] = [lum(ring), lum(bg)].sort((a, b) => b - a);
    return {
        tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') || '',
        text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
        label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : '',
        checked: !!el.checked, selected: el.selectedOptions ? el.selectedOptions[0].text : '',
        outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
        contrast: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100,
    };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUS_STYLE_JS)


def assert_focus_visible(info: dict) -> None:
    """A solid ring at least 2 px wide and 3:1 against what it is drawn on (WCAG 2.4.7, 1.4.11)."""
    assert info["outline"] not in ("none", "") and info["width"] >= 2, f"no visible focus ring: {info}"
    assert info["contrast"] >= 3, f"focus ring contrast {info['contrast']}:1 is under 3:1: {info}"


def tab_to(page: Page, matches, what: str, limit: int = 150, key: str = "Tab") -> dict:
    """Press Tab until the focused element matches, checking every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page)
        if info is None:
            continue
        assert_focus_visible(info)
        if matches(info):
            return info
    raise AssertionError(f"{what}: not reached with {limit} presses of {key}")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page: Page, demo):
    login(page, "bangpu.plan")
    page.goto("/measures/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main" and first["text"] == "ข้ามไปยังเนื้อหาหลัก", first
    expect(page.get_by_role("link", name="ข้ามไปยังเนื้อหาหลัก")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab lands inside the main content, not back in the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")


def test_current_menu_item_is_named_and_shown_by_more_than_colour(page: Page, demo):
    login(page, "bangpu.plan")
    page.goto("/measures/")
    menu = page.get_by_role("navigation").first
    current = menu.get_by_role("link", name="มาตรการ", exact=True)
    expect(current).to_have_attribute("aria-current", "page")
    expect(menu.locator("[aria-current]")).to_have_count(1)
    other = menu.get_by_role("link", name="ผลการประเมิน", exact=True)
    styles = [
        el.evaluate("e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).fontWeight]")
        for el in (current, other)
    ]
    assert styles[0][0] == "underline" and styles[1][0] != "underline", styles
    assert int(styles[0][1]) >= 700 > int(styles[1][1]), styles


def test_focus_rings_on_the_navy_menu_and_on_fields_reach_three_to_one(page: Page, demo):
    login(page, "bangpu.plan")
    page.goto("/measures/")
    info = tab_to(page, lambda i: i["tag"] == "a" and i["text"] == "ผลการประเมิน", "menu link")
    assert info["contrast"] >= 3
    page.goto(
        f"/measures/{Measure.objects.get(plan__agency__code='bangpu', plan__fiscal_year=2564, number=4).pk}/progress/"
    )
    info = tab_to(page, lambda i: i["label"].startswith("สรุปผลการดำเนินงาน"), "summary field")
    assert info["contrast"] >= 3


def test_selects_act_only_on_their_button_or_enter_not_on_an_arrow_key(page: Page, demo):
    login(page, "south.coordinator")
    page.goto("/measures/")
    switcher = page.get_by_label("หน่วยงานที่กำลังทำงาน")
    before = switcher.input_value()
    switcher.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    # The choice moved, but nothing happened: same page, still focused, same agency on the server.
    assert switcher.input_value() != before
    expect(page).to_have_url(re.compile(r"/measures/$"))
    assert page.evaluate("() => document.activeElement.id") == "agency-switch"
    page.reload()
    expect(page.get_by_label("หน่วยงานที่กำลังทำงาน")).to_have_value(before)

    language = page.get_by_label("ภาษา")
    language.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.evaluate("() => document.documentElement.lang") == "th"
    # Enter is the explicit request.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("() => document.documentElement.lang") == "en"

    # The agency switcher's own button switches.
    switcher = page.locator("#agency-switch")
    switcher.select_option(index=1 if before == switcher.locator("option").first.get_attribute("value") else 0)
    chosen = switcher.input_value()
    with page.expect_navigation():
        page.locator("form:has(#agency-switch) button[type=submit]").click()
    expect(page.locator("#agency-switch")).to_have_value(chosen)


def test_login_error_is_announced_and_tied_to_both_fields(page: Page, demo):
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("bangpu.plan")
    page.get_by_label("รหัสผ่าน").fill("not-the-password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("id", "login-error")
    for label in ("ชื่อผู้ใช้", "รหัสผ่าน"):
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", "login-error")
        expect(field).to_have_accessible_description(alert.inner_text().strip())
    assert_accessible(page, "login with an error")


def test_failed_save_focuses_an_error_summary_that_links_to_the_field(page: Page, demo):
    login(page, "bangpu.plan")
    measure = Measure.objects.get(plan__agency__code="bangpu", plan__fiscal_year=2564, number=4)
    page.goto(f"/measures/{measure.pk}/progress/")
    page.get_by_role("textbox", name="ข้อมูล ณ วันที่").fill("")
    page.get_by_role("textbox", name="สรุปผลการดำเนินงาน").fill("")
    page.get_by_role("button", name="บันทึกความก้าวหน้า").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("บันทึกไม่สำเร็จ โปรดแก้ไขรายการต่อไปนี้")
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    assert target.startswith("#id_"), target
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => '#' + document.activeElement.id") == target
    expect(page.locator(target)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "progress form after a failed save")


def test_bad_score_on_the_entry_page_is_tied_to_its_field(page: Page, demo):
    login(page, "bangpu.plan")
    page.goto("/assessments/entry/2564/")
    field = page.locator("input[data-indicator='3']")
    field.fill("101")
    page.keyboard.press("Tab")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description("คะแนนต้องเป็นตัวเลข 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง")
    field.fill("85.5")
    page.keyboard.press("Tab")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "score entry with a bad score")


def test_memo_paper_on_a_phone_is_a_named_region_the_keyboard_reaches(page: Page, demo):
    login(page, "bangpu.plan")
    # The seed's approved memo (plan year 2564; the always-current demo approves later ones too).
    memo = Memo.objects.get(agency__code="bangpu", status=Memo.Status.APPROVED, plan__fiscal_year=2564)
    # At 1280 px the paper keeps its A4 width and the named paper region scrolls sideways.
    page.goto(f"/reports/memos/{memo.pk}/")
    sheet = page.get_by_role("region", name="ตัวบันทึกข้อความ (เลื่อนซ้าย–ขวาได้)")
    assert sheet.evaluate("e => e.scrollWidth > e.clientWidth"), "the memo paper should scroll sideways at 1280 px"
    # At 390 px the paper flows to the screen; only its wide table scrolls, in a named region of its own.
    page.set_viewport_size(PHONE)
    page.reload()
    assert not sheet.evaluate("e => e.scrollWidth > e.clientWidth"), "the memo paper should flow at 390 px"
    table = sheet.get_by_role("region").first
    name = table.get_attribute("aria-label")
    assert name and name.strip(), "the memo's table region has no name"
    assert table.evaluate("e => e.scrollWidth > e.clientWidth"), "the memo's table should scroll sideways at 390 px"
    tab_to(page, lambda i: "memo-table-wrap" in (page.evaluate("() => document.activeElement.className")), "table")
    before = table.evaluate("e => e.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Keyboard scrolling is animated: wait for the region to have moved rather than reading it at once.
    page.wait_for_function("before => document.activeElement.scrollLeft > before", arg=before)


def test_job_progress_is_named_and_its_status_announced(page: Page, demo):
    login(page, "bangpu.plan")
    job = demo_job("bangpu.plan")
    page.goto(reverse("jobs:detail", args=[job.pk]))
    expect(page.get_by_role("progressbar", name="ความคืบหน้า")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("กำลังทำงาน")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, progress=100, message="ไฟล์ไม่ครบ")
    expect(status).to_contain_text("ไม่สำเร็จ")
    expect(status).to_contain_text("ไฟล์ไม่ครบ")
    expect(page.get_by_role("progressbar", name="ความคืบหน้า")).to_have_attribute("value", "100")


THAI_OUTSIDE_LANG_TH_JS = """() => {
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    let total = 0; const unmarked = [];
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!el || el.closest('script,style,template,textarea') || !el.getClientRects().length) continue;
        const thai = (node.textContent.match(/[\\u0e01-\\u0e5b]/g) || []).length;
        if (!thai) continue;
        total += thai;
        const lang = el.closest('[lang]').getAttribute('lang') || '';
        if (!lang.startsWith('th')) unmarked.push(node.textContent.trim());
    }
    return {total, unmarked};
}"""


def test_thai_data_on_english_pages_is_marked_lang_th(page: Page, demo):
    login(page, "bangpu.plan")
    page.get_by_label("ภาษา").select_option("en")
    with page.expect_navigation():
        page.locator(".language-switch button").click()
    assert page.evaluate("() => document.documentElement.lang") == "en"
    measure = Measure.objects.get(plan__agency__code="bangpu", plan__fiscal_year=2564, number=4)
    pages = (
        f"/measures/plans/{measure.plan.pk}/",
        f"/measures/{measure.pk}/",
        "/measures/",
        "/reports/",
        "/agencies/",
    )
    for url in (*pages, "/assessments/", "/"):
        page.goto(url)
        found = page.evaluate(THAI_OUTSIDE_LANG_TH_JS)
        assert found["unmarked"] == [], (
            f"{url}: Thai text without lang=th on an English page: {found['unmarked'][:10]}"
        )
        if url.startswith("/measures/plans/"):
            assert found["total"] > 500, found  # the plan's Thai measures are there, marked


# --------------------------------------------------------------------------------------------------
# By keyboard alone: progress recorded, then the memo approved through its two steps


def keyboard_login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    tab_to(page, lambda i: i["id"] == "id_username", "username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(
        page.get_by_role("button", name=get_user_model().objects.get(username=username).get_full_name())
    ).to_be_visible()


def follow(page: Page, matches, what: str) -> None:
    tab_to(page, matches, what)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page: Page, option: str, key: str = "ArrowDown", limit: int = 12) -> None:
    """Move a focused select or radio group with the arrow keys until the wanted option is chosen."""
    for _ in range(limit):
        info = focused(page)
        if info["selected"] == option or (info["checked"] and info["label"] == option):
            return
        page.keyboard.press(key)
    raise AssertionError(f"could not choose {option!r} with {key}")


def keyboard_decide(page: Page, username: str, memo: Memo, decision: str, comment: str) -> None:
    keyboard_login(page, username)
    follow(page, lambda i: i["tag"] == "a" and i["text"].startswith("บันทึกและรายงาน"), "menu: memos")
    follow(page, lambda i: i["href"].endswith(f"/reports/memos/{memo.pk}/"), "the memo in the inbox")
    tab_to(page, lambda i: i["tag"] == "input" and i["checked"], "the decision radios")
    choose(page, decision)
    tab_to(page, lambda i: i["label"].startswith("ความเห็น"), "comment")
    page.keyboard.type(comment)
    tab_to(page, lambda i: i["text"] == "บันทึกความเห็น", "save button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_keyboard_only_progress_then_memo_approval(page: Page, demo):
    measure = Measure.objects.get(plan__agency__code="bangpu", plan__fiscal_year=2564, number=4)
    summary = "ประชุมชี้แจงหลักเกณฑ์การยืมทรัพย์สินแล้ว"

    keyboard_login(page, "bangpu.finance")
    follow(page, lambda i: i["tag"] == "a" and i["text"] == "มาตรการ", "menu: measures")
    follow(page, lambda i: i["href"].endswith(f"/measures/plans/{measure.plan.pk}/"), "plan 2564")
    follow(page, lambda i: i["href"].endswith(f"/measures/{measure.pk}/"), "measure 4")
    follow(page, lambda i: i["text"] == "รายงานความก้าวหน้า", "report progress")
    tab_to(page, lambda i: i["label"].startswith("ข้อมูล ณ วันที่"), "date")
    page.keyboard.press("Control+A")
    page.keyboard.type("15/3/2564")
    tab_to(page, lambda i: i["tag"] == "select" and i["label"].startswith("สถานะ"), "status")
    choose(page, "อยู่ระหว่างดำเนินการ", "ArrowUp")
    tab_to(page, lambda i: i["label"].startswith("ความก้าวหน้า"), "percent")
    page.keyboard.press("Control+A")
    page.keyboard.type("70")
    tab_to(page, lambda i: i["label"].startswith("สรุปผลการดำเนินงาน"), "summary")
    page.keyboard.type(summary)
    tab_to(page, lambda i: i["text"] == "บันทึกความก้าวหน้า", "save button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.get_by_role("alert").filter(has_text="บันทึกความก้าวหน้าของมาตรการที่ ๔ แล้ว")).to_be_visible()
    assert measure.updates.filter(summary=summary, percent=70, status="in_progress", reported_on__year=2021).exists()

    # หนองเสม็ด's pending memo: the ปลัด agrees, the mayor approves, each by keyboard only.
    memo = Memo.objects.get(agency__code="nongsamet", plan__fiscal_year=2567, status=Memo.Status.PENDING)
    keyboard_decide(page, "nongsamet.palat", memo, "เห็นชอบ", "เห็นควรเสนอนายกฯ")
    expect(page.get_by_role("alert").filter(has_text="บันทึกความเห็นแล้ว ส่งต่อขั้นถัดไป")).to_be_visible()
    keyboard_decide(page, "nongsamet.mayor", memo, "อนุมัติ", "อนุมัติ")
    expect(page.get_by_role("alert").filter(has_text="บันทึกได้รับการอนุมัติครบทุกขั้นแล้ว")).to_be_visible()
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
