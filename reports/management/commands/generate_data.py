"""``python manage.py generate_data --agencies N --years K``: realistic data at national scale, for
benchmarks and for trying the product with thousands of agencies.

What it makes, per generated agency (codes ``gen-00001``, … after any existing ``gen-`` codes):

* the agency, spread over the types and provinces as in Thailand (about 1% อบจ., 0.4% เทศบาลนคร,
  2.5% เทศบาลเมือง, 28% เทศบาลตำบล, 68% อบต.), 3–6 divisions with letter codes, a coordinator, 1–3
  staff, 2–3 approvers, an agency admin, and a three-step approval chain;
* per fiscal year: an assessment with the ten indicator scores and every item score of that year's
  edition, the tool scores, total and level computed with ``assessments.scoring.compute``, a published
  total for most (a few off by more than rounding); a measure plan of 10–20 measures with steps,
  divisions, indicators and 2–6 progress updates; and its memos (analysis, plan, 6- and 12-month
  progress) through the approval chain, in every state (draft, pending at each step, returned,
  approved), numbered per agency and year, with their steps, events and counters;
* one national viewer (``national.viewer``) following every generated agency, and a viewer per
  province (``province.NN``) following the agencies of that province.

Speed: rows are built in Python with explicit primary keys (no per-row query, no per-row
``full_clean``), agencies are processed in chunks, and the whole run is one transaction. On PostgreSQL
rows go in with ``COPY`` (``--method copy``, the default there); elsewhere with ``executemany``
(``insert``). ``--method bulk`` uses ``bulk_create(batch_size=…)`` instead, for comparison; note that
``bulk_create`` stamps ``auto_now``/``auto_now_add`` fields with the current time, so with it the
history dates of memos and events are "now" rather than the dates of the story.

Every row respects the models' constraints (the run fails on the first violation and rolls back).
Passwords: all generated users share one password hashed once (``--password``), or have an unusable
password (the default).
"""

from __future__ import annotations

import argparse
import io
import json
import queue
import random
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from agencies.models import Agency, Department, Membership
from assessments import scoring
from assessments.averages import indicator_averages_rebuild
from assessments.models import Assessment, FrameworkEdition, IndicatorScore, ItemScore, TargetBands, ToolScore
from ita_tracker.thai import fiscal_year_range, format_period, half_year_end, to_be, to_ce
from measures.models import Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status
from reports import services
from reports.models import ApprovalChain, ApprovalChainStep, Memo, MemoCounter, MemoEvent, MemoStep
from reports.tables import ANALYSIS_COLUMNS, PLAN_COLUMNS, PROGRESS_COLUMNS

User = get_user_model()

BANGKOK = ZoneInfo("Asia/Bangkok")
LATEST_YEAR = 2568
EARLIEST_YEAR = 2564
CODE_PREFIX = "gen-"
NATIONAL_VIEWER = "national.viewer"
ZERO = Decimal("0.00")
HUNDRED = Decimal("100.00")
# Rows of a measure table kept in a submitted memo: enough to render the memo page, small enough that
# 150,000 memos do not weigh hundreds of megabytes.
TABLE_ROWS = 5

# --------------------------------------------------------------------------------------------- places

# The 77 provinces (76 and Bangkok), their letter-code abbreviations (as in "ที่ ปน 52701.5/…") and
# region. Regions weigh how many local governments a province has (the northeast has the most).
PROVINCES: list[tuple[str, str, str]] = [
    ("กรุงเทพมหานคร", "กท", "central"),
    ("กระบี่", "กบ", "south"),
    ("กาญจนบุรี", "กจ", "central"),
    ("กาฬสินธุ์", "กส", "northeast"),
    ("กำแพงเพชร", "กพ", "north"),
    ("ขอนแก่น", "ขก", "northeast"),
    ("จันทบุรี", "จบ", "central"),
    ("ฉะเชิงเทรา", "ฉช", "central"),
    ("ชลบุรี", "ชบ", "central"),
    ("ชัยนาท", "ชน", "central"),
    ("ชัยภูมิ", "ชย", "northeast"),
    ("ชุมพร", "ชพ", "south"),
    ("เชียงราย", "ชร", "north"),
    ("เชียงใหม่", "ชม", "north"),
    ("ตรัง", "ตง", "south"),
    ("ตราด", "ตร", "central"),
    ("ตาก", "ตก", "north"),
    ("นครนายก", "นย", "central"),
    ("นครปฐม", "นฐ", "central"),
    ("นครพนม", "นพ", "northeast"),
    ("นครราชสีมา", "นม", "northeast"),
    ("นครศรีธรรมราช", "นศ", "south"),
    ("นครสวรรค์", "นว", "north"),
    ("นนทบุรี", "นบ", "central"),
    ("นราธิวาส", "นธ", "south"),
    ("น่าน", "นน", "north"),
    ("บึงกาฬ", "บก", "northeast"),
    ("บุรีรัมย์", "บร", "northeast"),
    ("ปทุมธานี", "ปท", "central"),
    ("ประจวบคีรีขันธ์", "ปข", "central"),
    ("ปราจีนบุรี", "ปจ", "central"),
    ("ปัตตานี", "ปน", "south"),
    ("พระนครศรีอยุธยา", "อย", "central"),
    ("พะเยา", "พย", "north"),
    ("พังงา", "พง", "south"),
    ("พัทลุง", "พท", "south"),
    ("พิจิตร", "พจ", "north"),
    ("พิษณุโลก", "พล", "north"),
    ("เพชรบุรี", "พบ", "central"),
    ("เพชรบูรณ์", "พช", "north"),
    ("แพร่", "พร", "north"),
    ("ภูเก็ต", "ภก", "south"),
    ("มหาสารคาม", "มค", "northeast"),
    ("มุกดาหาร", "มห", "northeast"),
    ("แม่ฮ่องสอน", "มส", "north"),
    ("ยโสธร", "ยส", "northeast"),
    ("ยะลา", "ยล", "south"),
    ("ร้อยเอ็ด", "รอ", "northeast"),
    ("ระนอง", "รน", "south"),
    ("ระยอง", "รย", "central"),
    ("ราชบุรี", "รบ", "central"),
    ("ลพบุรี", "ลบ", "central"),
    ("ลำปาง", "ลป", "north"),
    ("ลำพูน", "ลพ", "north"),
    ("เลย", "ลย", "northeast"),
    ("ศรีสะเกษ", "ศก", "northeast"),
    ("สกลนคร", "สน", "northeast"),
    ("สงขลา", "สข", "south"),
    ("สตูล", "สต", "south"),
    ("สมุทรปราการ", "สป", "central"),
    ("สมุทรสงคราม", "สส", "central"),
    ("สมุทรสาคร", "สค", "central"),
    ("สระแก้ว", "สก", "central"),
    ("สระบุรี", "สบ", "central"),
    ("สิงห์บุรี", "สห", "central"),
    ("สุโขทัย", "สท", "north"),
    ("สุพรรณบุรี", "สพ", "central"),
    ("สุราษฎร์ธานี", "สฎ", "south"),
    ("สุรินทร์", "สร", "northeast"),
    ("หนองคาย", "นค", "northeast"),
    ("หนองบัวลำภู", "นภ", "northeast"),
    ("อ่างทอง", "อท", "central"),
    ("อำนาจเจริญ", "อจ", "northeast"),
    ("อุดรธานี", "อด", "northeast"),
    ("อุตรดิตถ์", "อต", "north"),
    ("อุทัยธานี", "อน", "north"),
    ("อุบลราชธานี", "อบ", "northeast"),
]
BANGKOK_PROVINCE = "กรุงเทพมหานคร"
# Approximate share of Thailand's ~7,800 local governments per region (the northeast has the most).
REGION_SHARE = {"northeast": 0.35, "north": 0.21, "central": 0.29, "south": 0.15}

# Type, share of all agencies, name prefix, the head's title prefix, the office of the ปลัด.
AGENCY_TYPES: list[tuple[str, float, str, str, str]] = [
    (Agency.Type.PAO, 76 / 7850, "องค์การบริหารส่วนจังหวัด", "นายกองค์การบริหารส่วนจังหวัด", "สำนักปลัด"),
    (Agency.Type.CITY, 30 / 7850, "เทศบาลนคร", "นายกเทศมนตรีนคร", "สำนักปลัดเทศบาล"),
    (Agency.Type.TOWN, 195 / 7850, "เทศบาลเมือง", "นายกเทศมนตรีเมือง", "สำนักปลัดเทศบาล"),
    (Agency.Type.SUBDISTRICT_MUNICIPALITY, 2200 / 7850, "เทศบาลตำบล", "นายกเทศมนตรีตำบล", "สำนักปลัดเทศบาล"),
    (Agency.Type.SAO, 5349 / 7850, "องค์การบริหารส่วนตำบล", "นายกองค์การบริหารส่วนตำบล", "สำนักปลัด"),
]
TYPE_INFO = {t[0]: t for t in AGENCY_TYPES}

PLACE_HEADS = [
    "บ้าน", "หนอง", "โนน", "นา", "ดอน", "ห้วย", "บาง", "โคก", "ท่า", "วัง", "คลอง", "บึง", "สระ", "เขา",
    "ทุ่ง", "ป่า", "หัว", "น้ำ", "ลำ", "แม่", "เกาะ", "ควน", "ปาก", "โพธิ์", "ศรี", "สาม", "เชียง", "เวียง",
]  # fmt: skip
PLACE_TAILS = [
    "บัว", "แก้ว", "ใหญ่", "ทอง", "งาม", "ยาว", "สูง", "ใหม่", "เหนือ", "ใต้", "ไผ่", "ขาม", "แดง", "หลวง",
    "น้อย", "สวรรค์", "ม่วง", "จันทร์", "กลาง", "โพธิ์", "ทราย", "เตย", "กุ่ม", "ตาล", "สะแก", "ดู่", "ยาง",
    "ช้าง", "เสือ", "พระ", "คำ", "หิน", "ลาด", "กระทุ่ม", "ขี้เหล็ก", "มะม่วง", "ตะเคียน", "กระเบื้อง", "ชุม",
    "เจริญ", "สมบูรณ์", "พัฒนา",
]  # fmt: skip

MALE_NAMES = [
    "สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย", "สุรชัย", "ธนากร", "อนุชา", "กิตติพงษ์", "ณัฐพล", "วีระ",
    "ชัยวัฒน์", "สมบัติ", "อภิชาติ", "พงษ์ศักดิ์", "สุทธิพงษ์", "ไพโรจน์", "บุญเลิศ", "อับดุลเลาะ", "สมาแอ",
    "อิสมาแอ", "ธีรวัฒน์", "วรวุฒิ",
]  # fmt: skip
FEMALE_NAMES = [
    "สุดารัตน์", "พิมพ์ชนก", "กนกวรรณ", "นัทธมน", "จำปา", "วันเพ็ญ", "รัตนา", "ศิริพร", "อรุณี", "สุภาพร",
    "ปิยะนุช", "ธิดารัตน์", "นูรีซัน", "มาลี", "กาญจนา", "พรทิพย์", "จิราพร", "สุกัญญา", "อัญชลี", "วิไลวรรณ",
]  # fmt: skip
LAST_NAMES = [
    "ศรีสุข", "บุญมา", "แก้วประเสริฐ", "ทองดี", "เจริญผล", "รักษ์ถิ่น", "นิลวงศ์", "ศรีตราด", "สาและ", "ดือราแม",
    "มะแซ", "หะยีเจ๊ะ", "จันทร์เพ็ญ", "สุขสวัสดิ์", "วงศ์สวัสดิ์", "พรหมมา", "ชัยมงคล", "ศรีวงศ์", "ทองคำ",
    "แสงทอง", "บุญเรือง", "อินทร์แก้ว", "สมบูรณ์", "ปัญญาดี", "ใจดี", "ยูโซะ",
]  # fmt: skip

# Divisions after the ปลัด's office: the first two always, the others as the agency has them.
DEPARTMENTS_ALWAYS = ["กองคลัง", "กองช่าง"]
DEPARTMENTS_OPTIONAL = [
    "กองการศึกษา ศาสนาและวัฒนธรรม",
    "กองสาธารณสุขและสิ่งแวดล้อม",
    "กองสวัสดิการสังคม",
    "กองยุทธศาสตร์และงบประมาณ",
    "กองส่งเสริมการเกษตร",
    "กองการเจ้าหน้าที่",
    "หน่วยตรวจสอบภายใน",
]
STAFF_POSITIONS = {
    "กองคลัง": "นักวิชาการเงินและบัญชี",
    "กองช่าง": "นายช่างโยธา",
    "กองการศึกษา ศาสนาและวัฒนธรรม": "นักวิชาการศึกษา",
    "กองสาธารณสุขและสิ่งแวดล้อม": "นักวิชาการสาธารณสุข",
    "กองสวัสดิการสังคม": "นักพัฒนาชุมชน",
    "กองยุทธศาสตร์และงบประมาณ": "นักวิเคราะห์นโยบายและแผน",
    "กองส่งเสริมการเกษตร": "นักวิชาการส่งเสริมการเกษตร",
    "กองการเจ้าหน้าที่": "นักทรัพยากรบุคคล",
    "หน่วยตรวจสอบภายใน": "นักวิชาการตรวจสอบภายใน",
}
LEVELS = ["ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ"]

# Measures agencies set after an analysis, with the indicators they aim at.
MEASURE_POOL: list[tuple[str, tuple[int, ...]]] = [
    ("ประกาศเจตจำนงสุจริตในการบริหารงานของผู้บริหาร", (5, 10)),
    ("เผยแพร่ข้อมูลข่าวสารของหน่วยงานผ่านเว็บไซต์ให้ครบถ้วนและเป็นปัจจุบัน", (9,)),
    ("จัดทำแผนการจัดซื้อจัดจ้างและรายงานผลการจัดซื้อจัดจ้างรายเดือน", (2, 9)),
    ("จัดทำคู่มือการปฏิบัติงานและมาตรฐานการให้บริการ", (1, 6)),
    ("เปิดช่องทางรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", (5, 9)),
    ("ส่งเสริมการใช้ทรัพย์สินของราชการอย่างถูกต้อง (การยืม-คืนพัสดุ)", (4,)),
    ("อบรมให้ความรู้เรื่องผลประโยชน์ทับซ้อนแก่บุคลากร", (3, 5)),
    ("จัดทำรายงานการกำกับติดตามการใช้จ่ายงบประมาณประจำปี", (2, 9)),
    ("พัฒนาระบบ E-Service ในการให้บริการประชาชน", (6, 8, 9)),
    ("สำรวจความพึงพอใจของผู้รับบริการและนำผลมาปรับปรุง", (6, 8)),
    ("ปรับปรุงการประชาสัมพันธ์ผ่านสื่อสังคมออนไลน์", (7,)),
    ("จัดทำมาตรการป้องกันการรับสินบนและการเรียกรับผลประโยชน์", (3, 10)),
    ("ประเมินความเสี่ยงการทุจริตประจำปีและกำหนดมาตรการควบคุม", (10,)),
    ("จัดทำแผนปฏิบัติการป้องกันการทุจริต", (5, 10)),
    ("เปิดโอกาสให้ประชาชนมีส่วนร่วมในการจัดทำแผนพัฒนาท้องถิ่น", (7, 8)),
    ("กำหนดแนวทางการใช้ดุลยพินิจของผู้บังคับบัญชา", (3,)),
    ("ลดขั้นตอนและระยะเวลาการให้บริการ", (1, 6, 8)),
    ("รายงานผลการบริหารและพัฒนาทรัพยากรบุคคล", (9,)),
    ("ส่งเสริมวัฒนธรรมองค์กรที่ไม่ทนต่อการทุจริต", (5, 10)),
    ("จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", (10,)),
    ("ติดตามผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส", (10,)),
    ("เผยแพร่รายงานการประชุมและมติของสภาท้องถิ่น", (9,)),
    ("ตรวจสอบการใช้รถยนต์ส่วนกลางและวัสดุสำนักงาน", (4,)),
    ("จัดกิจกรรมเชิดชูบุคลากรต้นแบบด้านคุณธรรม", (1, 5)),
]
STEP_POOL = [
    "ประชุมคณะทำงานเพื่อกำหนดแนวทาง",
    "จัดทำร่างและเสนอผู้บริหารพิจารณา",
    "แจ้งเวียนให้ทุกส่วนราชการถือปฏิบัติ",
    "ดำเนินการตามแผนที่กำหนด",
    "เผยแพร่ผลการดำเนินการบนเว็บไซต์",
    "ติดตามและรายงานผลต่อผู้บริหาร",
    "สรุปผลและเสนอแนวทางปรับปรุง",
]
MONITORING = [
    "รายงานผลต่อนายกฯ ทุกไตรมาส",
    "คณะทำงานติดตามผลรอบ ๖ และ ๑๒ เดือน",
    "สำนักปลัดติดตามและรายงานผล",
    "หน่วยตรวจสอบภายในสอบทาน",
]
CANCEL_REASONS = [
    "ไม่ได้รับการจัดสรรงบประมาณ",
    "ยุบรวมกับมาตรการอื่นตามมติคณะทำงาน",
    "ระเบียบเปลี่ยนแปลง ไม่ต้องดำเนินการแล้ว",
]
RETURN_COMMENTS = [
    "ขอให้แนบตารางผลการดำเนินการให้ครบทุกมาตรการ",
    "ขอให้ตรวจสอบตัวเลขร้อยละความก้าวหน้าอีกครั้ง",
    "ขอให้ระบุหลักฐานการดำเนินการเพิ่มเติม",
]

# The state of the latest year's 12-month report, by agency (every state is represented).
LATEST_STATES = ["approved", "draft", "pending:1", "pending:2", "returned:1", "pending:3", "returned:2", "approved"]


# --------------------------------------------------------------------------------------------- writing


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
    return str(value)  # int, Decimal, date, aware datetime ("2024-01-01 09:00:00+07:00")


class Writer:
    """Writes rows of ``(attname, …)`` tuples: PostgreSQL ``COPY``, ``executemany`` or ``bulk_create``.

    With ``COPY`` the rows go out from a background thread on the same connection (so in the same
    transaction) while the main thread builds the next chunk: Python and PostgreSQL work at the same time
    on a two-core machine. The main thread issues no query until :meth:`close` has drained the queue.
    """

    def __init__(self, method: str, batch_size: int):
        self.method = method
        self.batch_size = batch_size
        self.counts: dict[str, int] = defaultdict(int)
        self.seconds: dict[str, float] = defaultdict(float)
        self._queue: queue.Queue | None = None
        self._error: BaseException | None = None
        self._aborting = False

    def start(self) -> None:
        if self.method != "copy":
            return
        connection.ensure_connection()
        self._raw = connection.connection  # psycopg2 connections may be shared between threads
        self._queue = queue.Queue(maxsize=3)  # bounds the memory held by chunks waiting to be written
        self._thread = threading.Thread(target=self._run, name="generate_data-copy", daemon=True)
        self._thread.start()

    def close(self, abort: bool = False) -> None:
        """Wait until every row is written and raise what the database refused; or, with ``abort``, skip
        what is still queued."""
        if self._queue is not None:
            self._aborting = abort
            self._queue.put(None)
            self._thread.join()
            self._queue = None
        if not abort:
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            with connection.wrap_database_errors:  # psycopg2's IntegrityError → Django's
                raise error

    def write(self, model, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self._queue is not None:
            self._raise()
            self._queue.put((model, columns, rows))
            return
        started = time.perf_counter()
        if self.method == "insert":
            self._insert(model, columns, rows)
        else:
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in batch])
            # DEBUG keeps the text of every query; a bulk insert's text is large.
            connection.queries_log.clear()
        self._count(model, rows, started)

    def _count(self, model, rows, started) -> None:
        label = model._meta.label
        self.counts[label] += len(rows)
        self.seconds[label] += time.perf_counter() - started

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            if self._error is not None or self._aborting:
                continue  # drain: the transaction is lost anyway
            try:
                started = time.perf_counter()
                self._copy(*job)
                self._count(job[0], job[2], started)
            except BaseException as error:  # handed to the main thread
                self._error = error

    def _fields(self, model, columns):
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        return [by_attname[c] for c in columns]

    def _copy(self, model, columns, rows) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in self._fields(model, columns))
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with self._raw.cursor() as cursor:
            for start in range(0, len(rows), self.batch_size * 20):
                buffer = io.StringIO()
                buffer.writelines(
                    "\t".join([_copy_text(v) for v in row]) + "\n"
                    for row in rows[start : start + self.batch_size * 20]
                )
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)

    def _insert(self, model, columns, rows) -> None:
        fields = self._fields(model, columns)
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.batch_size):
                cursor.executemany(
                    sql,
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                        for row in rows[start : start + self.batch_size]
                    ],
                )


class Ids:
    """Primary keys handed out in Python, after the largest existing one."""

    def __init__(self, *model_classes):
        self.next: dict[type, int] = {}
        for model in model_classes:
            self.next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


# --------------------------------------------------------------------------------------------- data in memory


@dataclass
class Person:
    user_id: int
    membership_id: int
    name: str
    position: str
    department_id: int | None


@dataclass
class EditionInfo:
    year: int
    edition: FrameworkEdition
    framework: scoring.Framework
    # (number, indicator id, tool code, name, [item ids])
    indicators: list[tuple[int, int, str, str, list[int]]]
    indicator_ids: dict[int, int]
    national_average: float
    tool_ids: dict[str, int]  # tool code -> id


@dataclass
class AssessmentInfo:
    id: int
    year: int
    total: Decimal
    level: str
    published_total: Decimal | None
    published_level: str
    scores: dict[int, Decimal]
    tools: dict[str, Decimal]


@dataclass
class MeasureInfo:
    number: int
    title: str
    steps: list[str]
    responsible: str
    starts: date
    ends: date
    monitoring: str
    updates: list[tuple]  # (reported_on, status, percent, summary, outcome)


@dataclass
class AgencyInfo:
    number: int
    id: int
    code: str
    name: str
    type: str
    province: str
    district: str
    place: str
    departments: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, letter code)
    coordinator: Person | None = None
    staff: list[Person] = field(default_factory=list)
    approvers: list[Person] = field(default_factory=list)  # [head?], palat, mayor
    admin: Person | None = None
    chain_id: int = 0
    # (order, position title, comment label, approvers, acting approvers)
    chain: list[tuple[int, str, str, list[Person], list[Person]]] = field(default_factory=list)
    assessments: dict[int, AssessmentInfo] = field(default_factory=dict)
    plans: dict[int, tuple[int, str, list[MeasureInfo]]] = field(default_factory=dict)  # year → (id, title, …)

    @property
    def palat(self) -> Person:
        return self.approvers[-2]

    @property
    def mayor(self) -> Person:
        return self.approvers[-1]


def _d2(value: float) -> Decimal:
    return Decimal(f"{min(100.0, max(0.0, value)):.2f}")


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BANGKOK)


def _allocate(total: int, shares: list[float]) -> list[int]:
    """Split ``total`` by ``shares`` (largest remainder)."""
    raw = [total * s / sum(shares) for s in shares]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --------------------------------------------------------------------------------------------- the command


class Command(BaseCommand):
    help = "Generate realistic agencies, people, scores, measures and memos at national scale."

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, default=80, help="number of agencies to add (default 80)")
        parser.add_argument("--years", type=int, default=5, help="consecutive fiscal years (default 5)")
        parser.add_argument("--first-year", type=int, default=None, help="first fiscal year (default: last K of 2568)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--items",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="write item scores (about 88 per assessment; default on)",
        )
        parser.add_argument(
            "--items-years",
            type=int,
            default=None,
            help="write item scores for the latest N generated years only (default: every year)",
        )
        parser.add_argument("--method", choices=["auto", "copy", "insert", "bulk"], default="auto")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--chunk", type=int, default=400, help="agencies per chunk (default 400)")
        parser.add_argument("--password", default=None, help="one password for every generated user (hashed once)")

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.n_agencies = options["agencies"]
        years = options["years"]
        first = options["first_year"] or LATEST_YEAR - years + 1
        if self.n_agencies < 1 or years < 1:
            raise CommandError("--agencies and --years must be at least 1")
        self.years = list(range(first, first + years))
        self.seed = options["seed"]
        self.items = options["items"]
        item_years = options["items_years"]
        self.item_years = set(self.years if item_years is None else self.years[-item_years:] if item_years else [])
        method = options["method"]
        if method == "auto":
            method = "copy" if connection.vendor == "postgresql" else "insert"
        if method == "copy" and connection.vendor != "postgresql":
            raise CommandError("--method copy needs PostgreSQL")
        self.writer = Writer(method, options["batch_size"])
        self.password = make_password(options["password"])  # once, for everyone
        self.now = timezone.now()
        self.phase_seconds: dict[str, float] = defaultdict(float)
        self.item_seconds = 0.0

        self.editions = self._editions()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Check foreign keys row by row as they arrive (parents are written first), rather than
                # queueing millions of deferred checks until the commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.ids = Ids(
                User, Agency, Department, Membership, ApprovalChain, ApprovalChainStep,
                Assessment, MeasurePlan, Measure, Memo, MemoStep,
            )  # fmt: skip
            self.writer.start()
            try:
                self._generate(options["chunk"], started)
            except BaseException:
                self.writer.close(abort=True)  # no COPY running while the transaction rolls back
                raise
            loaded = time.perf_counter()
            self.writer.close()
            self._reset_sequences()
            # Scores were written past assessments.services: the installation's averages are counted again.
            indicator_averages_rebuild(edition_ids=[info.edition.pk for info in self.editions.values()])
        self.phase_seconds["rest of writing, commit"] = time.perf_counter() - loaded
        self._report(time.perf_counter() - started, method)

    def _generate(self, chunk: int, started: float) -> None:
        with self._phase("agencies and people"):
            agencies = self._agencies_and_people()
        chunk = max(1, chunk)
        for start in range(0, len(agencies), chunk):
            part = agencies[start : start + chunk]
            with self._phase("assessments"):
                self._assessments(part)
            with self._phase("measures"):
                self._measures(part)
            with self._phase("memos"):
                self._memos(part)
            for info in part:  # what later chunks do not need
                info.plans.clear()
            if len(agencies) > chunk:
                self.stdout.write(
                    f"  … {start + len(part):,}/{len(agencies):,} agencies ({time.perf_counter() - started:.1f} s)"
                )

    # ----------------------------------------------------------------------------------------- helpers

    @contextmanager
    def _phase(self, name: str):
        started = time.perf_counter()
        yield
        self.phase_seconds[name] += time.perf_counter() - started

    def _rng(self, phase: str, number: int) -> random.Random:
        # One stream per agency and phase: an agency's draws do not depend on the agencies made before it.
        return random.Random(f"{self.seed}:{phase}:{number}")

    def _editions(self) -> dict[int, EditionInfo]:
        editions = {
            e.fiscal_year: e
            for e in FrameworkEdition.objects.with_structure()
            .prefetch_related("items")
            .filter(fiscal_year__in=self.years)
        }
        missing = [y for y in self.years if y not in editions]
        if missing:
            raise CommandError(
                f"No framework edition for {', '.join(map(str, missing))}: run `manage.py load_frameworks` first."
            )
        infos = {}
        for year, edition in editions.items():
            items: dict[int, list[int]] = defaultdict(list)
            for item in sorted(edition.items.all(), key=lambda i: i.order):
                items[item.indicator_id].append(item.pk)
            tools = {t.pk: t.code for t in edition.tools.all()}
            indicators = [
                (i.number, i.pk, tools[i.tool_id], i.name_th, items.get(i.pk, []))
                for i in sorted(edition.indicators.all(), key=lambda i: i.number)
            ]
            infos[year] = EditionInfo(
                year=year,
                edition=edition,
                framework=edition.scoring_framework(),
                indicators=indicators,
                indicator_ids={number: pk for number, pk, *_ in indicators},
                national_average=float(edition.national_average or 85),
                tool_ids={code: pk for pk, code in tools.items()},
            )
        return infos

    def _reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.ids.next))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)

    def _report(self, elapsed: float, method: str) -> None:
        out = self.stdout
        w = self.writer
        out.write(
            f"generate_data: {self.n_agencies:,} agencies × {len(self.years)} years {self.years}, method {method}"
        )
        if method == "copy":
            out.write("  phases (building rows in Python; COPY runs alongside in a second thread):")
        else:
            out.write("  phases (building and writing rows):")
        for name in ("agencies and people", "assessments", "measures", "memos", "rest of writing, commit"):
            out.write(f"    {name:<26} {self.phase_seconds[name]:8.1f} s")
        items = ItemScore._meta.label
        out.write(
            f"  item scores: {w.counts[items]:,} rows, built in {self.item_seconds:.1f} s, "
            f"written in {w.seconds[items]:.1f} s"
        )
        out.write(f"  rows written ({'database time' if method == 'copy' else 'time'}):")
        for label, count in sorted(w.counts.items()):
            out.write(f"    {label:<42} {count:>11,}  {w.seconds[label]:7.1f} s")
        out.write(f"  total rows {sum(w.counts.values()):,}; elapsed {elapsed:.1f} s")

    def _users(self, rows: list, username: str, first: str, last: str) -> int:
        user_id = self.ids.take(User)
        rows.append(
            (
                user_id,
                self.password,
                None,
                False,
                username,
                first,
                last,
                f"{username}@example.org",
                False,
                True,
                self.now,
            )
        )
        return user_id

    USER_COLUMNS = [
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined",
    ]  # fmt: skip
    MEMBERSHIP_COLUMNS = [
        "id", "user_id", "agency_id", "department_id", "position_title", "is_staff_member", "is_coordinator",
        "is_approver", "is_agency_admin", "is_viewer", "is_active", "created_at",
    ]  # fmt: skip

    # ----------------------------------------------------------------------------------------- agencies

    def _agency_specs(self) -> list[tuple[str, str]]:
        """(type, province) of each new agency, spread as in Thailand."""
        rng = random.Random(f"{self.seed}:spread:{self.n_agencies}")
        n = self.n_agencies
        specs: list[tuple[str, str]] = []
        if n >= 100 and not Agency.objects.filter(province=BANGKOK_PROVINCE, type=Agency.Type.OTHER).exists():
            specs.append((Agency.Type.OTHER, BANGKOK_PROVINCE))  # กรุงเทพมหานคร, a special local government
        remaining = n - len(specs)
        counts = dict(
            zip((t[0] for t in AGENCY_TYPES), _allocate(remaining, [t[1] for t in AGENCY_TYPES]), strict=True)
        )
        if remaining >= len(AGENCY_TYPES):  # every type at least once, taken from the อบต.
            for kind in counts:
                if counts[kind] == 0:
                    counts[kind], counts[Agency.Type.SAO] = 1, counts[Agency.Type.SAO] - 1
        provinces = [p for p in PROVINCES if p[0] != BANGKOK_PROVINCE]
        per_region = defaultdict(int)
        for _name, _abbr, region in provinces:
            per_region[region] += 1
        weights = [REGION_SHARE[region] / per_region[region] * rng.uniform(0.6, 1.4) for _n, _a, region in provinces]
        # One อบจ. per province; more อบจ. than provinces left over become อบต.
        taken = set(Agency.objects.filter(type=Agency.Type.PAO).values_list("province", flat=True))
        free = [p[0] for p in provinces if p[0] not in taken]
        rng.shuffle(free)
        pao = free[: counts[Agency.Type.PAO]]
        counts[Agency.Type.SAO] += counts[Agency.Type.PAO] - len(pao)
        specs.extend((Agency.Type.PAO, province) for province in pao)
        for kind, count in counts.items():
            if kind != Agency.Type.PAO:
                specs.extend((kind, rng.choices(provinces, weights)[0][0]) for _ in range(count))
        rng.shuffle(specs)
        return specs

    def _place(self, rng: random.Random, used: set[str], prefix: str) -> str:
        for attempt in range(50):
            place = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
            if attempt > 10:
                place += rng.choice(PLACE_TAILS)
            if prefix + place not in used:
                return place
        k = 2
        while f"{prefix}{place}{k}" in used:
            k += 1
        return f"{place}{k}"

    def _agencies_and_people(self) -> list[AgencyInfo]:
        w = self.writer
        abbr = {name: a for name, a, _r in PROVINCES}
        province_index = {name: i for i, (name, _a, _r) in enumerate(PROVINCES, start=1)}
        existing_numbers = [
            int(code[len(CODE_PREFIX) :])
            for code in Agency.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
            if code[len(CODE_PREFIX) :].isdigit()
        ]
        first_number = max(existing_numbers, default=0) + 1
        used_names: dict[str, set[str]] = defaultdict(set)
        for name, province in Agency.objects.values_list("name", "province"):
            used_names[province].add(name)
        letter_seq: dict[str, int] = defaultdict(int)
        districts: dict[str, list[str]] = {}

        agency_rows, department_rows, user_rows, membership_rows = [], [], [], []
        chain_rows, chain_step_rows, chain_approver_rows, chain_acting_rows = [], [], [], []
        infos: list[AgencyInfo] = []
        for offset, (kind, province) in enumerate(self._agency_specs()):
            number = first_number + offset
            rng = self._rng("agency", number)
            if province not in districts:
                drng = random.Random(f"{self.seed}:districts:{province}")
                districts[province] = [f"เมือง{province}"] + [
                    self._place(drng, set(), "") for _ in range(drng.randint(5, 18))
                ]
            if kind == Agency.Type.OTHER:
                name, place, district = BANGKOK_PROVINCE, BANGKOK_PROVINCE, ""
                office, head_title = "สำนักปลัดกรุงเทพมหานคร", "ผู้ว่าราชการกรุงเทพมหานคร"
            else:
                _k, _s, prefix, head_prefix, office = TYPE_INFO[kind]
                if kind == Agency.Type.PAO:
                    place = province
                elif kind == Agency.Type.CITY and prefix + province not in used_names[province]:
                    place = province
                else:
                    place = self._place(rng, used_names[province], prefix)
                name = prefix + place
                head_title = head_prefix + place
                district = districts[province][0] if kind in (Agency.Type.PAO, Agency.Type.CITY) else None
                district = district or rng.choice(districts[province])
            used_names[province].add(name)
            code = f"{CODE_PREFIX}{number:05d}"
            agency_id = self.ids.take(Agency)
            info = AgencyInfo(number, agency_id, code, name, kind, province, district, place)
            infos.append(info)
            agency_rows.append(
                (
                    agency_id, name, kind, province, district, code,
                    f"สำนักงาน{name} {'อำเภอ' + district + ' ' if district else ''}จังหวัด{province}",
                    f"0-{rng.randint(2000, 7999)}-{rng.randint(1000, 9999)}", f"saraban@{code}.example.go.th",
                    "", True, self.now, self.now,
                )
            )  # fmt: skip

            # Divisions: the ปลัด's office, finance, works, and some of the others.
            letter_seq[province] += 1
            local_code = f"{abbr[province]} 5{letter_seq[province]:04d}"
            names = [office, *DEPARTMENTS_ALWAYS, *rng.sample(DEPARTMENTS_OPTIONAL, rng.randint(0, 3))]
            for order, dept_name in enumerate(names, start=1):
                dept_id = self.ids.take(Department)
                letter = f"{local_code}.{order}"
                info.departments.append((dept_id, dept_name, letter))
                department_rows.append((dept_id, agency_id, dept_name, letter, "", "", order))
            office_id = info.departments[0][0]

            def person(position, department_id, roles, username, _rng=rng, _agency=agency_id):
                male = _rng.random() < 0.45
                title = "นาย" if male else _rng.choice(["นาง", "นางสาว"])
                first = title + _rng.choice(MALE_NAMES if male else FEMALE_NAMES)
                last = _rng.choice(LAST_NAMES)
                user_id = self._users(user_rows, username, first, last)
                membership_id = self.ids.take(Membership)
                membership_rows.append(
                    (
                        membership_id, user_id, _agency, department_id, position,
                        "staff" in roles, "coordinator" in roles, "approver" in roles, "agency_admin" in roles,
                        "viewer" in roles, True, self.now,
                    )
                )  # fmt: skip
                return Person(user_id, membership_id, f"{first} {last}", position, department_id)

            user_base = f"gen{number}"
            info.coordinator = person(
                f"นักวิเคราะห์นโยบายและแผน{rng.choice(LEVELS)}", office_id, {"coordinator", "staff"}, f"{user_base}.plan"
            )
            for k in range(rng.randint(1, 3)):
                dept_id, dept_name, _letter = rng.choice(info.departments[1:])
                info.staff.append(
                    person(
                        STAFF_POSITIONS.get(dept_name, "นักจัดการงานทั่วไป") + rng.choice(LEVELS),
                        dept_id,
                        {"staff"},
                        f"{user_base}.staff{k + 1}",
                    )
                )
            office_head = f"หัวหน้า{office}"
            palat_title = "ปลัด" + (name if kind != Agency.Type.OTHER else BANGKOK_PROVINCE)
            if rng.random() < 0.6:
                info.approvers.append(person(office_head, office_id, {"approver"}, f"{user_base}.head"))
            info.approvers.append(person(palat_title, office_id, {"approver"}, f"{user_base}.palat"))
            info.approvers.append(person(head_title, None, {"approver"}, f"{user_base}.mayor"))
            info.admin = person(
                f"นักวิชาการคอมพิวเตอร์{rng.choice(LEVELS[:2])}", office_id, {"agency_admin"}, f"{user_base}.admin"
            )

            # The chain: head of the office (or the ปลัด where that post is empty) → ปลัด → head of the
            # agency, the ปลัด acting for the head of the agency.
            head = info.approvers[0] if len(info.approvers) == 3 else info.palat
            info.chain_id = self.ids.take(ApprovalChain)
            info.chain = [
                (1, office_head, f"ความเห็น{office_head}", [head], []),
                (2, palat_title, "ความเห็นปลัด", [info.palat], []),
                (3, head_title, "", [info.mayor], [info.palat]),
            ]
            chain_rows.append((info.chain_id, agency_id, " → ".join(s[1] for s in info.chain), True))
            for order, position, label, approvers, acting in info.chain:
                step_id = self.ids.take(ApprovalChainStep)
                chain_step_rows.append((step_id, info.chain_id, order, position, label))
                chain_approver_rows.extend((step_id, p.membership_id) for p in approvers)
                chain_acting_rows.extend((step_id, p.membership_id) for p in acting)

        # Viewers: the NACC's national viewer follows everything; a provincial viewer each province.
        viewer_rows = []
        existing_users = dict(
            User.objects.filter(username__in=[NATIONAL_VIEWER, *[f"province.{i:02d}" for i in range(1, 78)]])
            .values_list("username", "pk")
        )  # fmt: skip

        def viewer(username, first, last):
            if username in existing_users:
                return existing_users[username]
            existing_users[username] = self._users(user_rows, username, first, last)
            return existing_users[username]

        national = viewer(NATIONAL_VIEWER, "นางสาวกนกวรรณ", "ติดตามผล (ป.ป.ช.)")
        provincial: dict[str, int] = {}
        for info in infos:
            if info.province not in provincial:
                index = province_index[info.province]
                provincial[info.province] = viewer(f"province.{index:02d}", "ท้องถิ่นจังหวัด", info.province)
            for user_id, position in (
                (national, "เจ้าหน้าที่สำนักงาน ป.ป.ช."),
                (provincial[info.province], f"ท้องถิ่นจังหวัด{info.province}"),
            ):
                viewer_rows.append(
                    (self.ids.take(Membership), user_id, info.id, None, position,
                     False, False, False, False, True, True, self.now)
                )  # fmt: skip

        w.write(Agency, ["id", "name", "type", "province", "district", "code", "address", "phone", "email",
                         "emblem", "use_thai_digits", "created_at", "updated_at"], agency_rows)  # fmt: skip
        w.write(Department, ["id", "agency_id", "name", "letter_code", "phone", "email", "order"], department_rows)
        w.write(User, self.USER_COLUMNS, user_rows)
        w.write(Membership, self.MEMBERSHIP_COLUMNS, membership_rows + viewer_rows)
        w.write(ApprovalChain, ["id", "agency_id", "name", "is_default"], chain_rows)
        w.write(ApprovalChainStep, ["id", "chain_id", "order", "position_title", "comment_label"], chain_step_rows)
        w.write(ApprovalChainStep.approvers.through, ["approvalchainstep_id", "membership_id"], chain_approver_rows)
        w.write(
            ApprovalChainStep.acting_approvers.through, ["approvalchainstep_id", "membership_id"], chain_acting_rows
        )
        return infos

    # ----------------------------------------------------------------------------------------- assessments

    def _assessments(self, part: list[AgencyInfo]) -> None:
        assessment_rows, indicator_rows, item_rows, tool_rows = [], [], [], []
        item_build = 0.0
        for info in part:
            rng = self._rng("scores", info.number)
            agency_bias = rng.gauss(0, 5)
            tool_bias = {"IIT": rng.gauss(0, 3), "EIT": rng.gauss(0, 3), "OIT": rng.gauss(0, 5)}
            for year in self.years:
                ed = self.editions[year]
                assessment_id = self.ids.take(Assessment)
                quality = ed.national_average + agency_bias + rng.gauss(0, 3)
                keep_items = self.items and year in self.item_years
                scores: dict[int, Decimal] = {}
                for number, indicator_id, tool, _name, item_ids in ed.indicators:
                    q = min(100.0, max(20.0, quality + tool_bias.get(tool, 0) + rng.gauss(0, 2)))
                    if item_ids:
                        t0 = time.perf_counter()
                        if tool == "OIT":  # evidence present or not
                            p = q / 100
                            values = [HUNDRED if rng.random() < p else ZERO for _ in item_ids]
                        else:  # the mean of the respondents' answers
                            values = [_d2(rng.gauss(q, 6)) for _ in item_ids]
                        if keep_items:
                            item_rows.extend(
                                (assessment_id, item_id, value)
                                for item_id, value in zip(item_ids, values, strict=True)
                            )
                        item_build += time.perf_counter() - t0
                        score = scoring.round2(sum(values, Decimal(0)) / len(values))
                    else:
                        score = _d2(rng.gauss(q, 4))
                    scores[number] = score
                    indicator_rows.append((assessment_id, indicator_id, score))
                result = scoring.compute(ed.framework, scores)
                total = result.total
                published_total, published_level = None, ""
                draw = rng.random()
                if draw < 0.01:  # a published figure that rounding does not explain
                    off = Decimal(f"{rng.uniform(0.5, 6):.2f}")
                    up = total + off <= HUNDRED and (total - off < ZERO or rng.random() < 0.5)
                    published_total = total + off if up else total - off
                elif draw < 0.71:  # the published figure, off by rounding at most
                    delta = rng.choice([Decimal("-0.01"), ZERO, Decimal("0.01")])
                    published_total = min(HUNDRED, max(ZERO, total + delta))
                if published_total is not None:
                    published_level = scoring.level_for(ed.framework.levels, published_total, result.tools.values())
                info.assessments[year] = AssessmentInfo(
                    assessment_id, year, total, result.level, published_total, published_level, scores, result.tools
                )
                created = _at(date(to_ce(year), 8, rng.randint(15, 31)), 10)
                assessment_rows.append(
                    (
                        assessment_id, info.id, ed.edition.pk, published_total, published_level,
                        total, result.level, "", created, created,
                    )
                )  # fmt: skip
                tool_rows.extend(
                    (assessment_id, ed.tool_ids[code], score)
                    for code, score in result.tools.items()
                    if score is not None
                )
        w = self.writer
        w.write(
            Assessment,
            ["id", "agency_id", "edition_id", "published_total", "published_level", "total",
             "level", "note", "created_at", "updated_at"],
            assessment_rows,
        )  # fmt: skip
        w.write(ToolScore, ["assessment_id", "tool_id", "score"], tool_rows)
        w.write(IndicatorScore, ["assessment_id", "indicator_id", "score"], indicator_rows)
        w.write(ItemScore, ["assessment_id", "item_id", "score"], item_rows)
        self.item_seconds += item_build

    # ----------------------------------------------------------------------------------------- measures

    def _measures(self, part: list[AgencyInfo]) -> None:
        plan_rows, measure_rows, step_rows, update_rows = [], [], [], []
        dept_rows, indicator_rows, people_rows = [], [], []
        for info in part:
            rng = self._rng("measures", info.number)
            reporters = [info.coordinator, *info.staff]
            for year in self.years:
                year_start, year_end = fiscal_year_range(year)
                plan_id = self.ids.take(MeasurePlan)
                previous = info.assessments.get(year - 1)
                title = MeasurePlan.default_title(year)
                plan_created = _at(year_start + timedelta(days=rng.randint(5, 60)), 10)
                plan_rows.append(
                    (
                        plan_id, info.id, year, title, previous.id if previous else None,
                        f"{info.name} ได้วิเคราะห์ผลการประเมิน ITA และกำหนดมาตรการเพื่อยกระดับคะแนนในปีงบประมาณ {year}",
                        plan_created, plan_created,
                    )
                )  # fmt: skip
                edition = self.editions[year - 1] if previous else self.editions[year]
                measures = []
                for number, (measure_title, indicator_numbers) in enumerate(
                    rng.sample(MEASURE_POOL, rng.randint(10, 20)), start=1
                ):
                    measure_id = self.ids.take(Measure)
                    starts = year_start + timedelta(days=rng.randint(0, 150))
                    ends = min(year_end, starts + timedelta(days=rng.randint(60, 330)))
                    span = (ends - starts).days
                    # Steps: consecutive slices of the measure's period.
                    n_steps = rng.randint(2, 5)
                    bounds = [0, *sorted(rng.sample(range(1, max(span, n_steps)), n_steps - 1)), span]
                    step_titles = rng.sample(STEP_POOL, n_steps)
                    all_departments = rng.random() < 0.1
                    depts = [] if all_departments else rng.sample(info.departments, rng.randint(1, 2))
                    # Progress: 2–6 updates, dates increasing, statuses moving forward.
                    n_updates = rng.randint(2, 6)
                    window_end = min(year_end, ends + timedelta(days=20))
                    window = max((window_end - starts).days, n_updates)
                    days = sorted(rng.sample(range(window + 1), n_updates))
                    outcome = rng.choices(["done", "in_progress", "cancelled"], [84, 12, 4])[0]
                    percents = sorted(rng.sample(range(5, 96, 5), n_updates))
                    updates = []
                    reporter = rng.choice(reporters)
                    percent = 0
                    for k, day_offset in enumerate(days):
                        reported_on = starts + timedelta(days=day_offset)
                        last = k == n_updates - 1
                        cancel_reason = ""
                        if k == 0 and rng.random() < 0.3:
                            status, percent = Status.NOT_STARTED, 0
                        elif last and outcome == "done":
                            status, percent = Status.DONE, 100
                        elif last and outcome == "cancelled":
                            status = Status.CANCELLED  # stopped where it stood
                            cancel_reason = rng.choice(CANCEL_REASONS)
                        else:
                            status, percent = Status.IN_PROGRESS, percents[k]
                        summary = f"ดำเนินการแล้วร้อยละ {percent}" if status != Status.CANCELLED else "ยกเลิกมาตรการ"
                        result = "บรรลุเป้าหมายของมาตรการ" if status == Status.DONE else ""
                        created = _at(reported_on, 14, rng.randint(0, 59))
                        update_rows.append(
                            (measure_id, reported_on, status, percent, summary, result, "", cancel_reason,
                             reporter.user_id, created)
                        )  # fmt: skip
                        updates.append((reported_on, status, percent, summary, result))
                    last_day, last_update = updates[-1][0], update_rows[-1]
                    for order in range(1, n_steps + 1):
                        step_starts = starts + timedelta(days=bounds[order - 1])
                        step_ends = starts + timedelta(days=bounds[order])
                        completed = None
                        if step_ends <= last_day and (status == Status.DONE or rng.random() < 0.8):
                            completed = max(step_starts, min(last_day, step_ends + timedelta(days=rng.randint(-5, 5))))
                        elif status == Status.DONE:
                            completed = max(step_starts, last_day)
                        dept = depts[0][0] if depts and rng.random() < 0.7 else None
                        step_rows.append(
                            (measure_id, order, step_titles[order - 1], dept, "", step_starts, step_ends, completed)
                        )
                    responsible = "ทุกกอง" if all_departments else ", ".join(d[1] for d in depts)
                    monitoring = rng.choice(MONITORING)
                    measure_rows.append(
                        (
                            measure_id, plan_id, number, measure_title, "\n".join(f"-{s}" for s in step_titles),
                            all_departments, starts, ends, monitoring,
                            Decimal(rng.randrange(5000, 200000, 500)) if rng.random() < 0.5 else None,
                            status, cancel_reason, percent, 1, plan_created, last_update[9],
                        )
                    )  # fmt: skip
                    dept_rows.extend((measure_id, d[0]) for d in depts)
                    indicator_rows.extend(
                        (measure_id, edition.indicator_ids[n]) for n in indicator_numbers if n in edition.indicator_ids
                    )
                    if info.staff and rng.random() < 0.5:
                        people_rows.append((measure_id, rng.choice(info.staff).membership_id))
                    measures.append(
                        MeasureInfo(number, measure_title, step_titles, responsible, starts, ends, monitoring, updates)
                    )
                info.plans[year] = (plan_id, title, measures)
        w = self.writer
        w.write(
            MeasurePlan,
            ["id", "agency_id", "fiscal_year", "title", "assessment_id", "introduction", "created_at", "updated_at"],
            plan_rows,
        )
        w.write(
            Measure,
            ["id", "plan_id", "number", "title", "description", "all_departments", "starts", "ends", "monitoring",
             "budget", "status", "cancel_reason", "percent", "version", "created_at", "updated_at"],
            measure_rows,
        )  # fmt: skip
        w.write(
            MeasureStep,
            ["measure_id", "order", "title", "department_id", "owner", "starts", "ends", "completed_on"],
            step_rows,
        )
        w.write(
            ProgressUpdate,
            ["measure_id", "reported_on", "status", "percent", "summary", "outcome", "obstacles", "cancel_reason",
             "created_by_id", "created_at"],
            update_rows,
        )  # fmt: skip
        w.write(Measure.departments.through, ["measure_id", "department_id"], dept_rows)
        w.write(Measure.indicators.through, ["measure_id", "indicator_id"], indicator_rows)
        w.write(Measure.responsible_people.through, ["measure_id", "membership_id"], people_rows)

    # ----------------------------------------------------------------------------------------- memos

    def _progress_table(self, year: int, measures: list[MeasureInfo], as_of: date) -> dict:
        rows = []
        for m in measures[:TABLE_ROWS]:
            latest = None
            for update in m.updates:
                if update[0] <= as_of:
                    latest = update
            status, percent, summary, outcome = (latest[1], latest[2], latest[3], latest[4]) if latest else (
                Status.NOT_STARTED, 0, "", ""
            )  # fmt: skip
            rows.append(
                {
                    "number": m.number,
                    "title": m.title,
                    "steps": [f"-{s}" for s in m.steps],
                    "status": status,
                    "percent": percent,
                    "summary": summary,
                    "outcome": outcome,
                }
            )
        return {
            "kind": "progress",
            "title": "ผลการดำเนินการตามมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "as_of": as_of.isoformat(),
            "fiscal_year": year,
            "columns": PROGRESS_COLUMNS,
            "statuses": [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE],
            "rows": rows,
        }

    def _plan_table(self, year: int, title: str, measures: list[MeasureInfo]) -> dict:
        return {
            "kind": "plan",
            "title": title,
            "fiscal_year": year,
            "columns": PLAN_COLUMNS,
            "rows": [
                {
                    "number": m.number,
                    "title": m.title,
                    "steps": [f"-{s}" for s in m.steps],
                    "responsible": m.responsible,
                    "period": format_period(m.starts, m.ends, digits="arabic"),
                    "starts": m.starts.isoformat(),
                    "ends": m.ends.isoformat(),
                    "monitoring": m.monitoring,
                }
                for m in measures[:TABLE_ROWS]
            ],
        }

    def _analysis_table(self, info: AgencyInfo, a: AssessmentInfo) -> dict:
        previous = info.assessments.get(a.year - 1)
        bands = TargetBands(maintain_from=TargetBands.DEFAULT_MAINTAIN_FROM, raise_from=TargetBands.DEFAULT_RAISE_FROM)
        labels = dict(TargetBands.Band.choices)
        rows = []
        for number, _pk, tool, name, _items in self.editions[a.year].indicators:
            score = a.scores.get(number)
            before = previous.scores.get(number) if previous else None
            rows.append(
                {
                    "number": number,
                    "indicator": name,
                    "tool": tool,
                    "previous": str(before) if before is not None else None,
                    "score": str(score) if score is not None else None,
                    "change": str(score - before) if score is not None and before is not None else None,
                    "band": str(labels.get(bands.band_for(score), "")),
                }
            )
        return {
            "kind": "analysis",
            "title": f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {a.year}",
            "fiscal_year": a.year,
            "total": str(a.total),
            "level": a.level,
            "columns": ANALYSIS_COLUMNS,
            "rows": rows,
        }

    MEMO_COLUMNS = [
        "id", "agency_id", "department_id", "kind", "plan_id", "assessment_id", "as_of", "chain_id",
        "number_prefix", "number_year", "running_number", "date", "subject", "addressee", "via", "reference",
        "body", "background", "facts", "considerations", "proposal", "closing", "author_id", "author_name",
        "author_position", "table", "status", "current_step", "is_published", "version", "created_at",
        "updated_at",
    ]  # fmt: skip

    def _memos(self, part: list[AgencyInfo]) -> None:
        memo_rows, step_rows, step_approver_rows, step_acting_rows, event_rows, counter_rows = [], [], [], [], [], []
        latest_year = self.years[-1]
        for info in part:
            rng = self._rng("memos", info.number)
            agency = Agency(name=info.name, province=info.province, district=info.district)
            author = info.coordinator
            office_id, _office_name, office_letter = info.departments[0]
            memos: list[dict] = []
            for year in self.years:
                plan_id, plan_title, measures = info.plans[year]
                ce = to_ce(year)
                analysed = info.assessments.get(year - 1)
                plan = MeasurePlan(fiscal_year=year, title=plan_title)
                if analysed is not None:
                    plan.assessment = Assessment(
                        edition=self.editions[year - 1].edition,
                        total=analysed.total,
                        level=analysed.level,
                        published_total=analysed.published_total,
                        published_level=analysed.published_level,
                    )
                specs = []
                if analysed is not None:
                    specs.append(
                        (Memo.Kind.ANALYSIS, None, date(ce - 1, 9, 1) + timedelta(days=rng.randint(0, 40)),
                         self._analysis_table(info, analysed), plan.assessment)
                    )  # fmt: skip
                specs.append(
                    (Memo.Kind.PLAN, None, date(ce - 1, 10, 15) + timedelta(days=rng.randint(0, 60)),
                     self._plan_table(year, plan_title, measures), None)
                )  # fmt: skip
                as_of_6 = half_year_end(year)
                specs.append(
                    (Memo.Kind.PROGRESS_6, as_of_6, as_of_6 + timedelta(days=rng.randint(1, 30)),
                     self._progress_table(year, measures, as_of_6), None)
                )  # fmt: skip
                as_of_12 = date(ce, 9, 30)
                specs.append(
                    (Memo.Kind.PROGRESS_12, as_of_12, as_of_12 + timedelta(days=rng.randint(1, 30)),
                     self._progress_table(year, measures, as_of_12), None)
                )  # fmt: skip
                for kind, as_of, submitted, table, assessment in specs:
                    if year == latest_year and kind == Memo.Kind.PROGRESS_12:
                        state = LATEST_STATES[info.number % len(LATEST_STATES)]
                    elif year == latest_year and rng.random() < 0.05:
                        state = "returned:1"
                    else:
                        state = "approved"
                    defaults = services.memo_defaults(
                        kind=kind, agency=agency, plan=plan if kind != Memo.Kind.ANALYSIS else None,
                        assessment=assessment,
                    )  # fmt: skip
                    memos.append(
                        {
                            "id": self.ids.take(Memo),
                            "kind": kind,
                            "plan_id": plan_id if kind != Memo.Kind.ANALYSIS else None,
                            "assessment_id": analysed.id if kind == Memo.Kind.ANALYSIS else None,
                            "as_of": as_of,
                            "submitted": submitted,
                            "table": table,
                            "state": state,
                            **defaults,
                        }
                    )
            # Running numbers per calendar year (BE) of submission, in the order memos were sent.
            numbered = sorted((m for m in memos if m["state"] != "draft"), key=lambda m: (m["submitted"], m["id"]))
            counters: dict[int, int] = defaultdict(int)
            for memo in numbered:
                number_year = to_be(memo["submitted"].year)
                counters[number_year] += 1
                memo["number_year"], memo["running_number"] = number_year, counters[number_year]
            counter_rows.extend((info.id, year, last) for year, last in counters.items())

            for memo in memos:
                memo_id = memo["id"]
                state, _sep, step_text = memo["state"].partition(":")
                stop = int(step_text) if step_text else None
                created = _at(memo["submitted"] - timedelta(days=rng.randint(1, 5)), 10, rng.randint(0, 59))
                events = [(memo_id, author.user_id, "create", "", Memo.Status.DRAFT, None, None, "", created)]
                status, current_step, moment, version = Memo.Status.DRAFT, None, created, 1
                if state != "draft":
                    moment = _at(memo["submitted"], 9, rng.randint(0, 59))
                    events.append(
                        (
                            memo_id,
                            author.user_id,
                            "submit",
                            Memo.Status.DRAFT,
                            Memo.Status.PENDING,
                            None,
                            1,
                            "",
                            moment,
                        )
                    )
                    status, current_step, version = Memo.Status.PENDING, 1, 2
                    for order, position, label, approvers, acting in info.chain:
                        step_id = self.ids.take(MemoStep)
                        step_approver_rows.extend((step_id, p.membership_id) for p in approvers)
                        step_acting_rows.extend((step_id, p.membership_id) for p in acting)
                        decided = state == "approved" or (stop is not None and order < stop) or (
                            state == "returned" and order == stop
                        )  # fmt: skip
                        if not decided:
                            step_rows.append(
                                (step_id, memo_id, order, position, label, "", "", None, "", "", False, None)
                            )
                            continue
                        moment = moment + timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
                        by = approvers[0]
                        is_acting = bool(acting) and state == "approved" and rng.random() < 0.1
                        if is_acting:
                            by = acting[0]
                        last_step = order == len(info.chain)
                        comment = ""
                        if state == "returned" and order == stop:
                            decision, comment = MemoStep.Decision.RETURN, rng.choice(RETURN_COMMENTS)
                        elif last_step:
                            decision = (
                                MemoStep.Decision.ACKNOWLEDGE
                                if memo["closing"] == Memo.Closing.INFORM
                                else MemoStep.Decision.APPROVE
                            )
                        else:
                            decision = MemoStep.Decision.AGREE
                        step_rows.append(
                            (step_id, memo_id, order, position, label, decision, comment, by.user_id,
                             by.name, by.position, is_acting, moment)
                        )  # fmt: skip
                        if decision == MemoStep.Decision.RETURN:
                            status, to_step, action = Memo.Status.RETURNED, None, "return"
                        elif last_step:
                            status, to_step, action = Memo.Status.APPROVED, None, "approve"
                        else:
                            status, to_step, action = Memo.Status.PENDING, order + 1, "forward"
                        events.append(
                            (memo_id, by.user_id, action, Memo.Status.PENDING, status, order, to_step, comment, moment)
                        )
                        current_step = to_step
                        version += 1
                is_submitted = state != "draft"
                memo_rows.append(
                    (
                        memo_id, info.id, office_id, memo["kind"], memo["plan_id"], memo["assessment_id"],
                        memo["as_of"], info.chain_id, office_letter,
                        memo.get("number_year"), memo.get("running_number"),
                        memo["submitted"] if is_submitted else None,
                        memo["subject"], info.chain[0][1], "", "", memo["body"], "", "", "", "", memo["closing"],
                        author.user_id, author.name, author.position,
                        memo["table"] if is_submitted else None,
                        status, current_step,
                        status == Memo.Status.APPROVED and memo["kind"] != Memo.Kind.ANALYSIS and rng.random() < 0.7,
                        version, created, moment,
                    )
                )  # fmt: skip
                event_rows.extend(events)
        w = self.writer
        w.write(Memo, self.MEMO_COLUMNS, memo_rows)
        w.write(
            MemoStep,
            ["id", "memo_id", "order", "position_title", "comment_label", "decision", "comment", "decided_by_id",
             "signer_name", "signer_position", "acting", "decided_at"],
            step_rows,
        )  # fmt: skip
        w.write(MemoStep.approvers.through, ["memostep_id", "membership_id"], step_approver_rows)
        w.write(MemoStep.acting_approvers.through, ["memostep_id", "membership_id"], step_acting_rows)
        w.write(
            MemoEvent,
            ["memo_id", "actor_id", "action", "from_status", "to_status", "from_step", "to_step", "comment",
             "created_at"],
            event_rows,
        )  # fmt: skip
        w.write(MemoCounter, ["agency_id", "year", "last"], counter_rows)
