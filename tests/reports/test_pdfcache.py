"""A memo's PDF kept by the digest of its HTML (reports.pdfcache): opened again unchanged it is not laid out again,
and whatever changes what is printed (an edit, a decision and its comment) is printed at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports import pdfcache, pdftext
from reports.services import memo_update
from reports.workflow import memo_transition
from tests.reports.test_memo_hardening import free_memo, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How many times WeasyPrint laid a document out."""
    count = []
    render = pdftext.PrintHTML.render

    def counted(self, *args, **kwargs):
        count.append(1)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(pdftext.PrintHTML, "render", counted)
    return count


def memo_pdf(client, memo) -> bytes:
    response = client.get(reverse("reports:memo_document", args=[memo.pk, "pdf"]))
    assert response.status_code == 200
    return response.content


def test_an_unchanged_memo_is_rendered_once_and_served_the_same(
    client, settings, agency_a, office, chain, author, renders
):
    settings.PDF_CACHE_SECONDS = 3600
    memo = free_memo(agency_a, office, chain, author)
    client.force_login(author)
    first = memo_pdf(client, memo)
    assert memo_pdf(client, memo) == first
    assert len(renders) == 1


def test_an_edit_and_a_decision_are_printed_at_once(
    client, settings, agency_a, office, chain, approvers, author, renders, tmp_path
):
    settings.PDF_CACHE_SECONDS = 3600
    memo = free_memo(agency_a, office, chain, author)
    client.force_login(author)
    assert "ขอรายงานผลการดำเนินการตามตัวชี้วัด OIT" in pdf_text(memo_pdf(client, memo), tmp_path)

    memo = memo_update(memo=memo, by=author, fields={"subject": "ขอส่งรายงานฉบับแก้ไข"}, expected_version=memo.version)
    assert "ขอส่งรายงานฉบับแก้ไข" in pdf_text(memo_pdf(client, memo), tmp_path)

    memo = memo_transition(memo=memo, action="submit", by=author)
    head = approvers[0]
    memo_transition(memo=memo, action="agree", by=head.user, step=1, comment="เห็นควรเสนอปลัดเทศบาลพิจารณา")
    client.force_login(head.user)
    assert "เห็นควรเสนอปลัดเทศบาลพิจารณา" in pdf_text(memo_pdf(client, memo), tmp_path)
    assert len(renders) == 3


def test_nothing_is_kept_when_the_cache_is_off(client, settings, agency_a, office, chain, author, renders):
    settings.PDF_CACHE_SECONDS = 0
    memo = free_memo(agency_a, office, chain, author)
    client.force_login(author)
    memo_pdf(client, memo)
    memo_pdf(client, memo)
    assert len(renders) == 2


def test_the_key_is_the_html_and_the_rendering_pipeline():
    assert pdfcache.cache_key("<p>ก</p>") == pdfcache.cache_key("<p>ก</p>")
    assert pdfcache.cache_key("<p>ก</p>") != pdfcache.cache_key("<p>ข</p>")
    # The pipeline's digest covers the patches' source: changing a patch renders afresh after a deployment.
    assert pdfcache.pipeline_digest() in pdfcache.cache_key("<p>ก</p>")
