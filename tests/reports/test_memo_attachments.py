"""Issue 14: memos carry their sections as the seeds do, and the documents sent with them (สิ่งที่ส่งมาด้วย) are
listed in the memo and appended to its PDF (seed 003 sends the previous year's results report)."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from ita_tracker.thai import thai_digits as thai
from measures.models import MeasurePlan
from reports.documents import MemoDocument, ResultsDocument
from reports.models import Memo, MemoAttachment
from reports.workflow import memo_transition

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
    plan = text.index("ผู้รับผิดชอบ")  # a heading of the plan table only
    score = text.index("มีผลคะแนนเท่ากับ๘๑.๔๙คะแนน")
    progress = text.index("สถานการณ์ดำเนินการ")  # the heading of the progress table only (the seed's words)
    assert lead < plan < score < progress < text.index("จึงเรียนมาเพื่อโปรดทราบ")
    assert "{plan_table}" not in text and "{progress_table}" not in text
    assert "สิ่งที่ส่งมาด้วย" not in text


def test_seed_003_sends_the_2567_results_report_and_has_no_table(demo, tmp_path):
    memo = seed_003()
    assert memo.kind == "results_sent"
    # The report it attaches is named by its text, not listed under เรียน: the seed has no สิ่งที่ส่งมาด้วย line.
    assert [part["section"] for part in memo.table["sections"]] == []
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
    assert "สิ่งที่ส่งมาด้วย" not in first and f"จำนวน{thai(attachment.pages)}แผ่น" not in first
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
    # The upload is listed under เรียน (the results report the memo attached itself is not: its text names it).
    assert "สิ่งที่ส่งมาด้วยคำสั่งแต่งตั้ง" in text


def test_another_agencys_memo_attachments_are_404_and_approver_may_not_attach(demo, client):
    memo = seed_003()
    other = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    client.force_login(memo.author)
    assert client.post(reverse("reports:memo_attachment_add", args=[other.pk])).status_code == 404
    palat = memo.steps.get(order=1).approvers.first().user
    client.force_login(palat)
    assert client.post(reverse("reports:memo_attachment_add", args=[memo.pk])).status_code in (403, 404)


def page_of(data: bytes, tmp_path: Path, phrase: str) -> int:
    """The first page whose text holds ``phrase`` (whitespace ignored); 0 when none does."""
    wanted = "".join(phrase.split())
    for number in range(1, pages(data) + 1):
        if wanted in pdf_text(data, tmp_path, number, number):
            return number
    return 0


def test_seed_000_plan_table_takes_the_seeds_two_pages(demo, tmp_path):
    """The seed prints its ten measures on pages 1 and 2 (rows 1–5, 6–10, the header again on page 2); equal
    column widths and an unbreakable period column had made it three pages."""
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    data = MemoDocument(memo).render_pdf()
    # "(๑)" … "(๑๐)" open the plan table's rows only (the progress table numbers its rows "๑)").
    first, last = page_of(data, tmp_path, "(๑)"), page_of(data, tmp_path, "(๑๐)")
    assert (first, last) == (1, 2)
    # The header again at the top of page 2, above its first row (its cells wrap, so read the page's layout).
    path = tmp_path / "page2.pdf"
    path.write_bytes(data)
    page2 = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True
    ).stdout
    header = page2[: re.search(r"\([๐-๙]+\)", page2).start()]
    assert all(word in header for word in ("มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "การกำกับติดตาม"))
    # The score paragraph follows the table on the next page, as in the seed.
    assert page_of(data, tmp_path, "มีผลคะแนนเท่ากับ ๘๑.๔๙ คะแนน") == 3
    # The owner stands on one line in its column (it was cut "สำนักปลัด / เทศบาล").
    path = tmp_path / "layout.pdf"
    path.write_bytes(data)
    layout = subprocess.run(["pdftotext", "-layout", "-l", "2", str(path), "-"], capture_output=True, text=True).stdout
    assert len(re.findall(r"สำนักปลัดเทศบาล +ต\.ค\.", layout)) == 6  # its six rows, the period beside it


def test_seed_003_prints_no_comment_blocks_and_names_the_report_in_its_text(demo, tmp_path):
    """Seed 003 ("เรียน นายกเทศมนตรี ผ่านปลัดเทศบาล") is one page: text, closing, the writer's signature, no
    comment blocks; what it sends is named by its text ("ตามเอกสารแนบท้าย"), not listed under สิ่งที่ส่งมาด้วย,
    and is stored under the name the report's cover prints."""
    memo = seed_003()
    assert memo.attachments.get().title == (
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2567"
    )
    data = MemoDocument(memo).render_pdf()
    page1 = pdf_text(data, tmp_path, 1, 1)
    assert "สิ่งที่ส่งมาด้วย" not in page1 and "รายละเอียดปรากฏตามเอกสารแนบท้าย" in page1
    assert page1.endswith("จึงเรียนมาเพื่อโปรดพิจารณา(นางสาวนัทธมนชำปฏี)ผู้ช่วยนักประชาสัมพันธ์")
    # The attachment's cover follows on page 2: no page of empty comment blocks in between.
    assert pdf_text(data, tmp_path, 2, 2).startswith("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม")
    assert "ความเห็นปลัดเทศบาล" not in pdf_text(data, tmp_path)


def test_seed_003_once_decided_shows_its_sign_off_on_a_page_after_the_memo(demo, tmp_path):
    memo = seed_003()
    memo_transition(memo=memo, action="agree", by=get_user_model().objects.get(username="nongsamet.palat"), step=1)
    memo_transition(memo=memo, action="approve", by=get_user_model().objects.get(username="nongsamet.mayor"), step=2)
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    data = MemoDocument(memo).render_pdf()
    page1 = pdf_text(data, tmp_path, 1, 1)
    assert page1.endswith("ผู้ช่วยนักประชาสัมพันธ์") and "ความเห็น" not in page1
    page2 = pdf_text(data, tmp_path, 2, 2)
    assert "การพิจารณาบันทึกข้อความที่ตร.๕๓๑๐๑/๔๑ลงวันที่๑๔มกราคม๒๕๖๘" in page2[:80]
    steps = list(memo.steps.order_by("order"))
    for step in steps:
        assert "".join(step.label.split()) in page2 and "".join(step.signer_name.split()) in page2
    # Decided without an identity check: each block leaves space for a hand signature, no typed-name mark.
    assert page2.count("ลงนามอิเล็กทรอนิกส์") == 0
    assert pdf_text(data, tmp_path, 3, 3).startswith("รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรม")  # then the attachment
