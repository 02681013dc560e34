"""What the PDF text-layer fix (reports/pdftext.py) costs and changes, on a 2-page Thai memo.

    .venv/bin/python bench/pdftext_bench.py

Renders the memo 20 times with WeasyPrint as shipped and 20 times with the fix, in separate processes that
are warm (imported, one render first): 10 rounds of 2 renders, the two kinds of process taking turns so that
a busy machine weighs on both alike. Prints the median wall and CPU time of a render and the ratios. Then
compares the pages of both PDFs at 72 dpi (pdftoppm; identical when Pillow finds no difference at all) and
counts how many of the memo's texts pdftotext reads back exactly. Needs poppler-utils and the Laksaman font.
"""

import html
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[1]
ROUNDS, RENDERS = 10, 2  # 20 renders of each kind

# Seed memo 000 (สำนักปลัดเทศบาล, เทศบาลตำบลบางปู), shortened; the ✓ falls back to DejaVu Sans.
HEAD = [
    ("ส่วนราชการ", "สำนักงานเทศบาลตำบลบางปู สำนักปลัดเทศบาล"),
    ("ที่", "บัน ๕๒๗๐๑.๕/"),
    ("วันที่", "๓ พฤษภาคม ๒๕๖๔"),
    (
        "เรื่อง",
        "รายงานผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ ๒๕๖๔",
    ),
    ("เรียน", "หัวหน้าสำนักปลัดเทศบาล/ปลัดเทศบาล"),
]
PARAGRAPHS = [
    "ตามที่สำนักปลัดเทศบาล ได้รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงาน"
    "ภาครัฐในปี พ.ศ. ๒๕๖๓ และได้กำหนดมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานให้ดีขึ้น "
    "ตามบันทึกข้อความที่ บัน ๕๒๗๐๑.๕/.....ลงวันที่ ๓๐ กันยายน ๒๕๖๓ เรื่อง รายงานการวิเคราะห์ผลการประเมินคุณธรรม"
    "และความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐในปี พ.ศ. ๒๕๖๓ ของเทศบาลตำบลบางปู มีรายละเอียดดังนี้",
    "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment "
    ": ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๓ ของเทศบาลตำบลบางปู อำเภอยะหริ่ง จังหวัดปัตตานี มีผลคะแนนเท่ากับ ๘๑.๔๙ "
    "คะแนน อยู่ในระดับ B และเพื่อให้ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ มีระดับคะแนนที่สูงขึ้น สำนักปลัดเทศบาล ขอรายงานผลการดำเนินการตามมาตรการ"
    "เพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ดังต่อไปนี้",
]
TABLE_HEADER = ["มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "ผลการดำเนินการ"]
TABLE_ROWS = [
    [
        "๑) มีแนวทางปฏิบัติเกี่ยวกับการใช้ทรัพย์สินของราชการที่ถูกต้อง",
        "-จัดทำแนวทางการปฏิบัติการใช้ทรัพย์สินของราชการ",
        "สำนักปลัดเทศบาล",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "✓",
    ],
    [
        "๒) การให้ความรู้เกี่ยวกับประโยชน์ทับซ้อน",
        "-จัดฝึกอบรมหรือประชุมพนักงานของหน่วยงานในการให้ความรู้เกี่ยวกับผลประโยชน์ทับซ้อน",
        "สำนักปลัดเทศบาล",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "✓",
    ],
    [
        "๓) ให้ความรู้เรื่องการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
        "-รณรงค์ให้ความรู้เรื่องการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐผ่านสื่อสังคม"
        "ออนไลน์หรือสื่อสารสนเทศของหน่วยงาน",
        "สำนักปลัดเทศบาล",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "✓",
    ],
    [
        "๗) เปิดโอกาสให้ผู้รับบริการหรือผู้มีส่วนได้เสียเข้ามามีส่วนร่วมในการปรับปรุงการดำเนินงาน",
        "-ประชาสัมพันธ์ช่องทางการร้องเรียน การให้ข้อเสนอแนะเพื่อให้บุคลากรและสาธารณชนรับทราบอย่างกว้างขวาง "
        "-เพิ่มช่องทางในการร้องเรียนทุจริต ขณะเดียวกันต้องมีมาตรการในการคุ้มครองผู้ร้องเรียนอย่างมีคุณภาพ",
        "สำนักปลัดเทศบาล",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "✓",
    ],
    [
        "๘) มีการมอบหมายงาน การปฏิบัติงานรวมถึง การประเมินผลการปฏิบัติงานตามระดับคุณภาพงาน โดยไม่เลือกปฏิบัติ",
        "-สร้างความเข้าใจร่วมกันเกี่ยวกับเกณฑ์การประเมินและการทำงาน -ผู้บริหารเน้นย้ำในที่ประชุมเรื่องการประเมิน "
        "-การปรับปรุงคุณภาพการปฏิบัติงาน/การให้บริการ",
        "สำนักปลัดเทศบาล",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "✓",
    ],
    [
        "๙) การรับรู้เกี่ยวกับแผนการใช้จ่ายเงิน แผนการจัดซื้อจัดจ้าง การใช้จ่ายงบประมาณประจำปีของหน่วยงาน",
        "-สร้างการรับรู้เกี่ยวกับแผนการใช้จ่ายงบประมาณประจำปีให้บุคลากรในหน่วยงานทราบ -เปิดโอกาสให้บุคลากรภายใน"
        "หน่วยงานมีส่วนร่วมในการตรวจสอบการใช้จ่ายงบประมาณในรูปแบบการแต่งตั้งเป็นคณะกรรมการชุดต่างๆที่เกี่ยวข้อง",
        "กองคลัง",
        "ต.ค.๖๓ - ก.ย.๖๔",
        "อยู่ระหว่างดำเนินการ",
    ],
]
CLOSING = ["จึงเรียนมาเพื่อโปรดทราบ", "(นางสาวรีวิวทรัพย์ พนูนวัล)", "นักวิเคราะห์นโยบายและแผนชำนาญการ"]
TEXTS = (
    [text for pair in HEAD for text in pair]
    + PARAGRAPHS
    + TABLE_HEADER
    + [c for row in TABLE_ROWS for c in row]
    + CLOSING
)

CSS = """
@page { size: A4; margin: 2.5cm 2cm 2cm 3cm }
body { font-family: Laksaman; font-size: 10.667pt; line-height: 20.8pt }
h1 { font-size: 18.667pt; text-align: center; margin: 0 0 12pt }
p { margin: 0 0 6pt; text-indent: 2.5cm }
p.head { text-indent: 0 }
table { border-collapse: collapse; margin: 6pt 0 }
tr { break-inside: avoid }
th, td { border: 0.5pt solid black; padding: 0 4pt; vertical-align: top; text-align: left }
.closing { break-inside: avoid; margin-left: 7cm; text-align: center }
"""


def memo_html():
    def row(cells, tag):
        return "<tr>" + "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in cells) + "</tr>"

    head = "".join(f"<p class='head'><b>{html.escape(a)}</b> {html.escape(b)}</p>" for a, b in HEAD)
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in PARAGRAPHS)
    table = "<table>" + row(TABLE_HEADER, "th") + "".join(row(cells, "td") for cells in TABLE_ROWS) + "</table>"
    closing = "<div class='closing'>" + "".join(f"<p class='head'>{html.escape(t)}</p>" for t in CLOSING) + "</div>"
    return f"<html lang='th'><style>{CSS}</style><body><h1>บันทึกข้อความ</h1>{head}{body}{table}{closing}</body></html>"


def worker(mode, out):
    """Runs in its own process: import, render once, then time RENDERS renders (wall, CPU)."""
    sys.path.insert(0, str(ROOT))
    import weasyprint

    if mode == "fixed":
        from reports import pdftext

        pdftext.install()
    document = memo_html()
    weasyprint.HTML(string=document).write_pdf()
    times = []
    for _ in range(RENDERS):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = weasyprint.HTML(string=document).write_pdf()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    Path(out).write_bytes(pdf)
    print(json.dumps(times))


def read_back(pdf):
    """How many of the memo's texts pdftotext -raw gives exactly (a newline allowed where a line wrapped)."""
    text = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", lambda match: "\n" if re.search(r"[\n\f]", match.group()) else " ", text)
    found = 0
    for source in TEXTS:
        source = re.sub(r"\s+", " ", source).strip()
        found += re.search("\n?".join("[ \n]" if c == " " else re.escape(c) for c in source), text) is not None
    return found


def main():
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        times = {"shipped": [], "fixed": []}
        for _ in range(ROUNDS):
            for mode in times:
                command = [sys.executable, __file__, "--worker", mode, folder / f"{mode}.pdf"]
                out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
                times[mode] += json.loads(out.splitlines()[-1])
        medians = {}
        for mode, pairs in times.items():
            medians[mode] = [statistics.median(pair[k] for pair in pairs) for k in (0, 1)]
            wall, cpu = medians[mode]
            print(f"{mode:8} median of {len(pairs)} warm renders: {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU")
        wall, cpu = (medians["fixed"][k] / medians["shipped"][k] for k in (0, 1))
        print(f"ratio fixed / shipped: {wall:.3f} wall, {cpu:.3f} CPU")

        pages = {}
        for mode in ("shipped", "fixed"):
            subprocess.run(["pdftoppm", "-r", "72", "-png", folder / f"{mode}.pdf", folder / mode], check=True)
            pages[mode] = sorted(folder.glob(f"{mode}-*.png"))
        same = len(pages["shipped"]) == len(pages["fixed"])
        for shipped, fixed in zip(pages["shipped"], pages["fixed"], strict=False):
            with Image.open(shipped) as a, Image.open(fixed) as b:
                box = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
            same = same and box is None
            print(f"page {shipped.stem.rsplit('-', 1)[1]}: {'identical' if box is None else f'differs in {box}'}")
        print(f"pages (72 dpi): {len(pages['fixed'])}, pixel-identical: {'yes' if same else 'NO'}")

        for mode in ("shipped", "fixed"):
            found = read_back(folder / f"{mode}.pdf")
            print(f"{mode:8} pdftotext -raw gives {found} of {len(TEXTS)} texts exactly")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], sys.argv[3])
    else:
        main()
