"""Documents benchmark: memo PDF, a 20-page plan, one agency's annual pack, the national Excel table, batch PDFs
with one and two worker processes, and the plan, results and memo PDFs of a plan whose every text is at its
maximum ("longest": ``--case longest`` runs it alone, on any migrated database; ``LONGEST_MEASURES=20`` for a
bigger plan). Not a test: run it on the PostgreSQL database that ``bench/pages_bench.py --agencies 8000`` built,
e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_8000 .venv/bin/python bench/documents_bench.py

Each measurement runs in a fresh process, warm (Django set up, WeasyPrint imported, one render first), and
reports the median time and the process's peak memory (ru_maxrss). The memo (``--case memo``: the first memo with
a plan and a frozen table, seed 000's บางปู memo in the demo) is rendered 3 times, then timed 15 times
(``MEMO_RENDERS``), wall and CPU time (``time.process_time()``) with the load average. It needs no big database:

    DATA_DIR=/tmp/demo .venv/bin/python manage.py migrate && DATA_DIR=/tmp/demo .venv/bin/python manage.py load_demo
    DATA_DIR=/tmp/demo .venv/bin/python bench/documents_bench.py --case memo
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
    import django

    django.setup()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def timed(function, repeat: int, *, warm: int = 1, cpu: list | None = None) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls after ``warm`` calls; the CPU time (process_time) of each call is
    appended to ``cpu`` when given: on the shared machine wall time is mostly waiting for a core."""
    for _ in range(warm):
        result = function()
    times = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), result


def load_average() -> float:
    return os.getloadavg()[0]


def case_memo():
    """Laid out afresh each time: the memo's PDF cache (reports.pdfcache) is off, as for a memo just changed."""
    from django.conf import settings

    from reports.documents import MemoDocument
    from reports.models import Memo

    settings.PDF_CACHE_SECONDS = 0
    memo = Memo.objects.filter(plan__isnull=False, table__isnull=False).order_by("pk").first()

    def render():
        return MemoDocument(memo).render_pdf()

    cpu: list[float] = []
    load_before = load_average()
    seconds, pdf = timed(render, int(os.environ.get("MEMO_RENDERS", 15)), warm=3, cpu=cpu)
    return {
        "case": f"memo PDF (memo {memo.pk}, {memo.agency.code}, {memo.kind}): CPU {statistics.median(cpu):.3f} s "
        f"median, min {min(cpu):.3f} s; load average {load_before:.1f} then {load_average():.1f}",
        "median_s": seconds,
        "cpu_median_s": statistics.median(cpu),
        "pages": pages(pdf),
        "peak_mib": peak_mib(),
    }


def case_memo_again():
    """The same memo opened again unchanged: its data gathered, its HTML built, the PDF taken from the cache by the
    HTML's digest (reports.pdfcache; the process's own memory here, Redis in production)."""
    from django.conf import settings

    from reports.documents import MemoDocument
    from reports.models import Memo

    settings.PDF_CACHE_SECONDS = 3600
    memo = Memo.objects.filter(plan__isnull=False, table__isnull=False).order_by("pk").first()

    def render():
        return MemoDocument(memo).render_pdf()

    cpu: list[float] = []
    seconds, pdf = timed(render, int(os.environ.get("MEMO_RENDERS", 15)), warm=1, cpu=cpu)
    return {
        "case": f"memo PDF opened again unchanged (memo {memo.pk}): CPU {statistics.median(cpu) * 1000:.1f} ms median",
        "median_s": seconds,
        "cpu_median_s": statistics.median(cpu),
        "pages": pages(pdf),
        "peak_mib": peak_mib(),
    }


def case_memo_raw():
    """The floor: WeasyPrint as shipped (no text-layer fix, no guide-line drawing: nothing of reports.pdftext
    installed in this process) on the same memo's HTML, timed as ``case_memo``."""
    import weasyprint

    from reports.documents import MemoDocument
    from reports.models import Memo

    memo = Memo.objects.filter(plan__isnull=False, table__isnull=False).order_by("pk").first()
    html = MemoDocument(memo).render_html()

    def render():
        return weasyprint.HTML(string=html).write_pdf()

    cpu: list[float] = []
    load_before = load_average()
    seconds, pdf = timed(render, int(os.environ.get("MEMO_RENDERS", 15)), warm=3, cpu=cpu)
    return {
        "case": f"memo HTML in raw WeasyPrint (memo {memo.pk}): CPU {statistics.median(cpu):.3f} s median, "
        f"min {min(cpu):.3f} s; load average {load_before:.1f} then {load_average():.1f}",
        "median_s": seconds,
        "cpu_median_s": statistics.median(cpu),
        "pages": pages(pdf),
        "peak_mib": peak_mib(),
    }


def case_plan_20_pages():
    from measures.models import MeasurePlan
    from reports.documents import PlanDocument

    plan = MeasurePlan.objects.order_by("pk").first()
    document = PlanDocument(plan)
    document.ensure()
    base = list(document.measures)
    factor = 1
    while True:
        document.measures = base * factor
        count = pages(document.render_pdf())
        if count >= 20:
            break
        factor = max(factor + 1, int(factor * 20 / max(count, 1)))

    seconds, pdf = timed(document.render_pdf, 3)
    return {
        "case": f"plan PDF ({len(document.measures)} measures)",
        "median_s": seconds,
        "pages": pages(pdf),
        "peak_mib": peak_mib(),
    }


def case_annual_pack():
    from ita_tracker.models import Job
    from reports.jobs import _agency_documents
    from reports.models import Memo

    memo = Memo.objects.filter(plan__isnull=False).order_by("pk").first()
    job = Job(params={"agency": memo.agency_id, "year": memo.plan.fiscal_year})

    def build():
        return _agency_documents(job, lambda percent, message: None)

    seconds, (_name, data) = timed(build, 3)
    return {
        "case": "annual pack (ZIP: plan, results, analyses, memos; PDF+XLSX)",
        "median_s": seconds,
        "bytes": len(data),
        "peak_mib": peak_mib(),
    }


def case_national_excel():
    from django.contrib.auth import get_user_model

    from assessments.models import FrameworkEdition
    from reports.documents import ScoreTableDocument

    user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.get(
        username="national.viewer"
    )
    year = FrameworkEdition.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    document = ScoreTableDocument(user, year)
    before = peak_mib()
    seconds, data = timed(document.render_xlsx, 2)
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True)[f"ITA {year}"]
    rows = sum(1 for _ in sheet.iter_rows(min_row=4, values_only=True)) - 1  # less the averages row
    return {
        "case": f"national Excel ({rows} agencies)",
        "median_s": seconds,
        "bytes": len(data),
        "peak_mib": peak_mib(),
        "mib_before": before,
    }


def _render_memo(pk: int) -> int:
    setup()
    from reports.documents import MemoDocument
    from reports.models import Memo

    return len(MemoDocument(Memo.objects.get(pk=pk)).render_pdf())


def case_batch(workers: int, count: int = 24):
    from multiprocessing import get_context

    from reports.models import Memo

    ids = list(Memo.objects.filter(table__isnull=False).order_by("pk").values_list("pk", flat=True)[:count])
    from django.db import connections

    connections.close_all()
    with get_context("fork").Pool(workers, initializer=setup) as pool:
        pool.map(_render_memo, ids[:workers])  # warm each worker
        start = time.perf_counter()
        pool.map(_render_memo, ids)
        seconds = time.perf_counter() - start
    return {
        "case": f"batch of {len(ids)} memo PDFs, {workers} process(es)",
        "total_s": seconds,
        "per_second": len(ids) / seconds,
    }


def case_longest_texts():
    """Issue 11, item 8: a plan whose every free text is at its maximum (``bench/longest_texts.py``), built in a
    transaction that is rolled back, so any migrated database will do. Plan, results and memo PDFs, median of 3."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from agencies.models import Agency
    from bench.longest_texts import MEASURES, build
    from reports.documents import MemoDocument, PlanDocument, ResultsDocument

    results = {}
    with transaction.atomic():
        agency = Agency.objects.create(
            name="เทศบาลทดสอบข้อความยาว",
            type=Agency.Type.SUBDISTRICT_MUNICIPALITY,
            code="bench-longest",
            province="ยะลา",
            district="เมืองยะลา",
        )
        user = get_user_model().objects.create(username="bench-longest")
        measures = int(os.environ.get("LONGEST_MEASURES", MEASURES))
        plan, memo = build(agency, user, measures=measures)
        for name, document in [("plan", PlanDocument(plan)), ("results", ResultsDocument(plan))]:
            seconds, pdf = timed(document.render_pdf, 3)
            results[name] = (seconds, pages(pdf))
        seconds, pdf = timed(lambda: MemoDocument(memo).render_pdf(), 3)
        results["memo"] = (seconds, pages(pdf))
        transaction.set_rollback(True)
    parts = ", ".join(f"{name} {s:.2f} s / {n} pages" for name, (s, n) in results.items())
    return {
        "case": f"longest texts ({measures} measures, every text at its maximum): {parts}",
        "median_s": sum(s for s, _n in results.values()),
        "pages": sum(n for _s, n in results.values()),
        "peak_mib": peak_mib(),
    }


CASES = {
    "memo": case_memo,
    "memo_again": case_memo_again,
    "memo_raw": case_memo_raw,
    "plan": case_plan_20_pages,
    "pack": case_annual_pack,
    "excel": case_national_excel,
    "batch1": lambda: case_batch(1),
    "batch2": lambda: case_batch(2),
    "longest": case_longest_texts,
}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        setup()
        import weasyprint  # noqa: F401  (import cost is not part of any measurement)

        print(json.dumps(CASES[sys.argv[2]]()))
        return
    results = []
    for name in CASES:
        out = subprocess.run(
            [sys.executable, __file__, "--case", name], capture_output=True, text=True, env=os.environ
        )
        if out.returncode != 0:
            print(f"{name} failed:\n{out.stderr[-3000:]}")
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("| case | time | pages / size | peak memory |")
    print("|---|---|---|---|")
    for r in results:
        cpu = f", CPU {r['cpu_median_s']:.2f} s" if "cpu_median_s" in r else ""
        time_text = (
            f"{r['median_s']:.2f} s (median){cpu}"
            if "median_s" in r
            else f"{r['total_s']:.1f} s, {r['per_second']:.1f} PDF/s"
        )
        size = f"{r['pages']} pages" if "pages" in r else (f"{r['bytes'] / 1024:.0f} KiB" if "bytes" in r else "")
        memory = f"{r['peak_mib']:.0f} MiB" if "peak_mib" in r else ""
        print(f"| {r['case']} | {time_text} | {size} | {memory} |")


if __name__ == "__main__":
    main()
