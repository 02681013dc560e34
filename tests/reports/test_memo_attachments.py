"""Issue 14: memos carry their sections as the seeds do, and the documents sent with them (สิ่งที่ส่งมาด้วย) are
listed in the memo and appended to its PDF (seed 003 sends the previous year's results report)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from ita_tracker.thai import thai_digits as thai
from measures.models import MeasurePlan
from reports.documents import MemoDocument, ResultsDocument
from reports.models import Memo, MemoAttachment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"),
]


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO())


def pdf_text(data: bytes, tmp_path: Path, first: int | None = None, last: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    out = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def seed_003():
    return Memo.objects.get(agency__code="nongsamet", number_year=2568, running_number=41)


def test_seed_000_has_its_text_then_the_plan_table_then_the_progress_table(demo, tmp_path):
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    assert not memo.attachments.exists()
    text = pdf_text(MemoDocument(memo).render_pdf(), tmp_path)
    # As the seed: "มีรายละเอียดดังนี้", the plan table, the score paragraph, the progress table, the closing.
    lead = text.index("ของเทศบาลตำบลบางปูมีรายละเอียดดังนี้")
    plan = text.index("ระยะเวลาดำเนินการ")  # a heading of the plan table only
    score = text.index("มีผลคะแนนเท่ากับ๘๑.๔๙คะแนน")
    progress = text.index("สถานะการดำเนินการ")  # the heading of the progress table only
    assert lead < plan < score < progress < text.index("จึงเรียนมาเพื่อโปรดทราบ")
    assert "{plan_table}" not in text and "{progress_table}" not in text
    assert "สิ่งที่ส่งมาด้วย" not in text


def test_seed_003_sends_the_2567_results_report_and_has_no_table(demo, tmp_path):
    memo = seed_003()
    assert memo.kind == "results_sent"
    assert [part["section"] for part in memo.table["sections"]] == ["attachments"]
    attachment = memo.attachments.get()
    assert attachment.source == MemoAttachment.Source.RESULTS and attachment.plan.fiscal_year == 2567
    assert attachment.file and attachment.pages >= 1  # stored at submission
    data = MemoDocument(memo).render_pdf()
    memo_only = MemoDocument(memo)
    memo_only.ensure()
    memo_only.attachments = []
    own = pages(memo_only.render_pdf())
    assert pages(data) == own + attachment.pages
    first = pdf_text(data, tmp_path, 1, own)
    assert "สิ่งที่ส่งมาด้วย" in first and "ประจำปีงบประมาณพ.ศ.๒๕๖๗" in first
    assert f"จำนวน{thai(attachment.pages)}แผ่น" in first
    for part in ("เรื่องเดิม", "ข้อเท็จจริง", "ข้อพิจารณา", "รายละเอียดปรากฏตามเอกสารแนบท้าย"):
        assert part in first
    assert "มาตรการ/กิจกรรม" not in first  # no table of its own
    appended = pdf_text(data, tmp_path, own + 1)
    assert "มาตรการ/กิจกรรม" in appended and "เทศบาลตำบลหนองเสม็ด" in appended
    # The seed's cover (the agency's wording) opens the attachment.
    cover = pdf_text(data, tmp_path, own + 1, own + 1)
    assert cover.startswith("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")


def test_a_submitted_memos_attachment_does_not_change_with_later_progress(demo):
    memo = seed_003()
    stored = memo.attachments.get().file.read()
    plan = MeasurePlan.objects.get(agency__code="nongsamet", fiscal_year=2567)
    plan.introduction = "ข้อความนำที่แก้ภายหลัง"
    plan.save()
    assert "ข้อความนำที่แก้ภายหลัง" in ResultsDocument(plan).render_html()
    memo.attachments.get().file.open("rb")
    assert memo.attachments.get().file.read() == stored


def test_author_uploads_a_pdf_and_it_is_appended(demo, client, tmp_path):
    memo = seed_003()
    author = memo.author
    client.force_login(author)
    client.post(reverse("reports:memo_withdraw", args=[memo.pk]))
    memo.refresh_from_db()
    assert memo.is_editable
    extra = ResultsDocument(MeasurePlan.objects.get(agency__code="nongsamet", fiscal_year=2567)).render_pdf()
    upload = SimpleUploadedFile("คำสั่ง.pdf", extra, content_type="application/pdf")
    response = client.post(
        reverse("reports:memo_attachment_add", args=[memo.pk]), {"file": upload, "title": "คำสั่งแต่งตั้ง"}
    )
    assert response.status_code == 302
    assert list(memo.attachments.values_list("title", flat=True))[-1] == "คำสั่งแต่งตั้ง"
    page = client.get(reverse("reports:memo_edit", args=[memo.pk])).content.decode()
    assert "คำสั่งแต่งตั้ง" in page
    # Not a PDF: refused with a Thai message naming the file, nothing stored.
    fake = SimpleUploadedFile("ปลอม.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = client.post(reverse("reports:memo_attachment_add", args=[memo.pk]), {"file": fake}, follow=True)
    assert "ไม่ใช่ไฟล์ PDF" in response.content.decode() and "ปลอม.pdf" in response.content.decode()
    assert memo.attachments.count() == 2
    text = pdf_text(MemoDocument(memo).render_pdf(), tmp_path)
    assert "คำสั่งแต่งตั้ง" in text


def test_another_agencys_memo_attachments_are_404_and_approver_may_not_attach(demo, client):
    memo = seed_003()
    other = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    client.force_login(memo.author)
    assert client.post(reverse("reports:memo_attachment_add", args=[other.pk])).status_code == 404
    palat = memo.steps.get(order=1).approvers.first().user
    client.force_login(palat)
    assert client.post(reverse("reports:memo_attachment_add", args=[memo.pk])).status_code in (403, 404)
