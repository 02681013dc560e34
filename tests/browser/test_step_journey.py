"""On a 390 × 844 phone, staff tick a step of their division's measure done with a photo (issue 13)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from agencies.models import Membership
from measures.models import Measure, MeasureStep
from tests.browser.conftest import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

from tests.measures.test_library import png_bytes  # noqa: E402

PHOTO = png_bytes()  # a real image: evidence images are decoded and checked by their pixel count


def no_sideways_scroll(page: Page) -> None:
    width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} > {width}"


def test_staff_tick_a_step_done_with_a_photo_on_a_phone(page: Page):
    call_command("load_demo", stdout=io.StringIO())
    finance = Membership.objects.get(user__username="bangpu.finance")
    measure = Measure.objects.filter(plan__agency=finance.agency).order_by("number").first()
    step = MeasureStep.objects.create(
        measure=measure, order=99, title="ส่งรายงานการใช้จ่ายงบประมาณ", department=finance.department
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("bangpu.finance")
    page.get_by_label("รหัสผ่าน").fill("ita-demo-2567")
    page.get_by_label("รหัสผ่าน").press("Enter")
    page.goto(f"/measures/mine/?year={measure.plan.fiscal_year}")
    no_sideways_scroll(page)
    page.get_by_role("link", name="บันทึกว่าเสร็จ").first.click()
    expect(page.get_by_role("heading", name="บันทึกว่าขั้นตอนเสร็จ")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("textbox", name="เสร็จเมื่อ").fill("15/3/2564")
    page.get_by_label("บันทึก", exact=True).fill("ส่งแล้วตามกำหนด")
    page.get_by_label("หลักฐาน (ไฟล์หรือรูปถ่าย)").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    page.get_by_role("button", name="บันทึกว่าเสร็จ").click()
    expect(page.get_by_text("ส่งแล้วตามกำหนด", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="photo.png").first).to_be_visible()
    no_sideways_scroll(page)
    step.refresh_from_db()
    assert step.completed_on == date(2021, 3, 15) and step.done_by == finance.user
