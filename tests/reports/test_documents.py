"""The documents people download: PDFs opened with pdftotext/pdffonts/pdfinfo, workbooks with openpyxl."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment
from measures.models import MeasurePlan
from reports.documents import AnalysisDocument, MemoDocument, PlanDocument, ResultsDocument
from reports.models import Memo
from tests.factories import UserFactory
from tests.reports.test_seed_documents import column_text, has

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"),
]
PASSWORD = "ita-demo-2567"


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # The approved demo memos are sealed by a job that starts after commit (reports.seal): run it.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def contains(extracted: str, source: str) -> bool:
    """Whether ``source`` stands in the extracted text exactly, character for character, allowing only
    line breaks: where the layout wrapped a line (Thai wraps between words with no space), and in place of
    a space the wrap swallowed. A false space inside a line, a wrong vowel or a lost tone mark fails."""
    text = re.sub(r"[ \t]+", " ", extracted)
    pattern = ""
    for char in flat(source):
        pattern += r"[ \n]*" if char == " " else re.escape(char) + r"\n?"
    return re.search(pattern, text) is not None


def pdf_info(data: bytes, tmp_path: Path, tool: str) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout


def test_export_documents_reproduces_seed_000(demo, tmp_path):
    out = tmp_path / "bangpu"
    call_command("export_documents", agency="เทศบาลตำบลบางปู", year=2564, out=out, stdout=io.StringIO())
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    pdf = (out / MemoDocument(memo).filename("pdf")).read_bytes()
    raw = pdf_text(pdf, tmp_path)
    text = flat(raw)
    assert "บันทึกข้อความ" in text
    assert "ปน ๕๒๗๐๑.๕/๑" in text and "๓ พฤษภาคม ๒๕๖๔" in text
    assert contains(raw, memo.subject)
    # The three comment blocks, with the seed's names and positions.
    for line in [
        "ความเห็นหัวหน้าสำนักปลัดเทศบาล",
        "(นางยานี แวเด็ง) หัวหน้าสำนักปลัดเทศบาล",
        "ความเห็นปลัดเทศบาล",
        "(นางจำปา นิลวงศ์) ปลัดเทศบาลตำบลบางปู",
        "ความเห็นนายกฯ",
        "(นางจำปา นิลวงศ์) ปลัดเทศบาล รักษาราชการแทน นายกเทศมนตรีตำบลบางปู",
        "(นางสาวรีวิวทรัพย์ พนูนวัล) นักวิเคราะห์นโยบายและแผนชำนาญการ",
    ]:
        assert line in text, line
    # Its ten measures with the seed's statuses, read back from the workbook.
    book = load_workbook(out / MemoDocument(memo).filename("xlsx"))
    sheet = book["ผลการดำเนินการ"]
    header = [c.value for c in sheet[3]]
    # The seed's three status columns, "not started" too though no measure is (it is the seed's form), and no
    # percentage (the seed has none).
    assert header[:6] == [
        "ลำดับ",
        "มาตรการ",
        "ขั้นตอนหรือวิธีการ",
        "ยังไม่ดำเนินการ",
        "อยู่ระหว่างดำเนินการ",
        "ดำเนินการเสร็จเรียบร้อยแล้ว",
    ]
    assert "ร้อยละ" not in header
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=13)]
    assert not any(r[3] for r in rows)
    in_progress = [r[0] for r in rows if r[4] == "✓"]
    done = [r[0] for r in rows if r[5] == "✓"]
    assert in_progress == [5, 9] and done == [1, 2, 3, 4, 6, 7, 8, 10]
    assert sheet.freeze_panes == "A4"
    written = sorted(p.name for p in out.iterdir())
    assert "plan-bangpu-2564.pdf" in written and "results-bangpu-2564.xlsx" in written


def test_memo_pdf_is_a4_with_embedded_fonts_and_a_true_text_layer(demo, tmp_path):
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    pdf = MemoDocument(memo).render_pdf()
    info = pdf_info(pdf, tmp_path, "pdfinfo")
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 2
    fonts = pdf_info(pdf, tmp_path, "pdffonts").splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # emb column
    raw = pdf_text(pdf, tmp_path)
    # Whole Thai paragraphs, exactly as stored (Thai digits and all): ำ, tone marks and spacing survive.
    # A line that is only "{plan_table}" places that table there (reports.templatetags.memo.memo_flow).
    for paragraph in [p for p in memo.body.splitlines() if not (p.startswith("{") and p.endswith("}"))]:
        assert contains(raw, paragraph), paragraph
    # "- ๒ -" at the top of page 2 (none on page 1); poppler reads the short line without its spaces.
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    layout = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in (1, 2)
    ]
    assert "".join(layout[1].strip().splitlines()[0].split()) == "-๒-"
    assert "-๑-" not in "".join(layout[0].split())


def test_structured_memo_text_layer(demo, tmp_path):
    memo = Memo.objects.get(agency__code="nongsamet", plan__fiscal_year=2567)
    raw = pdf_text(MemoDocument(memo).render_pdf(), tmp_path)
    text = flat(raw)
    for part in ["เรื่องเดิม", "ข้อเท็จจริง", "ข้อพิจารณา", memo.background, memo.facts, memo.considerations]:
        assert contains(raw, part), part
    assert "ตร.๕๓๑๐๑/๔๑" in text and "๑๔ มกราคม ๒๕๖๘" in text
    assert "ผ่านปลัดเทศบาล" in text


@pytest.mark.parametrize("kind", ["plan", "results", "analysis"])
def test_annual_documents_text_and_workbooks(demo, tmp_path, kind):
    if kind == "analysis":
        document = AnalysisDocument(Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2566))
        # The published total (83.72), not the computed one (83.71), in Arabic digits as seed 004 prints them, and
        # indicator 8 as the seed names it.
        expected = ["รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส", "การปรับปรุงการทำงาน", "83.72", "ประเด็นที่ 1"]
        sheet_names = ["คะแนนรายตัวชี้วัด", "คะแนนรายเครื่องมือ", "คะแนนรายข้อ", "ผลการวิเคราะห์"]
        in_column = []
    elif kind == "plan":
        plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2564)
        document = PlanDocument(plan)
        expected = ["ต.ค. ๖๓ – ก.ย. ๖๔", "กองคลัง", "ทุกกอง"]
        in_column = [("measure", plan.measures.get(number=4).title)]
        sheet_names = ["มาตรการ", "ขั้นตอน"]
    else:
        plan = MeasurePlan.objects.get(agency__code="chorakha", fiscal_year=2566)
        document = ResultsDocument(plan)
        update = plan.measures.get(number=1).updates.first()
        expected = ["ผลลัพธ์/ความสำเร็จของการดำเนินการ"]
        in_column = [("summary", update.summary.splitlines()[0]), ("outcome", update.outcome.splitlines()[0])]
        sheet_names = ["ผลการดำเนินการ"]
    pdf = document.render_pdf()
    raw = pdf_text(pdf, tmp_path)
    for phrase in expected:
        assert contains(raw, phrase), phrase
    # A phrase that wraps inside a table cell is read from its column (pdftotext reads a row across cells).
    path = tmp_path / "columns.pdf"
    path.write_bytes(pdf)
    for key, phrase in in_column:
        assert has(column_text(path, document, key), phrase), phrase
    book = load_workbook(io.BytesIO(document.render_xlsx()))
    assert book.sheetnames == sheet_names
    first = book[sheet_names[0]]
    assert first.freeze_panes == "A4"
    numbers = [
        c
        for row in first.iter_rows(min_row=4)
        for c in row
        if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    ]
    assert numbers, "numbers are stored as numbers"
    if kind == "analysis":
        # Satengnok has no 2565 scores: that column, empty, is left out (workbooks.md), so find it by name.
        header = [c.value for c in first[3]]
        assert "คะแนน ปี 2565" not in header
        column = header.index("คะแนน ปี 2566") + 1
        score = first.cell(row=4, column=column)
        assert score.value == 93.6 and score.number_format == "0.00"
        # The total row carries the published total, not an average of the indicators (a third figure), and
        # says so.
        assert first.cell(row=first.max_row, column=2).value == "คะแนนภาพรวมที่ ป.ป.ช. ประกาศ"
        assert first.cell(row=first.max_row, column=column).value == 83.72


def test_downloads_are_scoped_and_the_public_page_shows_only_published_approved_memos(demo, tmp_path):
    bangpu_memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    pending = Memo.objects.get(agency__code="nongsamet", plan__fiscal_year=2567)
    staff = Client()
    staff.login(username="bangkao.plan", password=PASSWORD)
    assert staff.get(reverse("reports:memo_document", args=[bangpu_memo.pk, "pdf"])).status_code == 404
    plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2564)
    assert staff.get(reverse("reports:plan_document", args=[plan.pk, "xlsx"])).status_code == 404

    own = Client()
    own.login(username="bangpu.finance", password=PASSWORD)
    response = own.get(reverse("reports:plan_document", args=[plan.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''plan-bangpu-2564.xlsx")

    anonymous = Client()
    page = anonymous.get(reverse("public:evidence", args=["bangpu", 2564]))
    assert page.status_code == 200
    assert bangpu_memo.subject in page.content.decode()
    pdf = anonymous.get(reverse("public:memo_pdf", args=["bangpu", 2564, bangpu_memo.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Nothing else of the agency: not the pending memo, not another year's, not the private pages.
    assert anonymous.get(reverse("public:memo_pdf", args=["nongsamet", 2567, pending.pk])).status_code == 404
    assert pending.subject not in anonymous.get(reverse("public:evidence", args=["nongsamet", 2567])).content.decode()
    assert anonymous.get(reverse("reports:plan_document", args=[plan.pk, "pdf"])).status_code == 302
    Memo.objects.filter(pk=bangpu_memo.pk).update(is_published=False)
    assert anonymous.get(reverse("public:memo_pdf", args=["bangpu", 2564, bangpu_memo.pk])).status_code == 404


def test_score_table_lists_only_the_viewers_agencies(demo):
    viewer = Client()
    viewer.login(username="south.coordinator", password=PASSWORD)  # บางปู and สะเตงนอก
    response = viewer.get(reverse("reports:score_table") + "?year=2566")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["ITA 2566"]
    names = [row[0].value for row in sheet.iter_rows(min_row=4) if row[0].value and row[0].value != "เฉลี่ย"]
    # สะเตงนอก's seed result; บางปู's when the current demo cycle reaches back to 2566 (reports.demo_cycle).
    assert "เทศบาลเมืองสะเตงนอก" in names
    assert set(names) <= {"เทศบาลเมืองสะเตงนอก", "เทศบาลตำบลบางปู"}
    outsider = Client()
    outsider.force_login(UserFactory())
    empty = load_workbook(io.BytesIO(outsider.get(reverse("reports:score_table") + "?year=2566").content))
    # No agency: no data rows, and one line that says so instead of a header-only printed page.
    assert empty["ITA 2566"].max_row == 4 and empty["ITA 2566"]["A4"].value == "ไม่มีข้อมูล"
