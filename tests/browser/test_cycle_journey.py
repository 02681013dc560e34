"""The year's cycle in the browser (issue 12, "Done when"): a coordinator enters the ITA 2569 results of their
agency, reads the analysis, drafts the 2570 plan from it and downloads the annual ZIP, with nothing but the browser.

The demo is loaded for 29 November 2026 (fiscal year 2570), the day the issue was tried on. It gives every seed
agency a cycle in progress; ช่อระกา is turned back to the start of the year (no 2569 result, no 2570 plan, none of
their memos) so that its coordinator meets the cycle as a new user does: the dashboard's checklist says the
results are missing and links to the score entry. Every step from there is a click or a keystroke in Chromium;
the database is only read afterwards, to check that what the pages said was saved is saved. Jobs run as the browser
tests configure them (``JOBS_BACKEND=inline``, tests/conftest.py): the job page is reached after the ZIP is built.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Q

from assessments.models import Assessment
from ita_tracker.thai import thai_digits
from measures.models import MeasurePlan
from reports.models import Memo
from tests.browser.axe import assert_accessible
from tests.browser.conftest import require_browser

require_browser()

from playwright.sync_api import Page, expect  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "ita-demo-2567"
TODAY = date(2026, 11, 29)  # fiscal year 2570
AGENCY = "chorakha"
COORDINATOR = "chorakha.plan"
# The indicator scores of seed 004 (เทศบาลเมืองสะเตงนอก's analysis): 7 and 10 fall below the default bands.
SCORES = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]


@pytest.fixture
def start_of_cycle(transactional_db, settings):
    """The demo on 29 November 2026, with ช่อระกา back at the start of the year's cycle."""
    settings.ITA_TODAY = TODAY
    call_command("load_demo", today=TODAY, stdout=io.StringIO())
    Memo.objects.filter(agency__code=AGENCY).filter(
        Q(plan__fiscal_year=2570) | Q(assessment__edition__fiscal_year=2569)
    ).delete()
    MeasurePlan.objects.filter(agency__code=AGENCY, fiscal_year=2570).delete()
    Assessment.objects.filter(agency__code=AGENCY, edition__fiscal_year=2569).delete()


def flat(text: str) -> str:
    """For comparing text across line breaks and digit styles."""
    return re.sub(r"\s+", "", text).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))


def checked(page: Page, label: str) -> None:
    """The page is styled with no failed static file, and axe-core finds nothing serious at 1280 and 390 px."""
    broken = [r for r in page.bad_responses if "/static/" in r]
    assert not broken, f"{label}: static files failed to load: {broken}"
    assert_accessible(page, label)


def thai(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def step(page: Page, key: str):
    """One step of the dashboard's checklist of the year."""
    return page.locator(f".cycle-step[data-step='{key}']")


def test_coordinator_runs_the_2570_cycle_from_scores_to_the_annual_zip(page: Page, start_of_cycle, tmp_path):
    # Log in: the dashboard's checklist says the 2569 results are missing, with the link that enters them.
    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(COORDINATOR)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="งาน ITA ประจำปีงบประมาณ ๒๕๗๐")).to_be_visible()
    results_step = step(page, "results")
    expect(results_step).to_have_attribute("data-state", re.compile("open|overdue"))
    expect(results_step).to_contain_text("ยังไม่ได้บันทึก")
    checked(page, "dashboard before the results")
    results_step.get_by_role("link", name="บันทึกคะแนน").click()

    # Type the ten indicator scores; the page previews the total as one types, the server saves it.
    expect(page.get_by_role("heading", name="บันทึกผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๙")).to_be_visible()
    expect(page.locator("input[data-indicator]")).to_have_count(len(SCORES))
    for number, score in enumerate(SCORES, start=1):
        page.get_by_role("textbox", name=re.compile(rf"^{thai(number)}\. ")).fill(score)
    expect(page.locator("[data-total]")).not_to_have_text("—")
    checked(page, "score entry 2569, filled in")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="บันทึกผลการประเมินปี ๒๕๖๙ แล้ว")).to_be_visible()
    expect(page.get_by_role("heading", name="ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๙")).to_be_visible()
    assessment = Assessment.objects.get(agency__code=AGENCY, edition__fiscal_year=2569)
    assert [str(s.score) for s in assessment.indicator_scores.order_by("indicator__number")] == SCORES
    assert assessment.total is not None
    expect(page.get_by_role("row").filter(has_text="๗๓.๕๐")).to_have_count(1)
    checked(page, "result 2569")

    # The analysis: every indicator with its band; 7 and 10 (below 85) call for measures.
    page.get_by_role("link", name="การวิเคราะห์").click()
    expect(page.get_by_role("heading", name=re.compile("รายงานการวิเคราะห์ผลการประเมิน.*๒๕๖๙"))).to_be_visible()
    row_7 = page.get_by_role("row").filter(has_text="๗๓.๕๐")
    expect(row_7).to_contain_text("แก้ไขเร่งด่วน")
    expect(page.get_by_role("row").filter(has_text="๑๐๐.๐๐").first).to_contain_text("รักษาระดับ")
    checked(page, "analysis 2569")

    # Back on the dashboard the results are done and the plan is the next step: start it from the analysis.
    page.goto("/")
    expect(step(page, "results")).to_have_attribute("data-state", "done")
    step(page, "plan_drafted").get_by_role("link", name="เริ่มแผนจากผลการวิเคราะห์").click()
    expect(page.get_by_role("heading", name="สร้างแผนมาตรการประจำปี")).to_be_visible()
    checked(page, "plans, before the 2570 plan")
    page.get_by_role("combobox", name="ปีงบประมาณ").select_option("2570")
    expect(page.get_by_role("radio", name=re.compile("ร่างมาตรการจากผลการวิเคราะห์ปีก่อน"))).to_be_checked()
    page.get_by_role("button", name="สร้างแผน").click()

    # The drafting page: proposals for the weak indicators, ticked and assigned by default; accept them.
    expect(page.get_by_role("heading", name="ร่างมาตรการจากผลการวิเคราะห์")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="สร้างแผนมาตรการปี ๒๕๗๐ แล้ว")).to_be_visible()
    picked = page.locator("input[name='pick']:checked")
    expect(picked.first).to_be_visible()
    n_picked = picked.count()
    assert n_picked >= 1
    checked(page, "drafting the 2570 plan")
    page.get_by_role("button", name="เพิ่มมาตรการที่เลือก").click()

    # The plan page lists the measures, each with its owner; every measure has steps.
    expect(page.get_by_role("alert").filter(has_text=f"เพิ่มมาตรการ {thai_digits(n_picked)} มาตรการ")).to_be_visible()
    plan = MeasurePlan.objects.get(agency__code=AGENCY, fiscal_year=2570)
    assert plan.assessment_id == assessment.pk
    measures = list(plan.measures.order_by("number"))
    assert len(measures) == n_picked
    rows = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("link"))
    expect(rows).to_have_count(n_picked)
    for measure in measures:
        assert measure.steps.exists(), f"measure {measure.number} has no steps"
        row = rows.filter(has_text=f"({thai(measure.number)})")
        expect(row).to_have_count(1)
        owner = row.get_by_role("cell").nth(1)
        expect(owner).not_to_be_empty()
        assert owner.inner_text().strip() not in ("", "—"), f"measure {measure.number} has no owner on the page"
    checked(page, "plan 2570 with its measures")

    # One measure's page shows its steps.
    rows.first.get_by_role("link").click()
    first_steps = list(measures[0].steps.order_by("order").values_list("title", flat=True))
    expect(page.get_by_text(first_steps[0]).first).to_be_visible()
    checked(page, "a measure of the 2570 plan")
    page.go_back()

    # The annual ZIP from the plan's documents menu: the job page shows it finished and offers the file.
    page.get_by_role("button", name="เอกสาร").click()
    page.get_by_role("button", name="เอกสารทั้งหมดของปีนี้ (ZIP, ทำงานเบื้องหลัง)").click()
    expect(page.get_by_role("heading", name="ชุดเอกสารประจำปีของหน่วยงาน (ZIP)")).to_be_visible()
    expect(page.locator("[data-job-status]")).to_have_text("เสร็จแล้ว")
    expect(page.get_by_role("progressbar", name="ความคืบหน้า")).to_have_attribute("value", "100")
    download_link = page.get_by_role("link", name="ดาวน์โหลด")
    expect(download_link).to_be_visible()
    checked(page, "the ZIP's job page, finished")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.failure() is None
    archive_path = tmp_path / (download.suggested_filename or "documents.zip")
    download.save_as(archive_path)
    assert archive_path.suffix == ".zip"

    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        plan_pdf, analysis_pdf = f"plan-{AGENCY}-2570.pdf", f"analysis-{AGENCY}-2569.pdf"
        expected = {plan_pdf, f"results-{AGENCY}-2570.pdf", analysis_pdf}
        assert expected <= set(names), names
        assert {n.replace(".pdf", ".xlsx") for n in expected} <= set(names), names
        for name in expected:
            assert archive.read(name).startswith(b"%PDF"), name
        if shutil.which("pdftotext"):
            texts = {}
            for name in (plan_pdf, analysis_pdf):
                path = tmp_path / name
                path.write_bytes(archive.read(name))
                texts[name] = flat(
                    subprocess.run(
                        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
                    ).stdout
                )
            assert flat(measures[0].title)[:20] in texts[plan_pdf], "the plan PDF does not list the first measure"
            assert "2570" in texts[plan_pdf]
            assert "73.50" in texts[analysis_pdf], "the analysis PDF does not show indicator 7's score"
            assert "2569" in texts[analysis_pdf]
