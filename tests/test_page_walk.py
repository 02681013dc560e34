"""The accessibility walk leaves no page out (issue 18): every URL name of the project is visited by some demo role
in ``tests/browser/pages.py`` or listed there as not walked, with the reason. A page added later fails here until it
is one or the other, so the browser journey (axe-core at 1280 and 390 px, Thai and English) cannot miss it.

Each address of the walk answers 200 with HTML to its role in both languages: the list stays true without a
browser, and the journey's time goes to auditing pages rather than to finding a wrong address.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import resolve

from tests.browser.pages import NOT_WALKED, NOT_WALKED_NAMESPACES, ROLES, pages_for
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def project_url_names() -> set[str]:
    return {route.name for route in project_routes() if route.namespace.split(":")[0] not in NOT_WALKED_NAMESPACES}


def test_every_url_name_is_walked_or_not_walked_for_a_stated_reason(client, demo):
    walked: dict[str, str] = {}
    wrong = []
    for role in ROLES:
        client.logout()
        if role:
            client.force_login(get_user_model().objects.get(username=role))
        urls = pages_for(role)
        for language in ("th", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for url in urls:
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    wrong.append(f"{role or 'anonymous'} ({language}) {url}: {response.status_code}")
        for url in urls:
            walked.setdefault(resolve(urlsplit(url).path).view_name, url)
    assert not wrong, "pages of the walk that do not answer 200 with HTML:\n" + "\n".join(wrong)

    names = project_url_names()
    missing = sorted(names - set(walked) - set(NOT_WALKED))
    assert not missing, (
        "URL names neither walked by a role in tests/browser/pages.py nor listed in its NOT_WALKED with a reason: "
        f"{missing}"
    )
    both = sorted(set(walked) & set(NOT_WALKED))
    assert not both, f"walked, yet listed as not walked: {both}"
    gone = sorted(set(NOT_WALKED) - names)
    assert not gone, f"listed as not walked but no longer a URL name of the project: {gone}"
    assert all(reason.strip() for reason in NOT_WALKED.values())
