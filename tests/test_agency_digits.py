"""The agency's choice of digits (Agency.use_thai_digits) rules what its people see on Thai pages: flash messages,
select options, chart data and public pages; English pages keep Arabic digits whatever the agency chose."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.frameworks import load_all
from assessments.models import FrameworkEdition
from ita_tracker import clock
from ita_tracker.thai import fiscal_year, thai_digits
from tests.assessments.test_views import SATENG_NOK_2566, save

pytestmark = pytest.mark.django_db

THAI_DIGIT = re.compile("[๐-๙]")


def _as(client, user, language="th"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def _chart(content: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', content, re.S)
    assert match, chart_id
    return json.loads(match.group(1))


@pytest.fixture
def analysis_url(agency_a):
    load_all()
    editions = {e.fiscal_year: e for e in FrameworkEdition.objects.all()}
    save(agency_a, editions[2565], SATENG_NOK_2566)
    current = save(agency_a, editions[2566], SATENG_NOK_2566)
    return reverse("assessments:analysis", args=[current.pk])


@pytest.mark.parametrize(
    ("thai_choice", "language", "labels", "year", "locale"),
    [
        (True, "th", ["๑", "๒", "๓"], "๒๕๖๖", "th-TH-u-nu-thai"),
        (False, "th", ["1", "2", "3"], "2566", "th-TH"),
        (True, "en", ["1", "2", "3"], "2566", "en-GB"),
    ],
)
def test_chart_data_follows_the_agency_and_the_language(
    client, coordinator_a, agency_a, analysis_url, thai_choice, language, labels, year, locale
):
    agency_a.use_thai_digits = thai_choice
    agency_a.save()
    _as(client, coordinator_a, language)
    content = client.get(analysis_url).content.decode()
    indicators = _chart(content, "chart-indicators")
    # The indicator numbers under the bars, the year of each series in the legend, and the values on the axis and
    # in the tooltips (Chart.js writes them in the locale's digits).
    assert indicators["labels"][:3] == labels
    assert indicators["datasets"][0]["label"] == year
    assert indicators["locale"] == locale
    assert _chart(content, "chart-history")["labels"][-1] == year


@pytest.mark.parametrize("thai_choice", [True, False])
def test_a_flash_message_writes_its_year_in_the_agencys_digits(client, coordinator_a, agency_a, thai_choice):
    agency_a.use_thai_digits = thai_choice
    agency_a.save()
    _as(client, coordinator_a)
    year = fiscal_year(clock.today())
    response = client.post(reverse("measures:plan_create"), {"fiscal_year": year, "start_from": "empty"}, follow=True)
    shown = thai_digits(year) if thai_choice else str(year)
    assert f"สร้างแผนมาตรการปี {shown} แล้ว" in response.content.decode()


@pytest.mark.parametrize("thai_choice", [True, False])
def test_an_agencys_public_page_follows_its_choice_for_anyone(client, agency_a, thai_choice):
    agency_a.use_thai_digits = thai_choice
    agency_a.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    content = client.get(reverse("public:evidence", args=[agency_a.code, 2567])).content.decode()
    visible = re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", content, flags=re.S)
    assert ("๒๕๖๗" in visible) is thai_choice
    assert ("2567" in visible) is not thai_choice


def test_select_options_and_date_picker_follow_the_agency(client, coordinator_a, agency_a):
    agency_a.use_thai_digits = False
    agency_a.save()
    _as(client, coordinator_a)
    content = client.get(reverse("measures:index")).content.decode()
    year = fiscal_year(clock.today())
    # The year select offers 2570, not ๒๕๗๐; the calendar script reads the page's digits from <html>.
    assert re.search(rf'<option value="{year}"[^>]*>{year}</option>', content)
    assert 'data-digits="arabic"' in content
    agency_a.use_thai_digits = True
    agency_a.save()
    content = client.get(reverse("measures:index")).content.decode()
    assert 'data-digits="thai"' in content and not re.search(rf'<option value="{year}"[^>]*>{year}</option>', content)


def test_an_english_page_keeps_arabic_digits_for_a_thai_digit_agency(client, coordinator_a, agency_a):
    assert agency_a.use_thai_digits
    _as(client, coordinator_a, "en")
    content = client.get(reverse("measures:index")).content.decode()
    assert 'data-digits="arabic"' in content
    assert not THAI_DIGIT.search(re.sub(r"<script.*?</script>", "", content, flags=re.S))


@pytest.mark.parametrize("thai_choice", [True, False])
def test_form_errors_write_their_numbers_in_the_agencys_digits(client, coordinator_a, agency_a, thai_choice):
    from measures.services import plan_create

    agency_a.use_thai_digits = thai_choice
    agency_a.save()
    plan = plan_create(agency=agency_a, fiscal_year=2564)
    _as(client, coordinator_a)
    data = {"title": "ก" * 1_001, "starts": "1/10/2563", "ends": "30/9/2564", "steps-TOTAL_FORMS": "0"}
    data.update({"steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "1000"})
    page = client.post(reverse("measures:measure_create", args=[plan.pk]), data).content.decode()
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S).group(0)
    beside = " ".join(re.findall(r'class="invalid-feedback">(.*?)</div>', page, re.S))
    for errors in (summary, beside):
        text = re.sub(r"<[^>]+>", " ", errors)
        assert ("๑" in text) is thai_choice, text  # the limit of 1,000 characters
        assert bool(re.search("[0-9]", text)) is not thai_choice, text
