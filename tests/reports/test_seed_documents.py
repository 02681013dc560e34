"""Issue 14: the documents reproduce their seeds. PDFs are read with poppler (pdftotext, -bbox, pdfimages,
pdftoppm), workbooks with openpyxl; each test names the seed part it checks."""

import io
import itertools
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from assessments.models import Assessment
from measures.models import MeasurePlan
from reports.documents import AnalysisDocument, MemoDocument, PlanDocument, ResultsDocument
from reports.documents.scores import ScoreTableDocument
from reports.models import DocumentText, Memo
from reports.texts import document_text_save, fill
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"),
]

CM = 72 / 2.54  # points per centimetre
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def write(tmp_path: Path, data: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text_of(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = (["-f", str(first)] if first else []) + (["-l", str(last)] if last else [])
    raw = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", raw)


def words(path: Path, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(out)]


def squash(text: str) -> str:
    """Text without any whitespace: Thai wraps between words with no space, so phrases are compared so."""
    return re.sub(r"\s+", "", text)


def has(text: str, phrase: str) -> bool:
    return squash(phrase) in squash(text)


def in_lines(found: list) -> list:
    """Words in reading order: a line is the words within 6 pt of its first word's top (a ■ from the
    fallback font sits a little higher than the Thai letters beside it)."""
    lines: list[list] = []
    for word in sorted(found, key=lambda w: w[1]):
        if lines and word[1] - lines[-1][0][1] < 6:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w[0])]


def column_text(path: Path, document, key: str) -> str:
    """The text of one column of a document's measure table, page by page: pdftotext reads a table row
    across its cells line by line, so a phrase that wraps inside a cell is read from its column alone."""
    document.ensure()
    columns = document.context()["columns"]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    out = []
    for page in range(1, pages + 1):
        page_words = words(path, page)
        width = max(w[2] for w in page_words) if page_words else 0
        content = (842 if width > 596 else 595.28) - 5 * CM  # landscape or portrait, margins 3 + 2 cm
        x = 3 * CM
        for column in columns:
            share = float(column["width"].rstrip("%")) / 100 * content
            if column["key"] == key:
                out.append(" ".join(w[4] for w in in_lines([w for w in page_words if x <= w[0] < x + share])))
            x += share
    return " ".join(out)


# ---------------------------------------------------------------- the memo form


def test_memo_prints_the_garuda_top_left_on_the_title_line(demo, tmp_path):
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    assert not memo.agency.emblem  # no agency emblem: the Garuda is the form's, printed anyway
    path = write(tmp_path, MemoDocument(memo).render_pdf())
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in images.splitlines()[2:]]
    assert [(r[0], r[3], r[4]) for r in rows if r[2] == "image"] == [("1", "324", "354")]  # page 1 only
    # Where it is drawn: black pixels from the left margin (3 cm) and 1.5 cm from the top, 1.5 cm high.
    subprocess.run(["pdftoppm", "-r", "144", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    scale = 144 / 72
    # The band above the first field line (ส่วนราชการ begins 3.3 cm down), left of the centred title.
    left = range(0, int(5 * CM * scale))
    dark_rows = [y for y in range(0, int(3.2 * CM * scale)) if any(page.getpixel((x, y)) < 100 for x in left)]
    top, bottom = dark_rows[0] / scale, dark_rows[-1] / scale
    assert abs(top - 1.5 * CM) < 2 and abs(bottom - top - 1.5 * CM) < 2
    dark_cols = [x for x in left if any(page.getpixel((x, y)) < 100 for y in dark_rows)]
    assert abs(dark_cols[0] / scale - 3 * CM) < 2
    # The centred title shares the emblem's line.
    title = next(w for w in words(path) if w[4] == "บันทึกข้อความ")
    assert top < title[3] and title[1] < bottom
    assert abs((title[0] + title[2]) / 2 - (3 * CM + (595.28 - 5 * CM) / 2)) < 3


def test_memo_preview_on_screen_shows_the_garuda(demo, client):
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    client.login(username="bangpu.finance", password="ita-demo-2567")
    page = client.get(reverse("reports:memo_detail", args=[memo.pk])).content.decode()
    head = page[page.index('class="memo-head"') : page.index("memo-title")]
    assert re.search(r'<img class="memo-garuda" src="/static/img/garuda/garuda\.svg" alt="ตราครุฑ">', head)
    assert (Path(settings.BASE_DIR) / "static/img/garuda/README.md").read_text().count("whs/typst-govdoc") == 1


def test_memo_body_lines_are_20_8_points_apart(demo, tmp_path):
    """memo-format.md: a TH Sarabun 16-pt body is about 20.8 pt a line (the stand-in font's own size gave 13.9)."""
    # Seed 003's memo: a page of text (seed 000's now puts its plan table after its first paragraph, as printed).
    memo = Memo.objects.get(agency__code="nongsamet", running_number=41)
    path = write(tmp_path, MemoDocument(memo).render_pdf())
    body_tops = sorted({round(w[1], 1) for w in words(path) if 200 < w[1] < 700})
    gaps = Counter(round(b - a, 1) for a, b in itertools.pairwise(body_tops))
    pitch, count = gaps.most_common(1)[0]
    assert count >= 5 and abs(pitch - 20.8) <= 0.2, gaps


def test_seed_000_plan_table_prints_a_shared_monitoring_text_once_a_page(demo, tmp_path):
    """Seed 000's plan table gives "รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ" once, its cell running down the
    measures that share it, not in each of the ten rows; where the table runs over a page the seed prints the text
    again in the new page's first row (reports.pdfrepeat). Its progress table's header is the agency's wording."""
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    document = MemoDocument(memo)
    html = document.render_html()
    assert html.count('class="same-above') == 9
    path = write(tmp_path, document.render_pdf())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    columns = []
    for page in range(1, int(re.search(r"Pages:\s+(\d+)", info)[1]) + 1):
        found = words(path, page)
        header = [w for w in found if w[4] == "การกำกับติดตาม"]
        if header:  # a page of the plan table: its last column, right of the periods ("ต.ค. ๖๓ – ก.ย. ๖๔")
            left = max(w[2] for w in found if w[4] == "๖๔")
            below = [w for w in found if w[0] > left and w[1] > header[0][3]]
            first_row = min(w[1] for w in found if re.fullmatch(r"\([๑-๙][๐-๙]?\)", w[4]))
            # the text starts level with the page's first measure ("(๑)", "(๕)"), and is there once
            assert abs(min(w[1] for w in below) - first_row) < 1, page
            columns.append(squash("".join(w[4] for w in in_lines(below))))
    assert len(columns) == 2  # the table runs over pages 1 and 2
    assert columns == [squash("รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ")] * 2
    text = text_of(path)
    assert "สถานการณ์ดำเนินการ" in text and "สถานะการดำเนินการ" not in text  # the seed's header, the agency's words


def test_the_screen_preview_holds_no_hidden_repeat_and_a_merged_run_ends_where_its_text_does(demo, client):
    """The repeated text is for paper only (a hidden copy on screen would be read out by screen readers). The last
    cell of a merged run is marked, so a repeat taller than its row is clipped there rather than printed over the
    next measure's own text."""
    from reports.templatetags.memo import monitoring_rows

    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    client.login(username="bangpu.finance", password="ita-demo-2567")
    page = client.get(reverse("reports:memo_detail", args=[memo.pk])).content.decode()
    assert page.count('class="same-above') == 9 and "repeat-at-page-top" not in page
    rows = [{"monitoring": text} for text in ("ก", "ก", "ก", "ข", "ข", "ค", "")]
    assert [(same, last) for _row, same, last in monitoring_rows(rows)] == [
        (False, False),
        (True, False),
        (True, True),
        (False, False),
        (True, True),
        (False, False),
        (False, False),
    ]


def test_progress_table_header_is_the_agencys_wording_or_the_default(demo):
    from reports.tables import STATUS_HEADER, progress_table

    plan = MeasurePlan.objects.get(agency__code="bangpu", fiscal_year=2564)
    assert progress_table(plan, plan.period[1])["status_header"] == "สถานการณ์ดำเนินการ"
    other = MeasurePlan.objects.get(agency__code="nongsamet", fiscal_year=2567)
    assert progress_table(other, other.period[1])["status_header"] == STATUS_HEADER == "สถานะการดำเนินการ"


# ---------------------------------------------------------------- published totals


def test_published_totals_are_printed_and_a_differing_computation_is_said(demo, tmp_path):
    analysis = AnalysisDocument(Assessment.objects.get(agency__code="bangkao", edition__fiscal_year=2565))
    text = text_of(write(tmp_path, analysis.render_pdf()))
    # 2565: published 68.78 (computed 68.79, within rounding: no remark); 2564: published 92.44, computed 90.35.
    assert "๖๘.๗๘" in text and "๖๘.๗๙" not in text
    assert "๙๒.๔๔" in text
    assert has(text, "คะแนนที่คำนวณจากผลรายตัวชี้วัดได้ ๙๐.๓๕ ต่างจากที่ ป.ป.ช. ประกาศ")
    assert text.count("ต่างจากที่ ป.ป.ช. ประกาศ") == 1
    assert not re.search(r"ระดับ(ผลการประเมิน)?\s*C\b", text)  # seed 002 gives no level for 2565

    satengnok = AnalysisDocument(Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2566))
    text = text_of(write(tmp_path, satengnok.render_pdf(), "s.pdf"))
    assert "83.72" in text and "83.71" not in text and "ต่างจากที่ ป.ป.ช. ประกาศ" not in text  # seed 004's digits

    book = load_workbook(io.BytesIO(analysis.render_xlsx()))
    sheet = book["คะแนนรายตัวชี้วัด"]
    last = [c.value for c in sheet[sheet.max_row]]
    # The published total, named as such (never "เฉลี่ย"), with the computed check beside it; no average across
    # agencies (no seed has one).
    assert last[1] == "คะแนนภาพรวมที่ ป.ป.ช. ประกาศ" and last[3] == 92.44 and last[4] == 68.78
    # บางกอก writes Thai digits: the note the workbook builds is in them, as the PDF's (the scores are numbers).
    assert "คะแนนที่คำนวณจากผลรายตัวชี้วัดได้ ๙๐.๓๕ ต่างจากที่ ป.ป.ช. ประกาศ" in last[6]
    assert "ค่าเฉลี่ยในระบบ" not in [c.value for c in sheet[3]]
    assert not any("เฉลี่ย" in str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def test_score_table_gives_the_published_total_and_the_computed_check(demo):
    viewer = UserFactory(is_superuser=True)
    rows = load_workbook(io.BytesIO(ScoreTableDocument(viewer, 2564).render_xlsx()))["ITA 2564"]
    header = [c.value for c in rows[3]]
    bangkao = next(r for r in rows.iter_rows(min_row=4, values_only=True) if r[0] == "เทศบาลตำบลบางเก่า")
    assert bangkao[header.index("คะแนนรวม (ที่ประกาศ)")] == 92.44
    assert bangkao[header.index("คะแนนที่คำนวณ")] == 90.35
    # No level letter the seed does not give; no agency of the year has one, so the column is left out.
    assert "ระดับ" not in header
    assert "ต่างจากที่ ป.ป.ช. ประกาศ" in bangkao[header.index("หมายเหตุ")]


# ---------------------------------------------------------------- analysis documents


def test_analysis_reproduces_seed_002(demo, tmp_path):
    assessment = Assessment.objects.get(agency__code="bangkao", edition__fiscal_year=2565)
    path = write(tmp_path, AnalysisDocument(assessment).render_pdf())
    text = text_of(path)
    parts = [
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        "เทศบาลตำบลบางเก่า ได้จัดทำรายงานวิเคราะห์ผลคะแนนการประเมินคุณธรรมและความโปร่งใส",
        "วิเคราะห์คะแนน ITA ปี ๒๕๖๕ ของเทศบาลตำบลบางเก่า",
        "IIT คะแนนลดลงเมื่อเทียบกับปีก่อน",
        "IIT EIT OIT คะแนนลดลงเมื่อเทียบกับปีก่อน ซึ่งสะท้อนให้เห็นว่า",
        "ตั้งเป้าหมายคะแนนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานไว้ที่ระดับ A (๙๐.๐๐ หรือสูงกว่า)",
        "ระดับความเข้มข้นของมาตรการ",
        "ปรับปรุงให้ดียิ่งขึ้น เพื่อให้ได้คะแนนถึงระดับเป้าหมาย (๙๐.๐๐)",
        "ผลคะแนนตามตัวชี้วัดในปี ๒๕๖๕ และระดับมาตรการที่จะใช้ในปี ๒๕๖๖",
        "วิเคราะห์คะแนนตามแบบประเมินในปี ๒๕๖๕ พร้อมมาตรการที่จะดำเนินการในปี ๒๕๖๖",
        "นายกเทศมนตรีตำบลบางเก่า ได้รับทราบรายงานผลการวิเคราะห์",
        "- ระยะเวลาดำเนินการ มกราคม - มิถุนายน ๒๕๖๖",
        "- งานนิติการ เจ้าหน้าที่ผู้รับผิดชอบการกำกับดูแล",
        "สิ่งที่คาดหวังให้",  # the IIT table's header "สิ่งที่คาดหวังให้ทำได้ดี", wrapped in its column
        "๓.แบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)",
        "- ระยะเวลาดำเนินการ มกราคม - มีนาคม ๒๕๖๖",
    ]
    positions = [squash(text).find(squash(p)) for p in parts]
    assert all(p >= 0 for p in positions), [part for part, p in zip(parts, positions, strict=True) if p < 0]
    assert positions == sorted(positions)  # the seed's order
    # The five IIT indicators share one findings row: their text once, not five times ("line" is in it only).
    assert len(re.findall(r"\bline\b", text)) == 1
    # Indicators are numbered within their tool (EIT's first is "๑.คุณภาพการดำเนินงาน", not ๖.), and each OIT
    # indicator has a table of its own under its own headers (read in lines: a header wraps inside its cell).
    flat = squash(text)
    assert squash("๑.คุณภาพการดำเนินงาน") in flat and squash("๖.คุณภาพการดำเนินงาน") not in flat
    pages = int(
        re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout)[1]
    )
    read = "".join(w[4] for page in range(1, pages + 1) for w in in_lines(words(path, page)))
    oit = read[read.index("๓.แบบวัดการเปิดเผยข้อมูลสาธารณะ") :]
    first, second = oit.index("๑.การเปิดเผยข้อมูล"), oit.index("๒.การป้องกันการ")
    assert 0 < oit.index("คาดว่าจะ") < first  # the first table's header: "สิ่งที่คาดว่าจะทำได้ดี"
    assert first < oit.index("คาดหวัง") < second  # the second's, "สิ่งที่คาดหวังว่าทำได้ดี", over it alone
    # EIT's second indicator gives its points a row each, side by side: its second strength, weakness and
    # measure start on one line (not each under the first points of its own cell).
    tops = {}
    for page in range(1, pages + 1):
        for w in words(path, page):
            for key, start in (("s", "มีการสื่อสารผ่าน"), ("w", "ต้องให้ผู้รับบริการ"), ("m", "จัดกลุ่มผู้มีส่วนได้")):
                if w[4].startswith(start):
                    tops[key] = (page, round(w[1]))
    assert len(tops) == 3 and len({page for page, _y in tops.values()}) == 1, tops
    assert max(y for _p, y in tops.values()) - min(y for _p, y in tops.values()) <= 3, tops


def test_analysis_lists_indicators_in_the_agencys_order_and_leaves_out_those_without_findings(demo, tmp_path):
    assessment = Assessment.objects.get(agency__code="bangkao", edition__fiscal_year=2565)
    path = write(tmp_path, AnalysisDocument(assessment).render_pdf())
    text = squash(text_of(path))
    # Seed 002's order (its indicator_order "1 5 3 2 4 …") in all three tables: the comparison, the bands
    # table numbered in that order (ลำดับ ๒ is การแก้ไขปัญหาการทุจริต), and the IIT findings numbered so.
    iit = ["การปฏิบัติหน้าที่", "การแก้ไขปัญหาการทุจริต", "การใช้อำนาจ", "การใช้งบประมาณ", "การใช้ทรัพย์สินของราชการ"]
    comparison = text[text.index(squash("วิเคราะห์คะแนน ITA ปี ๒๕๖๕")) : text.index(squash("ตั้งเป้าหมายคะแนน"))]
    assert [comparison.index(name) for name in iit] == sorted(comparison.index(name) for name in iit)
    bands = text[text.index(squash("ผลคะแนนตามตัวชี้วัดในปี ๒๕๖๕")) :]
    assert all(squash(f"{'๐๑๒๓๔๕'[n]} {name}") in bands for n, name in enumerate(iit, start=1))
    findings = text[text.index(squash("๑.แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน")) :]
    # (A name may wrap in its narrow cell: its first letters are read with its number.)
    numbered = [findings.index(f"{'๐๑๒๓๔๕'[n]}.{name[:8]}") for n, name in enumerate(iit, start=1)]
    assert numbered == sorted(numbered)
    # EIT's third indicator has no findings: in the score tables, not in the findings (seed 002 prints two).
    eit = findings[findings.index(squash("๒.แบบวัดการรับรู้")) : findings.index(squash("๓.แบบวัดการเปิดเผย"))]
    assert "การปรับปรุงการทำงาน" not in eit and "๒.ประสิทธิภาพ" in eit
    assert text.count("การปรับปรุงการทำงาน") == 2
    # The year before, with no order of the agency's: the framework's (๒ is การใช้งบประมาณ).
    before = Assessment.objects.get(agency__code="bangkao", edition__fiscal_year=2564)
    other = squash(text_of(write(tmp_path, AnalysisDocument(before).render_pdf(), "b.pdf")))
    assert squash("๒ การใช้งบประมาณ") in other and squash("๒ การแก้ไขปัญหาการทุจริต") not in other


def test_analysis_reproduces_seed_004(demo, tmp_path):
    assessment = Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2566)
    path = write(tmp_path, AnalysisDocument(assessment).render_pdf())
    cover = text_of(path, 1, 1)
    assert has(cover, "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    assert has(cover, "ของหน่วยงานภาครัฐ ในปีงบประมาณ พ.ศ. 2566") and "คะแนน" not in cover  # a page of its own
    text = text_of(path)
    # The seed prints Arabic digits: the agency's setting, so every figure, date and page number is Arabic.
    assert not re.search("[๐-๙]", text)
    parts = [
        "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน",
        "คะแนนภาพรวมของหน่วยงาน เทศบาลเมืองสะเตงนอก คะแนนที่ได้ 83.72 คะแนน ระดับผลการประเมิน อยู่ที่ ระดับต้องปรับปรุง",
        # Its indicators as it names them (the official "การแก้ไขปัญหาการทุจริต", "การปรับปรุงระบบการทำงาน").
        "5 การแก้ปัญหาการทุจริต 81.64",
        "8 การปรับปรุงการทำงาน 79.89",
        "ส่วนที่ 1 ข้อมูลรายละเอียดการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2566",
        "ประเด็นที่ 1 กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ",
        "เครื่องมือการประเมิน",
        "ส่วนที่ 2 การนำผลการวิเคราะห์แต่ละประเด็นไปสู่การปฏิบัติ ในปีงบประมาณ พ.ศ. 2567",
        "วิธีการนำผลวิเคราะห์ไปสู่การปฏิบัติ",
        "ส่วนที่ 3 การวิเคราะห์ข้อจำกัดของหน่วยงาน",
        "3.2 ข้อจำกัดการให้บริการและระบบ E-Service",
        "ประชาชนบางส่วนยังไม่เข้าใจในระบบ E-Service",
    ]
    positions = [squash(text).find(squash(p)) for p in parts]
    assert all(p >= 0 for p in positions), [part for part, p in zip(parts, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "ข้อ o42" in text and "การปรับปรุงระบบการทำงาน" not in text
    # Part 2: the steps' sub-unit owners and exact dates, each in its column.
    document = AnalysisDocument(Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2566))
    owners = column_text(path, document, "owner")
    assert has(owners, "สำนักปลัดเทศบาล งานธุรการ") and has(owners, "สำนักปลัดเทศบาล งานนิติการ")
    assert has(column_text(path, document, "period"), "วันเริ่มต้น 1 ต.ค. 2566 วันสิ้นสุด 31 มี.ค. 2567")
    # Another agency's year keeps the official names.
    bangpu = AnalysisDocument(Assessment.objects.get(agency__code="bangpu", edition__fiscal_year=2563))
    bangpu.ensure()
    assert [r.indicator.name_th for r in bangpu.analysis.rows][4] == "การแก้ไขปัญหาการทุจริต"


def test_plan_keeps_the_description_beside_the_steps(demo, tmp_path):
    plan = MeasurePlan.objects.get(agency__code="satengnok", fiscal_year=2567)
    # The demo agency prints Arabic digits, as seed 004; one that prints Thai digits turns typed Arabic ones Thai.
    plan.agency.use_thai_digits = True
    plan.agency.save(update_fields=["use_thai_digits"])
    document = PlanDocument(plan)
    path = write(tmp_path, document.render_pdf())
    text = text_of(path)
    measure = plan.measures.get(number=1)
    # Seed 004's "วิธีการนำผลวิเคราะห์ไปสู่การปฏิบัติ" stays beside the steps.
    assert has(column_text(path, document, "description"), [x for x in measure.description.splitlines() if x][1])
    assert has(column_text(path, document, "steps"), measure.steps.get(order=1).title)
    # A row per method as seed 004 prints it: the monitoring notes beside their period (no monitoring column
    # keyed "ขั้นตอนที่ 4–5: …"), each unit once with no "(ขั้นตอนที่ 1–5)"; Arabic digits of the notes Thai.
    assert "monitoring" not in {c["key"] for c in document.context()["columns"]}
    periods = column_text(path, document, "period")
    assert has(periods, "๑๕ ธ.ค. ๒๕๖๖ – ๑๕ ก.ย. ๒๕๖๗ เดือนละ ๑ ครั้ง ทุกวันที่ ๑๕ ของเดือน") and "4–5" not in text
    assert "ขั้นตอนที่ ๔–๕" not in text and "(ขั้นตอนที่" not in text
    assert has(column_text(path, document, "owner"), "สำนักปลัดเทศบาล งานธุรการ สำนักปลัดเทศบาล งานธุรการ")
    # Widths fitted to the content, rows that may run over a page: page 1 is filled down to its margin.
    assert max(w[3] for w in words(path, 1)) > 595 - 2 * CM - 40
    book = load_workbook(io.BytesIO(document.render_xlsx()))
    sheet = book["มาตรการ"]
    header = [c.value for c in sheet[3]]
    first = [c.value for c in sheet[4]]
    # Measure 1 a row per method (as the PDF), with no number of their own after the first: its description
    # whole across them, each method's steps numbered from 1.
    rows = [first]
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[0] is not None:
            break
        rows.append(row)
    column = header.index("วิธีการดำเนินการ")
    assert len(rows) == 3 and " ".join(r[column] for r in rows).split() == measure.description.split()
    steps_column = header.index("ขั้นตอน/วิธีปฏิบัติ")
    assert all(r[steps_column].startswith("๑. ") for r in rows)  # the step numbers in the agency's digits
    steps = book["ขั้นตอน"]
    owners = {row[3] for row in steps.iter_rows(min_row=4, values_only=True)}
    assert {"สำนักปลัดเทศบาล งานธุรการ", "สำนักปลัดเทศบาล งานนิติการ"} <= owners


def test_results_reproduce_seeds_001_and_003(demo, tmp_path):
    chorakha = MeasurePlan.objects.get(agency__code="chorakha", fiscal_year=2566)
    text = text_of(write(tmp_path, ResultsDocument(chorakha).render_pdf()))
    assert has(text, "การดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖")
    assert has(text, chorakha.introduction)  # seed 001's lead paragraph
    # Seed 001's three columns: no blank owner column, no period column the seed does not have.
    path = tmp_path / "doc.pdf"
    page = words(path, 1)
    top = min(w[1] for w in page if w[4].startswith("มาตรการ/กิจกรรม"))
    first_row = min(w[1] for w in page if w[4].startswith("๑.") and w[1] > top)
    header = squash(" ".join(w[4] for w in in_lines([w for w in page if top - 2 <= w[1] < first_row - 2])))
    assert header == squash("มาตรการ/กิจกรรม สรุปผลการดำเนินงานตามมาตรการ/กิจกรรม ผลลัพธ์/ความสำเร็จของการดำเนินการ")

    nongsamet = MeasurePlan.objects.get(agency__code="nongsamet", fiscal_year=2567)
    path = write(tmp_path, ResultsDocument(nongsamet).render_pdf(), "n.pdf")
    text = text_of(path)
    assert has(text_of(path, 1, 1), "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    measure = nongsamet.measures.get(number=1)
    document = ResultsDocument(nongsamet)
    assert has(text, "ขั้นตอนและวิธีการปฏิบัติ")  # seed 003's steps column
    assert has(column_text(path, document, "steps"), measure.steps.get(order=1).title)
    titles = column_text(path, document, "measure")
    assert has(titles, measure.description.splitlines()[0])  # its sub-points
    # Seed 003 gives its measures' titles unnumbered (the agency's "measure_title": "{title}").
    assert has(titles, measure.title) and squash(f"๑. {measure.title}") not in squash(titles)
    assert has(text, nongsamet.introduction) and "ทุกกอง" in text
    # Seed 003 words its last two headers its own way; seed 001 keeps the defaults (above).
    summary = column_text(path, document, "summary")
    assert has(summary, "สรุปผลการดำเนินการตามมาตรการหรือกิจกรรม")
    assert has(column_text(path, document, "outcome"), "ผลลัพธ์หรือความสำเร็จของการดำเนินการ")
    # Its second measure runs the whole year: "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗", as the seed, not "ต.ค. ๖๖ – ก.ย. ๖๗".
    assert has(column_text(path, document, "period"), "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗")


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def first_page_of(path: Path, phrases: dict[int, str]) -> dict[int, int]:
    """The page on which each phrase is first read."""
    found: dict[int, int] = {}
    for page in range(1, page_count(path) + 1):
        flat = squash(text_of(path, page, page))
        for key, phrase in phrases.items():
            if key not in found and squash(phrase) in flat:
                found[key] = page
    return found


def test_results_seed_001_numbers_its_first_four_measures_and_keeps_its_pages(demo, tmp_path):
    chorakha = MeasurePlan.objects.get(agency__code="chorakha", fiscal_year=2566)
    document = ResultsDocument(chorakha)
    path = write(tmp_path, document.render_pdf())
    titles = squash(column_text(path, document, "measure"))
    measures = {m.number: m.title for m in chorakha.measures.all()}
    # The seed's "๑."–"๔.", then six measures printed without a number (the agency's measure_<n>_title).
    for number in (1, 2, 3, 4):
        assert squash(f"{'๐๑๒๓๔'[number]}. {measures[number]}") in titles
    for number in range(5, 11):
        assert squash(measures[number]) in titles
        assert squash(f". {measures[number]}") not in titles, number
    # The seed's pages: its table at the 16-pt body size (an outcome wraps where the seed's does), a measure
    # that does not fit the rest of a page starts the next one. Page 1 holds ๑ and ๒, page 2 ๓ and ๔, then
    # ๕ and ๖ a page each; the last measure's points ๙–๑๑ run onto a page of their own, as in the seed.
    printed = {w[4] for page in range(1, page_count(path) + 1) for w in words(path, page)}
    assert "บุคคลเป็นแนวทางปฏิบัติในการดำเนินการด้านการ" in printed  # a whole line of the seed's measure ๙
    pages = first_page_of(path, {n: measures[n][:30] for n in range(1, 7)})
    assert pages == {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 4}, pages
    last = text_of(path, page_count(path), page_count(path))
    assert has(last, "๙. รายงานผลการวิเคราะห์การประเมิน ITA") and not has(last, "๘. รายงานผลการดำเนินการป้องกัน")
    # Another agency's report keeps the default: every measure numbered.
    satengnok = MeasurePlan.objects.get(agency__code="satengnok", fiscal_year=2567)
    other = ResultsDocument(satengnok)
    other_path = write(tmp_path, other.render_pdf(), "s.pdf")
    other_titles = squash(column_text(other_path, other, "measure"))
    for measure in satengnok.measures.all():
        assert squash(f"{measure.number}. {measure.title}") in other_titles
    # Its measures are taller than a page: they run over where they fall, so no page is left half blank
    # (moved whole to a new page, they left the lower half of every other page empty).
    bottoms = [max(w[3] for w in words(other_path, page)) for page in range(1, page_count(other_path))]
    assert min(bottoms) > 440, bottoms  # of 595 pt, the text ending at 538


# ---------------------------------------------------------------- the agency's wording


def test_agency_text_is_a_template_filled_with_the_data(demo, tmp_path):
    assessment = Assessment.objects.get(agency__code="bangkao", edition__fiscal_year=2565)
    document_text_save(
        agency=assessment.agency,
        fiscal_year=2565,
        document=DocumentText.Document.ANALYSIS,
        key="target",
        text="ปี {next_year} {agency} ตั้งเป้าไว้ที่ {target} คะแนน {unknown}",
    )
    text = text_of(write(tmp_path, AnalysisDocument(assessment).render_pdf()))
    assert has(text, "ปี ๒๕๖๖ เทศบาลตำบลบางเก่า ตั้งเป้าไว้ที่ ๙๐.๐๐ คะแนน {unknown}")
    # Another agency's year is untouched by it.
    other = AnalysisDocument(Assessment.objects.get(agency__code="satengnok", edition__fiscal_year=2566))
    assert "ตั้งเป้าไว้ที่" not in text_of(write(tmp_path, other.render_pdf(), "o.pdf"))
    assert fill("{agency} {year}", {"agency": "ก"}) == "ก {year}"
    with pytest.raises(ValidationError):
        document_text_save(agency=assessment.agency, fiscal_year=2565, document="analysis", key="Bad Key", text="x")
    with pytest.raises(ValidationError):
        document_text_save(
            agency=assessment.agency, fiscal_year=2565, document="analysis", key="opening", text="ก" * 5001
        )


def test_export_documents_writes_each_seed_agency_year(demo, tmp_path):
    with pytest.raises(CommandError, match="--agency"):
        call_command("export_documents", out=tmp_path, stdout=io.StringIO())
    call_command("export_documents", seeds=True, out=tmp_path, format="xlsx", stdout=io.StringIO())
    written = {p.parent.name: set() for p in tmp_path.glob("*/*")}
    for p in tmp_path.glob("*/*"):
        written[p.parent.name].add(p.name)
    assert "analysis-bangkao-2565.xlsx" in written["002-bangkao-2566"]
    assert {"plan-satengnok-2567.xlsx", "analysis-satengnok-2566.xlsx"} <= written["004-satengnok-2567"]
    assert "results-chorakha-2566.xlsx" in written["001-chorakha-2566"]


def test_seed_000_subject_wraps_before_the_fiscal_year_not_inside_it(demo, tmp_path):
    """Seed 000's เรื่อง runs to a second line that starts "ประจำปีงบประมาณ ๒๕๖๔": the line breaker would split
    "ประจำ | ปีงบประมาณ" (era_together keeps the term and its year together)."""
    memo = Memo.objects.get(agency__code="bangpu", plan__fiscal_year=2564)
    path = write(tmp_path, MemoDocument(memo).render_pdf())
    raw = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in raw.splitlines()]
    assert any(line.startswith("ประจำปีงบประมาณ ๒๕๖๔") for line in lines), lines[:20]
    assert not any(line.endswith("ประจำ") for line in lines)
