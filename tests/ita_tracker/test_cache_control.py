"""Nothing a logged-in person is shown may be kept by a proxy or the browser's cache (issue 11, item 15)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.models import Memo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_logged_in_pages_are_private_and_not_stored(client, coordinator_a):
    client.force_login(coordinator_a)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_memo_pdfs_are_private_and_not_stored(client):
    call_command("load_demo", stdout=io.StringIO())
    memo = Memo.objects.filter(agency__code="bangpu").first()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("reports:memo_document", args=[memo.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= _directives(response)
    assert "max-age" not in response["Cache-Control"]
