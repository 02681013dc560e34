"""The read-only API (issue 17): a token per person, the same scoping as the pages (another agency's id is a
404, a viewer sees exactly their agencies), pagination, and the OpenAPI description."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.frameworks import load_all
from assessments.models import FrameworkEdition
from assessments.services import assessment_save
from ita_tracker.api_auth import api_token_create, api_token_revoke
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """A provincial viewer of three agencies, one agency they do not follow, scores for 2566."""
    load_all()
    edition = FrameworkEdition.objects.get(fiscal_year=2566)
    viewer = UserFactory(username="province.viewer")
    followed = []
    for number in range(3):
        agency = AgencyFactory(name=f"อบต.ติดตาม{number}", province="ปัตตานี", code=f"f{number}")
        MembershipFactory(user=viewer, agency=agency, is_viewer=True, is_staff_member=False)
        assessment_save(agency=agency, edition=edition, indicator_scores={1: D(80 + number)})
        followed.append(agency)
    other = AgencyFactory(name="อบต.อื่น", province="ยะลา", code="other")
    assessment_save(agency=other, edition=edition, indicator_scores={1: D("99.00")})
    _token, key = api_token_create(user=viewer, name="แดชบอร์ด")
    return {"viewer": viewer, "followed": followed, "other": other, "key": key}


def get(client, path, key=None, **params):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.get(f"/api/v1{path}", params, headers=headers)


def test_without_a_valid_token_the_api_answers_401_not_the_login_page(client, world):
    assert get(client, "/agencies").status_code == 401
    assert get(client, "/agencies", key="ita_not-a-key").status_code == 401


def test_a_viewer_sees_exactly_their_agencies(client, world):
    response = get(client, "/agencies", world["key"])
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert sorted(a["code"] for a in body["items"]) == ["f0", "f1", "f2"]
    scores = get(client, "/scores", world["key"], year=2566).json()
    assert sorted(item["agency_id"] for item in scores["items"]) == sorted(a.pk for a in world["followed"])
    first = next(i for i in scores["items"] if i["agency_id"] == world["followed"][0].pk)
    assert first["fiscal_year"] == 2566 and D(first["indicators"]["1"]) == D("80.00")


@pytest.mark.parametrize(
    "path", ["/agencies/{id}", "/scores?agency_id={id}", "/plans?agency_id={id}", "/memos?agency_id={id}"]
)
def test_another_agencys_id_is_a_404(client, world, path):
    mine = get(client, path.format(id=world["followed"][0].pk), world["key"])
    assert mine.status_code == 200
    theirs = get(client, path.format(id=world["other"].pk), world["key"])
    assert theirs.status_code == 404
    assert "อบต.อื่น" not in theirs.content.decode()


def test_lists_are_paginated_in_a_fixed_number_of_queries(client, world):
    first = get(client, "/scores", world["key"], page_size=2).json()
    second = get(client, "/scores", world["key"], page_size=2, page=2).json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert get(client, "/scores", world["key"], page_size=501).status_code == 422
    with CaptureQueriesContext(connection) as ctx:
        get(client, "/scores", world["key"])
    assert len(ctx.captured_queries) <= 6  # token, count, page, tool scores, indicator scores (+ last used)


def test_a_list_says_whether_more_follows_and_counts_only_up_to_the_cap(client, world, monkeypatch):
    from reports import api

    first = get(client, "/agencies", world["key"], page_size=2).json()
    assert first["count"] == 3 and first["count_exact"] and first["more"]
    last = get(client, "/agencies", world["key"], page_size=2, page=2).json()
    assert last["count"] == 3 and not last["more"] and len(last["items"]) == 1
    monkeypatch.setattr(api, "COUNT_CAP", 2)
    with CaptureQueriesContext(connection) as ctx:
        capped = get(client, "/agencies", world["key"], page_size=2).json()
    assert capped["count"] == 2 and not capped["count_exact"] and capped["more"]
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 3" in counts[0]  # never a COUNT(*) of every row the person sees
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for page in ["AgencyPage", "AssessmentPage", "PlanPage", "MemoPage"]:
        assert {"count", "count_exact", "page", "more", "items"} <= set(schema[page]["properties"]), page
        assert "1,000" in schema[page]["properties"]["count"]["description"]


def test_a_revoked_key_or_a_deactivated_person_gets_nothing(client, world):
    token, key = api_token_create(user=world["viewer"], name="อีกตัว")
    assert get(client, "/agencies", key).status_code == 200
    api_token_revoke(token=token)
    assert get(client, "/agencies", key).status_code == 401
    world["viewer"].is_active = False
    world["viewer"].save()
    assert get(client, "/agencies", world["key"]).status_code == 401


def test_the_openapi_description_is_served_and_names_every_endpoint(client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert {
        "/api/v1/agencies",
        "/api/v1/agencies/{agency_id}",
        "/api/v1/scores",
        "/api/v1/plans",
        "/api/v1/memos",
    } <= set(document["paths"])
    assert document["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}


def test_the_command_makes_a_key_that_works_and_stores_only_its_hash(client, world):
    out = io.StringIO()
    call_command("api_token", "create", "province.viewer", "--name", "จังหวัด", stdout=out)
    key = next(word for word in out.getvalue().split() if word.startswith("ita_"))
    assert get(client, "/agencies", key).json()["count"] == 3
    from ita_tracker.models import ApiToken

    assert not ApiToken.objects.filter(key_hash__contains=key[4:]).exists()
