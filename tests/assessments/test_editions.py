"""Editions 2569 and 2570 as reference data installed by ``migrate``, and ``load_frameworks`` keeping edits."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from assessments.editions import (
    edition_calendar,
    edition_diff,
    edition_to_data,
    edition_update,
    install_missing_editions,
)
from assessments.models import Certainty, FrameworkEdition, Item

pytestmark = pytest.mark.django_db


def test_a_fresh_test_database_has_every_edition_from_2562_to_2570():
    years = sorted(FrameworkEdition.objects.values_list("fiscal_year", flat=True))
    assert years == list(range(2562, 2571))
    assert install_missing_editions() == []  # nothing missing: nothing loaded again


def test_migrate_installs_an_edition_that_is_missing():
    FrameworkEdition.objects.filter(fiscal_year=2570).delete()
    call_command("migrate", verbosity=0)
    edition = FrameworkEdition.objects.get(fiscal_year=2570)
    assert edition.items.count() == 30 + 15 + 26


def test_2569_has_o1_to_o26_with_o25_o26_the_measures_items():
    items = {i.code: i for i in Item.objects.filter(edition__fiscal_year=2569).select_related("indicator")}
    oit = sorted((code for code in items if code.startswith("o")), key=lambda c: int(c[1:]))
    assert oit == [f"o{n}" for n in range(1, 27)]
    assert items["o25"].title == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert items["o26"].title == "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert items["o11"].responsible_kind == "finance"  # procurement: กองคลัง
    assert items["o17"].responsible_kind == "legal"  # complaints: งานนิติการ
    assert items["o6"].certainty == Certainty.OPEN and items["o1"].certainty == Certainty.LIKELY
    assert all(item.criteria == "" for item in items.values())  # criteria of 2569: not published


def test_2569_keeps_2568_weights_and_levels_marked_likely_with_a_calendar():
    e = FrameworkEdition.objects.get(fiscal_year=2569)
    assert {t.code: (t.weight, t.certainty) for t in e.tools.all()} == {
        "IIT": (D("30"), "likely"),
        "EIT": (D("30"), "likely"),
        "OIT": (D("40"), "likely"),
    }
    assert list(e.level_rules.values_list("label", flat=True)) == list(
        FrameworkEdition.objects.get(fiscal_year=2568).level_rules.values_list("label", flat=True)
    )
    assert e.oit_deadline == date(2026, 4, 30) and e.oit_deadline_certainty == "likely"
    assert e.survey_starts < e.survey_ends < e.results_date
    assert e.registration_starts.year == 2026  # พ.ศ. 2569 = ค.ศ. 2026


def test_2570_is_2569_marked_open_a_year_later():
    e69, e70 = (FrameworkEdition.objects.get(fiscal_year=y) for y in (2569, 2570))
    assert e70.certainty == Certainty.OPEN
    assert not e70.items.exclude(certainty=Certainty.OPEN).exists()
    assert e70.oit_deadline == date(2027, 4, 30) and e70.oit_deadline_certainty == Certainty.OPEN
    assert all(s.empty for s in edition_diff(edition_to_data(e69), edition_to_data(e70)))


def test_load_frameworks_replace_keeps_an_edition_edited_in_the_app(capsys, django_user_model):
    admin = django_user_model.objects.create_user("nacc", password="x")
    e = FrameworkEdition.objects.get(fiscal_year=2569)
    data = edition_to_data(e)
    data["items"][0]["criteria"] = "เกณฑ์ที่ผู้ดูแลแก้ไข"
    edition_update(edition=e, data=data, by=admin, version=e.version)

    call_command("load_frameworks", "--year", "2569", "--replace")
    out, err = capsys.readouterr()
    assert "ITA 2569: คงไว้ตามที่แก้ไข" in out and "แก้ไขในระบบแล้ว" in err
    assert Item.objects.get(edition=e, code="i1").criteria == "เกณฑ์ที่ผู้ดูแลแก้ไข"
    # an edition not edited in the app follows its file
    Item.objects.filter(edition__fiscal_year=2570, code="i1").update(criteria="x")
    call_command("load_frameworks", "--year", "2570", "--replace")
    assert Item.objects.get(edition__fiscal_year=2570, code="i1").criteria == ""

    call_command("load_frameworks", "--year", "2569", "--replace", "--discard-local-edits")
    assert Item.objects.get(edition=e, code="i1").criteria == ""
    assert not FrameworkEdition.objects.get(fiscal_year=2569).edited_locally


def test_the_calendar_as_rows_for_dashboards():
    rows = {row["key"]: row for row in edition_calendar(FrameworkEdition.objects.get(fiscal_year=2569))}
    assert list(rows) == ["registration", "oit_deadline", "survey", "results"]
    assert (rows["oit_deadline"]["starts"], rows["oit_deadline"]["ends"]) == (date(2026, 4, 30), None)
    assert rows["survey"]["ends"] == date(2026, 6, 30)
    assert rows["results"]["certainty"] == "likely" and rows["results"]["label"] == "ประกาศผลการประเมิน"
