"""The framework editor through the web client: who may reach it, editing all or nothing, opening next year,
the comparison with last year, and correcting a year that has scores (confirmation, recompute, audit)."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import AuditEntry
from assessments.editions import edition_to_data, framework_admins_group
from assessments.models import Assessment, FrameworkEdition, Item
from assessments.services import assessment_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nacc(db):
    user = UserFactory(username="nacc.admin")
    user.groups.add(framework_admins_group())
    return user


@pytest.fixture
def nacc_client(client, nacc):
    client.force_login(nacc)
    return client


def edit_post(edition: FrameworkEdition, **changes) -> dict:
    """The edit page's form as the browser would send it, unchanged, then ``changes`` applied."""
    data = edition_to_data(edition)
    post = {"version": edition.version}
    for name in ("name", "level_system", "certainty", "notes"):
        post[name] = data[name]
    post["national_average"] = data["national_average"] or ""
    for key, entry in data["calendar"].items():
        for part, value in entry.items():
            field = {
                "starts": f"{key}_starts",
                "ends": f"{key}_ends",
                "date": key if key == "oit_deadline" else "results_date",
                "certainty": f"{key}_certainty",
            }[part]
            post[field] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    for prefix, rows in (("tools", data["tools"]), ("indicators", data["indicators"]), ("levels", data["levels"])):
        post[f"{prefix}-TOTAL_FORMS"] = len(rows) + 1  # the blank row for adding one, sent as a browser sends it
        post[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for key in rows[0]:
            post[f"{prefix}-{len(rows)}-{key}"] = ""
        for n, row in enumerate(rows):
            for key, value in row.items():
                if key == "aliases":
                    value = "|".join(value)
                if value is None or value is False:
                    continue
                post[f"{prefix}-{n}-{key}"] = "on" if value is True else value
            if prefix == "levels":
                post[f"{prefix}-{n}-order"] = n + 1
    post.update(changes)
    return post


URLS = ["edition_list", "edition_edit", "edition_items", "edition_diff"]


def url(name: str, year: int = 2569) -> str:
    return reverse(f"assessments:{name}") if name == "edition_list" else reverse(f"assessments:{name}", args=[year])


@pytest.mark.parametrize("name", URLS)
def test_only_framework_administrators_reach_the_editor(client, nacc, coordinator_b, admin_a, name):
    client.force_login(nacc)
    assert client.get(url(name)).status_code == 200
    if name != "edition_list":
        assert client.get(url(name, 2600)).status_code == 404  # no such year
    for user in (coordinator_b, admin_a):  # an agency's coordinator or administrator: not national
        client.force_login(user)
        assert client.get(url(name)).status_code == 403
    client.logout()
    assert client.get(url(name)).status_code == 302  # to the login page


def test_a_coordinator_cannot_post_to_the_editor(client, coordinator_a):
    client.force_login(coordinator_a)
    e = FrameworkEdition.objects.get(fiscal_year=2569)
    assert client.post(url("edition_edit"), edit_post(e, name="x")).status_code == 403
    assert client.post(url("edition_open_next", 2570)).status_code == 403
    assert FrameworkEdition.objects.get(fiscal_year=2569).name == e.name
    assert not FrameworkEdition.objects.filter(fiscal_year=2571).exists()


def test_the_list_shows_every_year_and_offers_to_open_the_next(nacc_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # 12, and the unread notifications in the menu
        page = nacc_client.get(url("edition_list")).content.decode()
    for year in ("๒๕๖๒", "๒๕๖๙", "๒๕๗๐"):
        assert f"ITA {year}" in page
    assert page.count("edition_open_next") == 0  # a form action, not the URL name
    assert reverse("assessments:edition_open_next", args=[2570]) in page
    assert reverse("assessments:edition_open_next", args=[2569]) not in page  # 2570 exists


def test_open_next_year_as_a_copy(nacc_client, nacc):
    response = nacc_client.post(url("edition_open_next", 2570), follow=True)
    new = FrameworkEdition.objects.get(fiscal_year=2571)
    assert response.redirect_chain[-1][0] == url("edition_edit", 2571)
    assert new.certainty == "open" and new.edited_locally and new.edited_by == nacc
    assert new.items.count() == FrameworkEdition.objects.get(fiscal_year=2570).items.count()
    assert new.oit_deadline.year == 2028
    again = nacc_client.post(url("edition_open_next", 2570), follow=True).content.decode()
    assert "มีกรอบการประเมินปี 2571 อยู่แล้ว" in again


def test_edit_weights_calendar_and_certainty(nacc_client, nacc):
    e = FrameworkEdition.objects.get(fiscal_year=2570)
    post = edit_post(
        e,
        **{
            "oit_deadline": "2027-04-15",
            "oit_deadline_certainty": "sure",
            "tools-0-weight": "20",  # IIT 20, EIT 30, OIT 50
            "tools-2-weight": "50",
            "levels-0-min_total": "96",
            "certainty": "likely",
        },
    )
    response = nacc_client.post(url("edition_edit", 2570), post, follow=True)
    assert "บันทึกกรอบการประเมินปี ๒๕๗๐ แล้ว" in response.content.decode()
    e.refresh_from_db()
    assert (str(e.oit_deadline), e.oit_deadline_certainty, e.certainty) == ("2027-04-15", "sure", "likely")
    assert {t.code: t.weight for t in e.tools.all()} == {"IIT": D("20"), "EIT": D("30"), "OIT": D("50")}
    assert e.level_rules.get(label="ผ่านดีเยี่ยม").min_total == D("96")
    assert e.edited_locally and e.edited_by == nacc and e.version == 1


def test_weights_that_do_not_add_up_are_refused_naming_the_tool_and_nothing_is_saved(nacc_client):
    e = FrameworkEdition.objects.get(fiscal_year=2570)
    post = edit_post(e, **{"indicators-0-weight": "10", "oit_deadline": "2027-04-01"})  # IIT indicators: 90
    page = nacc_client.post(url("edition_edit", 2570), post).content.decode()
    assert "น้ำหนักตัวชี้วัดของ IIT รวมกันได้ 90" in page
    e.refresh_from_db()
    assert str(e.oit_deadline) == "2027-04-30" and not e.edited_locally  # calendar not half-saved


def test_a_page_older_than_the_last_save_is_refused(nacc_client):
    e = FrameworkEdition.objects.get(fiscal_year=2570)
    stale = edit_post(e, name="ชื่อจากหน้าเก่า")
    nacc_client.post(url("edition_edit", 2570), edit_post(e, name="ชื่อใหม่"))
    page = nacc_client.post(url("edition_edit", 2570), stale).content.decode()
    assert "มีผู้อื่นบันทึกกรอบการประเมินปี 2570 ไปแล้ว" in page
    assert FrameworkEdition.objects.get(fiscal_year=2570).name == "ชื่อใหม่"


def items_post(edition: FrameworkEdition, changes: dict, extra: int = 0) -> dict:
    data = edition_to_data(edition)
    post = {"version": edition.version, "items-TOTAL_FORMS": len(data["items"]) + extra + 1}
    for key in data["items"][0]:
        post[f"items-{len(data['items']) + extra}-{key}"] = ""  # the blank row a browser sends
    post["items-INITIAL_FORMS"] = len(data["items"])
    for n, row in enumerate(data["items"]):
        for key, value in row.items():
            post[f"items-{n}-{key}"] = value
    post.update(changes)
    return post


def test_edit_an_items_criteria_and_responsible_kind_and_add_an_item(nacc_client):
    e = FrameworkEdition.objects.get(fiscal_year=2570)
    n = len(edition_to_data(e)["items"])
    post = items_post(
        e,
        {
            "items-0-criteria": "มีหลักฐานการดำเนินการในปีงบประมาณ",
            "items-0-responsible_kind": "personnel",
            f"items-{n}-code": "o27",
            f"items-{n}-indicator": "10",
            f"items-{n}-title": "ข้อใหม่",
            f"items-{n}-certainty": "open",
        },
        extra=1,
    )
    response = nacc_client.post(url("edition_items", 2570), post, follow=True)
    assert response.status_code == 200
    i1 = Item.objects.get(edition=e, code="i1")
    assert (i1.criteria, i1.responsible_kind) == ("มีหลักฐานการดำเนินการในปีงบประมาณ", "personnel")
    assert Item.objects.get(edition=e, code="o27").indicator.number == 10


def test_an_item_with_scores_cannot_be_deleted(nacc_client, agency_a):
    e = FrameworkEdition.objects.get(fiscal_year=2569)
    assessment_save(
        agency=agency_a, edition=e, indicator_scores=dict.fromkeys(range(1, 11), D("90")), item_scores={"o5": D("100")}
    )
    codes = [row["code"] for row in edition_to_data(e)["items"]]
    post = items_post(e, {f"items-{codes.index('o5')}-DELETE": "on", "items-0-title": "เปลี่ยน"})
    page = nacc_client.post(url("edition_items", 2569), post).content.decode()
    assert "o5" in page and "ยังไม่ได้บันทึกสิ่งใด" in page
    assert Item.objects.filter(edition=e, code="o5").exists()
    assert Item.objects.get(edition=e, code="i1").title == ""


def test_correcting_a_scored_year_confirms_recomputes_and_audits(nacc_client, nacc, agency_a, agency_b):
    e = FrameworkEdition.objects.get(fiscal_year=2569)
    for agency in (agency_a, agency_b):
        assessment_save(
            agency=agency, edition=e, indicator_scores={**dict.fromkeys(range(1, 11), D("90")), 1: D("60")}
        )
    before = Assessment.objects.get(agency=agency_a, edition=e)
    assert before.total == D("88.20")  # IIT (60 + 90·4)/5 = 84 → ผ่าน
    post = edit_post(
        e,
        **{
            "indicators-0-weight": "0.001",
            "indicators-1-weight": "24.999",
            "indicators-2-weight": "25",
            "indicators-3-weight": "25",
            "indicators-4-weight": "25",
        },
    )

    confirm = nacc_client.post(url("edition_edit"), post)
    page = confirm.content.decode()
    assert "ผลการประเมิน ๒ รายการจะถูกคำนวณใหม่" in page
    assert FrameworkEdition.objects.get(fiscal_year=2569).version == 0  # nothing saved yet

    response = nacc_client.post(url("edition_edit"), {**post, "confirm": "1"}, follow=True)
    assert "คำนวณผลการประเมินใหม่ ๒ รายการ" in response.content.decode()
    after = Assessment.objects.get(agency=agency_a, edition=e)
    # indicator 1 now weighs almost nothing: IIT 90.00, total 90.00, and no tool below 85 any more
    assert (after.tool_score("IIT"), after.total, before.level, after.level) == (D("90.00"), D("90.00"), "ผ่าน", "ผ่านดี")
    entry = AuditEntry.objects.get(agency=agency_a, object_id=after.pk, summary__contains="แก้ไขกรอบการประเมิน")
    assert entry.actor == nacc
    assert entry.before["total"] == "88.20" and entry.after["total"] == str(after.total)


def test_the_difference_from_last_year(nacc_client):
    page = nacc_client.get(url("edition_diff", 2569)).content.decode()
    assert "o25" in page and "o26" in page  # added in 2569 (2568 recorded only o1–o4)
    assert "โครงสร้าง หน้าที่และอำนาจ" in page  # o1 renamed
    page = nacc_client.get(url("edition_diff", 2570)).content.decode()
    assert "ไม่มีความแตกต่าง" in page
    page = nacc_client.get(url("edition_diff", 2562)).content.decode()
    assert "ไม่มีกรอบการประเมินของปีก่อนหน้า" in page


def test_the_demo_framework_administrator_logs_in_and_edits(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert client.login(username="nacc.admin", password="ita-demo-2567")
    assert client.get(url("edition_list")).status_code == 200
    client.login(username="bangpu.plan", password="ita-demo-2567")  # a coordinator: not national
    assert client.get(url("edition_list")).status_code == 403
