"""Documents render whatever users type (issue 11, item 8): a plan whose every text is at its maximum still gives
the plan, results and memo PDFs, with the texts printed in full. The time is measured in
``bench/documents_bench.py`` ("longest texts"), not asserted here."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from bench.longest_texts import build, text
from reports.documents import MemoDocument, PlanDocument, ResultsDocument
from tests.reports.test_seed_documents import column_text, squash

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"),
]


def extracted(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout)


def without_page_numbers(words: str) -> str:
    """The text without the page numbers (-๒-) and so as one stream across page breaks."""
    return re.sub(r"-[๐-๙]+-?", "", words)


def pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture
def longest(agency_a, coordinator_a):
    return build(agency_a, coordinator_a, measures=2)


@pytest.mark.parametrize("kind", ["plan", "results", "memo"])
def test_documents_render_with_every_text_at_its_maximum(longest, tmp_path, kind):
    plan, memo = longest
    document = {"plan": PlanDocument(plan), "results": ResultsDocument(plan), "memo": MemoDocument(memo)}[kind]
    pdf = document.render_pdf()
    assert pdf.startswith(b"%PDF")
    words = extracted(pdf, tmp_path)
    if kind == "memo":
        # The body, one unbroken paragraph of 10,000 characters, printed in full to its last character.
        assert squash(text(10_000)) in without_page_numbers(words)
        return
    # A table row is read across its cells by pdftotext: each long text is read from its own column.
    path = tmp_path / "columns.pdf"
    path.write_bytes(pdf)
    key, header, limit = {
        "plan": ("measure", "มาตรการ", 1_000),
        "results": ("summary", "สรุปผลการดำเนินงานตามมาตรการ/กิจกรรม", 4_000),
    }[kind]
    column = without_page_numbers(squash(column_text(path, document, key))).replace(header, "")
    assert column.count(squash(text(limit))) == 2  # both measures' texts, whole, however many pages they cross
    assert pages(pdf, tmp_path) >= 4
