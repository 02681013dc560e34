"""reports.pdftext.PrintHTML: WeasyPrint's user-agent stylesheet without its footnote and note rules, and the
documents look exactly as with WeasyPrint's own."""

import shutil
import subprocess

import pytest
import weasyprint
from weasyprint.html import UA

from reports import pdftext

HTML = (
    """<!doctype html><html lang="th"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 1.5cm 2cm 2cm 3cm; @top-center { content: "- " counter(page, thai) " -"; } }
@page :first { @top-center { content: none; } }
html { font-family: Laksaman, "DejaVu Sans"; font-size: 10.7pt; line-height: 20.8pt; }
table { width: 100%; border-collapse: collapse; } thead { display: table-header-group; }
th, td { border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: top; } tr { break-inside: avoid; }
</style></head><body>
<h1>บันทึกข้อความ</h1><h2>ข้อเท็จจริง</h2><p>ตามที่สำนักปลัดเทศบาลได้รายงานผลการประเมิน<br>บรรทัดที่สอง</p>
<table><thead><tr><th>มาตรการ</th><th>ขั้นตอน</th></tr></thead><tbody>
"""
    + "".join(
        f"<tr><td>({n}) มาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส</td><td>-ขั้นตอนที่หนึ่ง<br>-ขั้นตอนที่สอง</td></tr>"
        for n in range(1, 40)
    )
    + "</tbody></table><section><h2>ข้อเสนอ</h2><p><b>เรียน</b> ปลัดเทศบาล</p></section></body></html>"
)


def test_the_print_stylesheet_leaves_out_the_footnote_rules_only():
    ours = pdftext.print_ua_stylesheet()
    assert isinstance(ours, weasyprint.CSS)
    left_out = [line.strip() for line in UA.splitlines() if line.lstrip().startswith(pdftext.WITHOUT_RULES)]
    assert len(left_out) == 7 and all("footnote" in line or "note" in line for line in left_out)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
def test_documents_look_the_same_as_with_weasyprints_own_stylesheet(tmp_path):
    pdftext.install()
    ours = pdftext.render_pdf(HTML)
    theirs = weasyprint.HTML(string=HTML).write_pdf()
    pages = {}
    for name, pdf in (("ours", ours), ("theirs", theirs)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-png", tmp_path / f"{name}.pdf", tmp_path / name], check=True)
        pages[name] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.png"))]
    assert len(pages["ours"]) >= 2  # the table runs over a page break, with its header repeated
    assert pages["ours"] == pages["theirs"]
