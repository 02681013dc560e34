"""What the memo-speed changes must not change: the dotted guide lines still print as dots along the whole
line (reports.pdfborders draws them as one stroke), and the plan table's columns follow what they hold."""

import shutil
import subprocess

import pytest
from PIL import Image

from reports import pdftext
from reports.tables import PLAN_COLUMNS
from reports.templatetags.memo import plan_table_head

GUIDE = (
    '<html><body style="margin: 0"><p style="width: 6cm; line-height: 20pt; '
    'border-bottom: 0.75pt dotted #000">&nbsp;</p></body></html>'
)


def _darkest_row(pdf: bytes, tmp_path) -> list[bool]:
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf)
    command = ["pdftoppm", "-r", "300", "-gray", "-f", "1", "-l", "1", "-png", path, tmp_path / "page"]
    subprocess.run(command, check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    pixels = image.load()
    rows = [[pixels[x, y] < 128 for x in range(width)] for y in range(height // 4)]
    return max(rows, key=sum)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils")
def test_a_bottom_dotted_guide_line_prints_as_round_dots_along_its_width(tmp_path):
    row = _darkest_row(pdftext.render_pdf(GUIDE), tmp_path)
    dark = [x for x, on in enumerate(row) if on]
    runs = sum(1 for x in range(1, len(row)) if row[x] and not row[x - 1]) + bool(row[0])
    dots_expected = 6 / 2.54 * 72 / 1.5  # one 0.75-pt dot every 1.5 pt along 6 cm
    assert dark[-1] - dark[0] == pytest.approx(6 / 2.54 * 300, abs=8)  # from one end of the box to the other
    assert runs == pytest.approx(dots_expected, rel=0.1)  # dots, not a solid rule
    assert 0.3 < len(dark) / (dark[-1] - dark[0]) < 0.7


def _seed_like_row(**changes) -> dict:
    row = {
        "number": 1,
        "title": "มีแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง",
        "steps": ["-จัดทำแนวทางการปฏิบัติการใช้ทรัพย์สินของราชการและเผยแพร่ให้บุคลากรในหน่วยงานทราบโดยทั่วกัน"],
        "responsible": "กองคลัง",
        "period": "ต.ค. 63 – ก.ย. 64",
        "monitoring": "รายงานความก้าวหน้าและสรุปผล",
    }
    return {**row, **changes}


def test_the_plan_table_columns_follow_what_they_hold():
    head = plan_table_head({"columns": PLAN_COLUMNS, "rows": [_seed_like_row(), _seed_like_row(number=2)]})
    assert [column for column, _width in head] == PLAN_COLUMNS
    keys = ("title", "steps", "responsible", "period", "monitoring")
    widths = dict(zip(keys, (float(w[:-1]) for _c, w in head), strict=True))
    assert sum(widths.values()) == pytest.approx(100, abs=0.5)
    assert widths["steps"] > widths["title"] > widths["responsible"]
    assert widths["period"] >= 16  # wide enough for "ต.ค. ๖๓ – ก.ย. ๖๔" on one line, whatever the others hold


def test_a_long_column_does_not_squeeze_the_period():
    head = plan_table_head({"columns": PLAN_COLUMNS, "rows": [_seed_like_row(steps=["ขั้นตอน" * 400])]})
    widths = [float(w[:-1]) for _c, w in head]
    assert widths[3] >= 16
    assert min(widths) >= 10


def test_a_table_frozen_with_other_columns_keeps_equal_widths():
    head = plan_table_head({"columns": ["มาตรการ", "ผู้รับผิดชอบ"], "rows": [_seed_like_row()]})
    assert head == [("มาตรการ", ""), ("ผู้รับผิดชอบ", "")]
