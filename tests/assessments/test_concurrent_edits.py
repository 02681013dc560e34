"""No score edit silently overwrites another person's (issue 11, item 4): the entry form carries the version it
was opened at, and a save over a later save is refused with the other person's values shown and everything
typed kept; an import's blank cell keeps the value stored when it is saved, not when the file was checked;
rights are read again when the import is saved."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from agencies.models import Membership
from assessments import transfer
from assessments.frameworks import load_all
from assessments.models import Assessment, FrameworkEdition
from assessments.services import StaleScores, assessment_save
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SATENG_NOK_2566 = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]


@pytest.fixture
def edition(db):
    load_all()
    return FrameworkEdition.objects.get(fiscal_year=2566)


@pytest.fixture
def second_coordinator(agency_a):
    return MembershipFactory(agency=agency_a, is_coordinator=True, is_staff_member=False).user


def form_data(page, **changes) -> dict:
    """What the browser posts back: the form's current values (version included), with some typed over."""
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    return data | changes


def test_second_coordinator_saving_an_old_form_is_refused_with_both_versions_shown(
    client, coordinator_a, second_coordinator, agency_a, edition
):
    assessment_save(
        agency=agency_a, edition=edition, indicator_scores={n: D(v) for n, v in enumerate(SATENG_NOK_2566, 1)}
    )
    url = reverse("assessments:entry", args=[2566])
    other = client.__class__()
    client.force_login(coordinator_a)
    other.force_login(second_coordinator)
    mine = client.get(url)
    theirs = other.get(url)
    assert mine.context["form"]["version"].value() == theirs.context["form"]["version"].value() == 1

    # They save first: indicator 3 becomes 95.00.
    assert other.post(url, form_data(theirs, ind3="95.00")).status_code == 302

    # My save, from the form opened before theirs, is refused: nothing saved, their value and mine shown.
    response = client.post(url, form_data(mine, ind5="70.00", note="บันทึกของฉัน"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "มีผู้อื่นบันทึกคะแนนของปีนี้ระหว่างที่ท่านแก้ไข" in page
    changes = {label: (old, new) for label, old, new in response.context["conflict"].changes}
    assert changes["ตัวชี้วัดที่ 3"] == ("95.00", "88.69")  # theirs, and what my form still had
    assert changes["ตัวชี้วัดที่ 5"] == ("81.64", "70.00")  # what I typed
    assert 'value="70.00"' in page and "บันทึกของฉัน" in page  # everything I typed is kept
    stored = Assessment.objects.get(agency=agency_a, edition=edition)
    assert stored.version == 2 and stored.note == ""
    assert stored.indicator_scores.get(indicator__number=3).score == D("95.00")
    assert stored.indicator_scores.get(indicator__number=5).score == D("81.64")

    # Saving again from the refreshed form is a conscious choice, and goes through.
    assert response.context["form"]["version"].value() == 2
    assert client.post(url, form_data(response)).status_code == 302
    stored.refresh_from_db()
    assert stored.version == 3 and stored.note == "บันทึกของฉัน"
    assert stored.indicator_scores.get(indicator__number=5).score == D("70.00")


def test_two_first_entries_of_a_new_year_do_not_overwrite_each_other(
    client, coordinator_a, second_coordinator, agency_a, edition
):
    url = reverse("assessments:entry", args=[2566])
    other = client.__class__()
    client.force_login(coordinator_a)
    other.force_login(second_coordinator)
    mine, theirs = client.get(url), other.get(url)
    scores = {f"ind{n}": v for n, v in enumerate(SATENG_NOK_2566, 1)}
    assert other.post(url, form_data(theirs, **scores)).status_code == 302
    response = client.post(url, form_data(mine, published_total="80.00"))
    assert response.status_code == 200 and response.context["conflict"] is not None
    assert Assessment.objects.get(agency=agency_a).published_total is None


def test_service_refuses_a_stale_version(agency_a, edition):
    scores = {n: D(v) for n, v in enumerate(SATENG_NOK_2566, 1)}
    first = assessment_save(agency=agency_a, edition=edition, indicator_scores=scores, expected_version=0)
    assert first.version == 1
    with pytest.raises(StaleScores) as stale:
        assessment_save(agency=agency_a, edition=edition, indicator_scores={1: D("10")}, expected_version=0)
    assert stale.value.current.version == 1
    assert ("ตัวชี้วัดที่ 1", "93.60", "10") in stale.value.changes
    assert Assessment.objects.get().indicator_scores.get(indicator__number=1).score == D("93.60")


def _published_only_file(agency) -> bytes:
    """A file of indicator scores only: its published cells are blank, so the stored ones must stay."""
    header = ["agency", "province", "fiscal_year", *(f"ind{n}" for n in range(1, 11)), "published_overall"]
    row = [agency.name, agency.province, "2566", *SATENG_NOK_2566, ""]
    return ("\n".join([",".join(header), ",".join(row)])).encode()


def test_import_blank_cell_keeps_a_value_saved_between_check_and_apply(
    client, coordinator_a, second_coordinator, agency_a, edition
):
    assessment_save(agency=agency_a, edition=edition, indicator_scores={}, published_total=D("81.00"))
    plan = transfer.check_file(io.BytesIO(_published_only_file(agency_a)), "scores.csv", user=coordinator_a)
    assert plan.errors == []

    # Meanwhile someone corrects the published total on the entry page.
    client.force_login(second_coordinator)
    url = reverse("assessments:entry", args=[2566])
    page = client.get(url)
    assert client.post(url, form_data(page, published_total="83.72", published_level="ต้องปรับปรุง")).status_code == 302

    transfer.apply_plan(plan, by=coordinator_a)
    stored = Assessment.objects.get(agency=agency_a)
    assert (stored.published_total, stored.published_level) == (D("83.72"), "ต้องปรับปรุง")  # not reverted
    assert stored.total == D("83.71")  # the file's scores are saved


def test_import_rights_are_read_again_when_saving(coordinator_a, agency_a, edition):
    plan = transfer.check_file(io.BytesIO(_published_only_file(agency_a)), "scores.csv", user=coordinator_a)
    assert plan.errors == []
    Membership.objects.filter(user=coordinator_a, agency=agency_a).update(is_coordinator=False, is_viewer=True)
    with pytest.raises(transfer.ImportRefused, match="ไม่ได้เป็นผู้ประสานงาน ITA"):
        transfer.apply_plan(plan, by=coordinator_a)
    assert not Assessment.objects.exists()
