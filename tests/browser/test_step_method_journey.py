"""On a desktop and on a 390 × 844 phone, the coordinator chooses which method a step carries out."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from measures.models import MeasurePlan
from tests.browser.conftest import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page: Page) -> None:
    width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} > {width}"


@pytest.mark.parametrize("width", [1280, 390])
def test_coordinator_chooses_a_steps_method(page: Page, width: int):
    call_command("load_demo", stdout=io.StringIO())
    plan = MeasurePlan.objects.get(agency__code="satengnok", assessment__edition__fiscal_year=2566)
    measure = plan.measures.get(number=1)
    coordinator = measure.plan.agency.memberships.filter(is_coordinator=True).first().user
    page.set_viewport_size({"width": width, "height": 844})
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(coordinator.username)
    page.get_by_label("รหัสผ่าน").fill("ita-demo-2567")
    page.get_by_label("รหัสผ่าน").press("Enter")
    page.goto(f"/measures/plans/{measure.plan_id}/measures/{measure.pk}/edit/")
    choice = page.locator("#id_steps-6-method")
    expect(choice).to_have_value("3")
    no_sideways_scroll(page)
    labels = choice.locator("option").all_inner_texts()
    assert re.match(r"^[2๒]\. จัดประชุมประจำเดือน", labels[2]), labels
    choice.select_option("2")
    page.get_by_role("button", name="บันทึกมาตรการ").click()
    expect(page.get_by_text("บันทึกมาตรการที่")).to_be_visible()
    step = measure.steps.get(order=7)
    assert step.method == 2
    item = page.locator("li", has_text=step.title)
    expect(item).to_contain_text(re.compile("วิธีการที่ [2๒]"))
    no_sideways_scroll(page)
