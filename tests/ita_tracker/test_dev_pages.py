"""Development conveniences from issue 12: Thai error pages under DEBUG, links in mail to the address the
app was reached at, mail to files, the favicon."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import RequestFactory

from ita_tracker import site
from ita_tracker.middleware import ThaiErrorPagesMiddleware


@pytest.mark.django_db
def test_missing_page_is_the_thai_404_under_debug(client, coordinator_a, settings):
    settings.DEBUG = True
    client.force_login(coordinator_a)
    response = client.get("/reports/memos/987654/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_error_is_the_thai_500_under_debug(settings):
    settings.DEBUG = True
    request = RequestFactory().get("/x/")
    response = ThaiErrorPagesMiddleware(lambda r: None).process_exception(request, RuntimeError("boom"))
    assert response.status_code == 500
    assert "ระบบขัดข้องชั่วคราว" in response.content.decode()
    settings.DEBUG_TECHNICAL_ERRORS = True
    assert ThaiErrorPagesMiddleware(lambda r: None).process_exception(request, RuntimeError("boom")) is None


def test_mail_links_use_the_request_address_without_site_url(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    seen = {}

    def view(request):
        seen["url"] = site.absolute("/reports/memos/1/")
        return None

    site.SiteURLMiddleware(view)(RequestFactory().get("/", HTTP_HOST="10.0.0.5:8010"))
    assert seen["url"] == "http://10.0.0.5:8010/reports/memos/1/"
    assert site.absolute("/a/") == "http://127.0.0.1:8000/a/"  # outside a request
    settings.SITE_URL = "https://ita.example.go.th/"
    assert site.absolute("/a/") == "https://ita.example.go.th/a/"


def test_favicon_is_linked_on_every_page(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert mail.outbox == []
