"""Journey (issue 15): approvers set up an authenticator app on their security page, approve หนองเสม็ด's
pending memo with its codes, and anyone checks the sealed result on the public verification page. The test
computes the codes from the secret the page shows, as the phone's app would."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from reports.models import Memo, SealedRecord
from tests.browser.conftest import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

from tests.browser.test_journeys import demo, expect_message, login, logout, menu  # noqa: E402, F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, *, ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret`` (``ahead`` windows of 30 s later: django-otp takes no
    code twice, and the current one was used to confirm the set-up)."""
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    token = TOTP(key, step=30, t0=0, digits=6, drift=ahead)
    return f"{token.token():06d}"


def set_up_authenticator(page: Page, username: str) -> str:
    user_name = page.locator(".navbar .dropdown-toggle").first
    user_name.click()
    page.get_by_role("link", name="ยืนยันตัวตนสองขั้น").click()
    expect(page.get_by_role("heading", name="ยืนยันตัวตนสองขั้น")).to_be_visible()
    page.get_by_role("button", name="ตั้งค่าแอปยืนยันตัวตน").click()
    expect(page.get_by_role("heading", name="สแกนคิวอาร์โค้ดด้วยแอปยืนยันตัวตน")).to_be_visible()
    expect(page.locator(".identity-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("รหัส ๖ หลักที่แอปแสดง").fill(app_code(secret))
    page.get_by_role("button", name="ยืนยันการตั้งค่า").click()
    expect_message(page, "ตั้งค่าแอปยืนยันตัวตนแล้ว")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    return secret


def decide_with_code(page: Page, memo: Memo, decision: str, code: str, after: str) -> None:
    page.goto(memo.get_absolute_url())
    expect(page.get_by_role("heading", name="รอท่านพิจารณา")).to_be_visible()
    page.get_by_role("radio", name=decision, exact=True).check()
    page.get_by_label("ความเห็น").fill("เห็นควรอนุมัติ")
    page.get_by_label("รหัสยืนยันตัวตน").fill(code)
    page.get_by_role("button", name="บันทึกความเห็น").click()
    expect_message(page, after)


def test_approvers_set_up_totp_and_approve_with_it(page: Page, demo):  # noqa: F811
    memo = Memo.objects.get(agency__code="nongsamet", plan__fiscal_year=2567)  # seed 003, waiting at step 1
    assert memo.status == Memo.Status.PENDING

    login(page, "nongsamet.palat")
    secret = set_up_authenticator(page, "nongsamet.palat")
    # A wrong code records nothing.
    decide_with_code(page, memo, "เห็นชอบ", "000000", "รหัสยืนยันตัวตนไม่ถูกต้อง")
    page.wait_for_timeout(1200)  # django-otp refuses every code for a second after a wrong one (doubling after each)
    decide_with_code(page, memo, "เห็นชอบ", app_code(secret, ahead=1), "บันทึกความเห็นแล้ว")
    logout(page, "nongsamet.palat")

    login(page, "nongsamet.mayor")
    secret = set_up_authenticator(page, "nongsamet.mayor")
    decide_with_code(page, memo, "อนุมัติ", app_code(secret, ahead=1), "บันทึกได้รับการอนุมัติครบทุกขั้นแล้ว")
    sealed = page.locator("#sealed-card")
    expect(sealed).to_contain_text("ไฟล์ที่อนุมัติและประทับตราแล้ว")
    record = SealedRecord.objects.get(memo=memo)
    assert record.is_sealed
    # The memo page shows the typed-name sign-off with its mark.
    expect(page.locator(".memo-sign-mark").filter(has_text="ยืนยันตัวตนแล้ว (TOTP)")).to_have_count(2)

    # Anyone follows the code to the verification page.
    sealed.get_by_role("link", name=record.code).click()
    expect(page.get_by_role("heading", name="ตรวจสอบบันทึกข้อความอิเล็กทรอนิกส์")).to_be_visible()
    decisions = page.locator("#verify-decisions")
    expect(decisions).to_contain_text("นายสุรชัย เจริญผล")
    expect(decisions).to_contain_text("นายบุญเลิศ ศรีตราด")
    expect(decisions.get_by_text("ยืนยันตัวตนด้วยรหัสจากแอปยืนยันตัวตน")).to_have_count(2)
    expect(page.locator("#verify-hash")).to_have_text(record.sha256)
    assert menu(page) is not None
