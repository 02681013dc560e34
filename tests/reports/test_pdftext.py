"""The PDF text layer of Thai documents: what pdftotext reads back must be exactly what was written.

The paragraphs are copied from the seed documents (real ITA memos and reports), except the last one,
written for the few words the seeds lack (น้ำ, ผู้ใหญ่). Rendered with Laksaman, the font we print with.
"""

import html
import re
import shutil
import subprocess
import sys

import pytest
import weasyprint
from PIL import Image, ImageChops

from reports import pdftext

SUBJECT = (
    "เรื่อง รายงานผลการดำเนินการตามตัวชี้วัดการประเมินคุณธรรมและความโปร่งใสในการดำเนินการของหน่วยงานภาครัฐ "
    "(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"
)
BODY = (
    "ตามที่สำนักปลัดเทศบาล ได้รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงาน"
    "ภาครัฐในปี พ.ศ. ๒๕๖๓ และได้กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานให้ดีขึ้น "
    "ตามบันทึกข้อความที่ บัน ๕๒๗๐๑.๕/.....ลงวันที่ ๓๐ กันยายน ๒๕๖๓ เรื่อง รายงานการวิเคราะห์ผลการประเมินคุณธรรม"
    "และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐในปี พ.ศ. ๒๕๖๓ ของเทศบาลตำบลบางปู มีรายละเอียดดังนี้"
)
ANALYSIS = (
    "เทศบาลตำบลบางเก่า ได้จัดทำรายงานวิเคราะห์ผลคะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงาน"
    "ภาครัฐ (Integrity and Transparency Assessment :ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ พร้อมแนวทางการยกระดับค่าคะแนน "
    "เพื่อรองรับการประเมิน ในปี งบประมาณ พ.ศ. ๒๕๖๖ และเพื่อให้เกิดผลการดำเนินการที่เป็นรูปธรรมและชัดเจน "
    "ได้มีการนำมากำหนดเป็นส่วนหนึ่งในแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ เพื่อเป็นทิศทางและ"
    "เป้าหมายในการดำเนินงานของพนักงานที่ส่งเสริมให้สามารถปฏิบัติงานอย่างมีจริยธรรมจรรยาบรรณ ให้มีความสำคัญกับ"
    "การป้องกันปราบปรามการทุจริตคอร์รัปชันทุกรูปแบบ ปรากฏรายละเอียดดังนี้"
)
FACTS = (
    "เมื่อวันอังคารที่ ๓ ธันวาคม ๒๕๖๗ สำนักงาน ป.ป.ช. จัดการประชุมชี้แจงการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ "
    "ในชื่อ KICKOFF ITA ๒๐๒๕ “CLEAR & COUNTABILITY” ร่วมเป็นส่วนหนึ่งในการสร้างความโปร่งใส เพื่อบรรลุเป้าหมาย"
    "ที่ท้าทายพบกับผู้เชี่ยวชาญและมีประสบการณ์ด้านการประเมิน ITA ที่จะมาเปิดมุมมองด้านทิศทางนโยบาย "
    "การพัฒนาองค์กรตามแนวทางการประเมิน ITA และเทคนิคในการเตรียมความพร้อมเพื่อรับการประเมินอย่างมืออาชีพ "
    "รับชมพร้อมกันตั้งแต่เวลา ๐๙.๓๐ – ๑๒.๐๐ น. ทาง YouTube และ Facebook : ITAS NACC"
)
# Not from the seeds: they have no น้ำ nor ผู้ใหญ่.
VILLAGE = "ผู้ใหญ่บ้านหมู่ที่ ๔ แจ้งว่าน้ำประปาไม่ไหล ๓ วัน เทศบาลจึงแต่งตั้งคณะทำงานแก้ไขภายใน ๗ วัน"
TABLE_HEADER = ["มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การกำกับติดตาม"]
TABLE_ROWS = [
    [
        "๙) การรับรู้เกี่ยวกับแผนการใช้จ่ายเงิน แผนการจัดซื้อจัดจ้าง การใช้จ่ายงบประมาณประจำปีของหน่วยงาน",
        "-สร้างการรับรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรในหน่วยงานทราบ -เปิดโอกาสให้บุคลากรภายใน"
        "หน่วยงานมีส่วนร่วมในการตรวจสอบการใช้จ่ายงบประมาณในรูปแบบการแต่งตั้งเป็นคณะกรรมการชุดต่างๆที่เกี่ยวข้อง",
        "กองคลัง",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "มาตรการที่ดำเนินการ",
    ],
    [
        "๘) มีการมอบหมายงาน การปฏิบัติงานรวมถึง การประเมินผลการปฏิบัติงานตามระดับคุณภาพงาน โดยไม่เลือกปฏิบัติ",
        "-ผู้บริหารเน้นย้ำในที่ประชุมเรื่องการประเมิน เพื่อเพิ่มการตระหนักรักกับผู้ประเมิน",
        "สำนักปลัดเทศบาล",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "✓",
    ],
]
PARAGRAPHS = [SUBJECT, BODY, ANALYSIS, FACTS, VILLAGE]
CELLS = TABLE_HEADER + [cell for row in TABLE_ROWS for cell in row]

CSS = """
@page { size: A4; margin: 2.5cm 2cm 2cm 3cm }
body { font-family: Laksaman; font-size: 10.667pt; line-height: 20.8pt }
table { border-collapse: collapse }
tr { break-inside: avoid }
th, td { border: 0.5pt solid black; padding: 0 4pt; vertical-align: top; text-align: left }
"""


def _document():
    def row(cells, tag):
        return "<tr>" + "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in cells) + "</tr>"

    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in PARAGRAPHS)
    table = "<table>" + row(TABLE_HEADER, "th") + "".join(row(cells, "td") for cells in TABLE_ROWS) + "</table>"
    return f"<html lang='th'><style>{CSS}</style><body>{body}{table}</body></html>"


def _extracted(pdf_path, *options):
    """pdftotext's text, whitespace runs normalised to one newline (if they hold one) or one space."""
    text = subprocess.run(["pdftotext", *options, pdf_path, "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", lambda match: "\n" if re.search(r"[\n\f]", match.group()) else " ", text)


def _appears(source, extracted):
    """Whether ``source``, whitespace runs normalised to one space, appears exactly in ``extracted``.

    Thai has no spaces between words, so a line often wraps inside a run of letters, where pdftotext puts a
    newline the source does not have: a newline is allowed there, and only there. A space in the source may
    come out as a space or a newline (the line wrapped at it). Any other difference, a false space or a wrong
    letter, fails.
    """
    source = re.sub(r"\s+", " ", source).strip()
    pattern = "\n?".join("[ \n]" if char == " " else re.escape(char) for char in source)
    return re.search(pattern, extracted) is not None


needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdftoppm")),
    reason="poppler-utils (pdftotext, pdffonts, pdftoppm) is not installed",
)

UNPATCHED = (
    "import sys, weasyprint; weasyprint.HTML(string=open(sys.argv[1], encoding='utf-8').read()).write_pdf(sys.argv[2])"
)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """The same document written with the fix and, in a fresh interpreter, by WeasyPrint as shipped."""
    folder = tmp_path_factory.mktemp("pdftext")
    document = _document()
    (folder / "document.html").write_text(document, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-c", UNPATCHED, folder / "document.html", folder / "unpatched.pdf"], check=True, timeout=120
    )
    (folder / "fixed.pdf").write_bytes(pdftext.render_pdf(document))
    return folder / "fixed.pdf", folder / "unpatched.pdf"


def test_the_texts_cover_what_thai_extraction_gets_wrong():
    everything = " ".join(PARAGRAPHS + CELLS)
    for word in ["สำนักปลัดเทศบาล", "ประจำปีงบประมาณ", "น้ำ", "แต่งตั้ง", "ผู้ใหญ่", "กำกับติดตาม", "ที่ดำเนินการ", "✓"]:
        assert word in everything
    assert set("๐๑๒๓๔๕๖๗๘๙") <= set(everything)
    assert "(Integrity and Transparency Assessment : ITA)" in everything


@needs_poppler
def test_pdftotext_reads_back_exactly_the_thai_paragraphs(pdfs):
    fixed, _ = pdfs
    extracted = _extracted(fixed)
    wrong = [text for text in PARAGRAPHS if not _appears(text, extracted)]
    assert not wrong, f"Not found as written: {wrong}\n\npdftotext gave:\n{extracted}"


@needs_poppler
def test_pdftotext_reads_back_exactly_the_table_cells(pdfs):
    # -raw keeps the order in which the page draws, cell after cell; the default reading order joins lines
    # of neighbouring cells, which is pdftotext's layout analysis, not the text layer under test.
    fixed, _ = pdfs
    extracted = _extracted(fixed, "-raw")
    wrong = [text for text in CELLS if not _appears(text, extracted)]
    assert not wrong, f"Not found as written: {wrong}\n\npdftotext -raw gave:\n{extracted}"


@needs_poppler
def test_without_the_fix_weasyprint_writes_a_wrong_text_layer(pdfs):
    _, unpatched = pdfs
    extracted = _extracted(unpatched)
    wrong = [text for text in PARAGRAPHS if not _appears(text, extracted)]
    assert len(wrong) >= 3, "WeasyPrint as shipped now extracts Thai right: is reports.pdftext still needed?"
    assert "สำนักปลัดเทศบาล" not in extracted.replace("\n", "")


@needs_poppler
def test_the_fix_changes_nothing_on_the_page(pdfs, tmp_path):
    pages = {}
    for pdf in pdfs:
        subprocess.run(["pdftoppm", "-r", "72", "-png", pdf, tmp_path / pdf.stem], check=True)
        pages[pdf.stem] = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
    assert len(pages["fixed"]) == len(pages["unpatched"]) >= 1
    for fixed, unpatched in zip(pages["fixed"], pages["unpatched"], strict=True):
        with Image.open(fixed) as a, Image.open(unpatched) as b:
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None, fixed.name


@needs_poppler
def test_fonts_are_embedded(pdfs):
    fixed, _ = pdfs
    listing = subprocess.run(["pdffonts", fixed], capture_output=True, text=True, check=True).stdout
    fonts = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    names = " ".join(font[0] for font in fonts)
    assert "Laksaman" in names and "DejaVu" in names, listing
    # Columns from the right: emb sub uni object ID.
    assert all(font[-5] == "yes" for font in fonts), listing


def test_install_refuses_another_weasyprint_version(monkeypatch):
    monkeypatch.setattr(pdftext, "_installed", False)
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match=r"WeasyPrint 71\.0 is installed"):
        pdftext.install()


def test_install_refuses_a_changed_line_drawing_function(monkeypatch):
    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        return []

    monkeypatch.setattr(pdftext, "_installed", False)
    monkeypatch.setattr(weasyprint.draw.text, "draw_first_line", draw_first_line)
    with pytest.raises(RuntimeError, match=r"weasyprint\.draw\.text\.draw_first_line"):
        pdftext.install()


def test_install_is_idempotent():
    pdftext.install()
    pdftext.install()
    assert weasyprint.draw.text.draw_first_line is pdftext.draw_first_line


def _deploy_check_ids():
    from django.core import checks

    return [message.id for message in checks.run_checks(include_deployment_checks=True)]


def test_check_deploy_refuses_another_weasyprint_version(monkeypatch):
    """The pin is checked when deploying (``manage.py check --deploy``), not first at somebody's PDF."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    assert "reports.E001" not in _deploy_check_ids()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    assert "reports.E001" in _deploy_check_ids()
    with pytest.raises(SystemCheckError, match=r"reports\.E001.*WeasyPrint 71\.0 is installed"):
        call_command("check", "--deploy")


def test_check_deploy_refuses_a_changed_line_drawing_function(monkeypatch):
    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        return []

    monkeypatch.setattr(weasyprint.draw.text, "draw_first_line", draw_first_line)
    assert "reports.E001" in _deploy_check_ids()
