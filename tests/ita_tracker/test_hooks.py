"""Actions later apps contribute to earlier apps' pages (``ita_tracker.hooks``)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from ita_tracker.hooks import Action, actions_for, register_action


@pytest.mark.django_db
def test_the_plan_page_shows_the_documents_reports_registered(client, coordinator_a, agency_a):
    from measures.models import MeasurePlan

    plan = MeasurePlan.objects.create(agency=agency_a, fiscal_year=2568, title="แผน")
    client.force_login(coordinator_a)
    page = client.get(reverse("measures:plan_detail", args=[plan.pk])).content.decode()
    for url in [
        reverse("reports:plan_document", args=[plan.pk, "pdf"]),
        reverse("reports:results_document", args=[plan.pk, "xlsx"]),
        reverse("reports:job_agency_documents", args=[plan.pk]),
        reverse("public:evidence", args=[agency_a.code, 2568]),
    ]:
        assert url in page, url
    assert "เอกสารทั้งหมดของปีนี้" in page


def test_an_object_kind_without_actions_renders_nothing_and_visible_hides_one():
    request = RequestFactory().get("/")
    template = Template('{% load hooks %}[{% object_actions "nothing_here" obj %}]')
    assert template.render(Context({"obj": object(), "request": request})) == "[]"
    register_action("test_kind", Action(key="shown", label="ดู", url=lambda o: f"/x/{o}/"))
    register_action("test_kind", Action(key="hidden", label="ซ่อน", url=lambda o: "/h/", visible=lambda r, o: False))
    html = Template('{% load hooks %}{% object_actions "test_kind" 7 %}').render(Context({"request": request}))
    assert 'href="/x/7/"' in html and "ซ่อน" not in html
    assert [a.key for a in actions_for("test_kind", 7, request)] == ["shown"]
