"""The admin stays flat at national size (issue 17): change pages do not list every membership or division in
the country, and the big changelists neither count the whole table nor build a date hierarchy."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita_tracker import paginator
from measures.models import Measure
from reports.models import ApprovalChain
from tests.factories import AgencyFactory, DepartmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _grow_the_country(agencies: int = 4, people: int = 5) -> list[str]:
    """More agencies, divisions and people elsewhere; returns the names of the people."""
    names = []
    for number in range(agencies):
        agency = AgencyFactory(code=f"grow{number}")
        department = DepartmentFactory(agency=agency, name=f"กองเติบโต{number}")
        for person in range(people):
            membership = MembershipFactory(
                agency=agency, department=department, user__first_name=f"คนไกล{number}x{person}"
            )
            names.append(membership.user.first_name)
    return names


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    "url_of",
    [
        lambda: reverse("admin:measures_measure_change", args=[Measure.objects.order_by("pk").first().pk]),
        lambda: reverse("admin:reports_approvalchain_change", args=[ApprovalChain.objects.order_by("pk").first().pk]),
        lambda: reverse("admin:reports_documenttext_add"),
    ],
    ids=["measure", "approval chain", "agency wording"],
)
def test_change_pages_do_not_list_the_country(admin_client, url_of):
    url = url_of()
    admin_client.get(url)  # the first request of a session makes queries of its own
    before, _page = _queries(admin_client, url)
    names = _grow_the_country()
    after, page = _queries(admin_client, url)
    assert after == before  # 20 more people and 4 more divisions elsewhere cost nothing here
    assert not any(name in page for name in names)
    assert "กองเติบโต" not in page


@pytest.mark.parametrize(
    "model",
    ["agencies_auditentry", "measures_progressupdate", "reports_memo", "measures_measure", "agencies_membership"],
)
def test_big_changelists_stop_counting_at_the_cap(admin_client, monkeypatch, model):
    monkeypatch.setattr(paginator, "CAP", 2)
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql for sql in counts), counts  # never a COUNT(*) of the whole table
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize(
    "model",
    ["agencies_membership", "measures_measure", "reports_memo", "agencies_auditentry", "reports_approvalchain"],
)
def test_changelists_make_the_same_queries_whatever_the_rows(admin_client, model):
    url = reverse(f"admin:{model}_changelist")
    admin_client.get(url)
    before, _page = _queries(admin_client, url)
    _grow_the_country(agencies=3, people=8)
    after, _page = _queries(admin_client, url)
    assert after == before


def test_the_audit_list_has_no_date_hierarchy(admin_client):
    response = admin_client.get(reverse("admin:agencies_auditentry_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].date_hierarchy is None


def test_memberships_from_the_admin_queryset_name_themselves_without_queries(admin_client, rf):
    from django.contrib import admin

    from agencies.models import Membership

    _grow_the_country(agencies=2, people=10)
    request = rf.get("/")
    request.user = get_user_model().objects.get(username="admin")
    with CaptureQueriesContext(connection) as ctx:
        labels = [str(m) for m in admin.site._registry[Membership].get_queryset(request)]
    assert len(labels) > 20 and len(ctx.captured_queries) == 1


def test_the_oit_checklist_rows_offer_only_the_agencys_own_divisions(admin_client):
    from measures.oit.models import OitChecklist
    from measures.oit.services import checklist_open

    checklist = OitChecklist.objects.order_by("pk").first()
    if checklist is None:
        from agencies.models import Agency
        from assessments.models import FrameworkEdition

        edition = FrameworkEdition.objects.filter(items__indicator__tool__code="OIT").order_by("-fiscal_year")[0]
        checklist = checklist_open(agency=Agency.objects.get(code="bangpu"), fiscal_year=edition.fiscal_year, by=None)
    url = reverse("admin:measures_oitchecklist_change", args=[checklist.pk])
    admin_client.get(url)
    before, _page = _queries(admin_client, url)
    _grow_the_country()
    after, page = _queries(admin_client, url)
    assert after == before
    assert "กองเติบโต" not in page  # the divisions of other agencies are not offered on its rows


def test_an_agency_or_edition_with_records_cannot_be_deleted_but_an_empty_agency_can(admin_client):
    from agencies.models import Agency
    from assessments.models import Assessment

    assessed = Assessment.objects.select_related("agency", "edition").order_by("pk").first()
    refused = [
        reverse("admin:agencies_agency_delete", args=[assessed.agency_id]),
        reverse("admin:assessments_frameworkedition_delete", args=[assessed.edition_id]),
    ]
    for url in refused:
        assert admin_client.get(url).status_code == 403, url
    change = admin_client.get(reverse("admin:agencies_agency_change", args=[assessed.agency_id]))
    assert reverse("admin:agencies_agency_delete", args=[assessed.agency_id]) not in change.content.decode()
    empty = AgencyFactory(code="empty1")
    response = admin_client.get(reverse("admin:agencies_agency_delete", args=[empty.pk]))
    assert response.status_code == 200
    assert Agency.objects.filter(pk=empty.pk).exists()


def test_the_wording_add_page_does_not_list_every_agency(admin_client):
    """Its agency is an autocomplete: a select of 8,000 agencies made the page take about a second."""
    url = reverse("admin:reports_documenttext_add")
    admin_client.get(url)
    AgencyFactory(code="far1", name="เทศบาลตำบลไกลลิบ")
    _count, page = _queries(admin_client, url)
    assert "เทศบาลตำบลไกลลิบ" not in page


def test_the_agency_autocomplete_reads_one_page_and_never_counts(admin_client):
    """One query a page whatever matches (none, a page, several pages): select2 only asks whether there is more."""
    url = reverse("admin:autocomplete")
    query = {"app_label": "reports", "model_name": "approvalchain", "field_name": "agency"}
    admin_client.get(url, {**query, "term": "nothing-matches"})
    for number in range(25):
        AgencyFactory(code=f"look{number:02d}", name=f"เทศบาลตำบลค้นหา{number:02d}", province="ปัตตานี")
    answers = {}
    for term, page in [("nothing-matches", 1), ("look", 1), ("look", 2), ("look07", 1)]:
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client.get(url, {**query, "term": term, "page": page})
        assert response.status_code == 200
        assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
        answers[term, page] = (len(ctx.captured_queries), response.json())
    assert len({queries for queries, _body in answers.values()}) == 1
    first, second = answers["look", 1][1], answers["look", 2][1]
    assert len(first["results"]) == 20 and first["pagination"] == {"more": True}
    assert len(second["results"]) == 5 and second["pagination"] == {"more": False}
    names = {item["text"] for item in first["results"] + second["results"]}
    assert names == {f"เทศบาลตำบลค้นหา{number:02d}" for number in range(25)}
    assert answers["look07", 1][1]["results"][0]["text"] == "เทศบาลตำบลค้นหา07"
    assert answers["nothing-matches", 1][1] == {"results": [], "pagination": {"more": False}}
    assert admin_client.get(url, {**query, "term": "look", "page": 3}).status_code == 404
    for term in ["ค้นหา07", "LOOK07"]:  # a Thai name as typed; the Latin code in any case
        found = admin_client.get(url, {**query, "term": term}).json()["results"]
        assert [item["text"] for item in found] == ["เทศบาลตำบลค้นหา07"], term


def test_the_agency_changelist_still_counts_its_rows(admin_client):
    response = admin_client.get(reverse("admin:agencies_agency_changelist"))
    assert response.status_code == 200
    from agencies.models import Agency

    assert response.context["cl"].result_count == Agency.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
@pytest.mark.django_db
def test_agency_search_can_use_the_trigram_indexes():
    """The admin's agency search (and its autocomplete) is written the way the indexes of migration
    agencies 0015 are: with sequential scans off, each of its four conditions reads an index, so at 8,000
    agencies a keystroke no longer reads every agency (with plain index scans off too: the ordering index read whole
    would also do at this size)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from agencies.models import Agency

    AgencyFactory.create_batch(3)
    model_admin = admin.site._registry[Agency]
    request = RequestFactory().get("/admin/agencies/agency/", {"q": "gen-0009"})
    queryset, _ = model_admin.get_search_results(request, Agency.objects.all(), "gen-0009")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor the ordering index read whole: bitmap scans only
        plan = queryset.explain()
    for index in ("agency_name_trgm", "agency_code_upper_trgm", "agency_province_trgm", "agency_district_trgm"):
        assert index in plan, plan
