"""The demo: five seed agencies, users for every role, each seeing only their own agencies."""

import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agencies.management.commands.load_demo import DEMO_DIR
from agencies.models import Agency, Department, Membership, Role

pytestmark = pytest.mark.django_db

DEMO = json.loads((DEMO_DIR / "agencies.json").read_text(encoding="utf-8"))


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_has_the_five_seed_agencies(demo):
    # Besides them, the generated province of the current cycle (reports.demo_cycle).
    names = set(Agency.objects.exclude(code__startswith="pn").values_list("name", "province"))
    assert Agency.objects.filter(code__startswith="pn", province="ปัตตานี").count() >= 30
    assert names == {
        ("เทศบาลตำบลบางปู", "ปัตตานี"),
        ("องค์การบริหารส่วนตำบลช่อระกา", "นครราชสีมา"),
        ("เทศบาลตำบลบางเก่า", "เพชรบุรี"),
        ("เทศบาลตำบลหนองเสม็ด", "ตราด"),
        ("เทศบาลเมืองสะเตงนอก", "ยะลา"),
    }
    assert Department.objects.filter(agency__code="bangpu", name="กองคลัง").exists()


def test_demo_has_every_role(demo):
    for role in Role:
        assert Membership.objects.with_role(role).exists(), role


def test_load_demo_is_idempotent(demo):
    counts = (Agency.objects.count(), Department.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Agency.objects.count(), Department.objects.count(), Membership.objects.count()) == counts


def _expected_agency_names() -> dict[str, set[str]]:
    names = {spec["code"]: spec["name"] for spec in DEMO["agencies"]}
    expected = {}
    for spec in DEMO["agencies"]:
        for person in spec["people"]:
            expected.setdefault(person["username"], set()).add(spec["name"])
    for person in DEMO["cross_agency_people"]:
        expected[person["username"]] = {names[code] for code in person["agencies"]}
    return expected


def test_every_demo_user_logs_in_and_sees_only_their_agencies(demo):
    all_names = {spec["name"] for spec in DEMO["agencies"]}
    for username, own in _expected_agency_names().items():
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": DEMO["password"]})
        assert response.status_code == 302, username
        content = client.get(reverse("agencies:list")).content.decode()
        for name in all_names:
            assert (name in content) == (name in own), (username, name)
