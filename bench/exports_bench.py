"""Time and peak memory of a national export's builder, as its job runs it, for the national viewer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_h9_bench .venv/bin/python bench/exports_bench.py export
    DATABASE_URL=... .venv/bin/python bench/exports_bench.py table     # the score table of 2568
    .venv/bin/python bench/exports_bench.py writer    # the XLSX writer alone, 40,000 made-up rows, no database

Run each case in a fresh process: the peak resident memory (``ru_maxrss``) is the process's.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from assessments import transfer
    from assessments.models import Assessment
    from reports.documents import ScoreTableDocument

    if sys.argv[1:] == ["writer"]:
        return writer_only()
    national = get_user_model().objects.get(username="national.viewer")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    if sys.argv[1:] == ["export"]:
        buffer = io.BytesIO()
        rows = transfer.write_xlsx(transfer.export_rows(Assessment.objects.visible_to(national)), buffer)
        size = len(buffer.getvalue())
    else:
        data = ScoreTableDocument(national, 2568).render_xlsx()
        rows, size = "-", len(data)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{sys.argv[1:]}: {rows} rows, {size / 1024:.0f} KiB, {elapsed:.2f} s, peak RSS {before:.0f} -> {after:.0f} "
        f"MiB (+{after - before:.0f}), load {os.getloadavg()[0]:.2f}"
    )


def writer_only() -> None:
    """``transfer.write_xlsx`` alone on rows shaped like the national export's (8,000 agencies × 5 years, Thai
    names, ten indicator and three tool scores as ``Decimal``): the writer's share of the job, CPU and wall time."""
    import random
    from decimal import Decimal

    from assessments.transfer.export import export_header, write_xlsx

    random.seed(1)
    header = export_header(list(range(1, 11)), ["IIT", "EIT", "OIT"])

    def score() -> Decimal:
        return Decimal(random.randint(5000, 10000)) / 100

    rows = [
        [f"องค์การบริหารส่วนตำบลบ้านใหม่{i}", "องค์การบริหารส่วนตำบล", "นครราชสีมา", year,
         *(score() for _ in range(13)), score(), "B ผ่าน", None if i % 3 else score(), None if i % 3 else "B", False]
        for year in range(2564, 2569)
        for i in range(8000)
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, started = time.process_time(), time.perf_counter()
    buffer = io.BytesIO()
    count = write_xlsx(iter([header, *rows]), buffer)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"writer: {count} rows, {len(buffer.getvalue()) / 1024:.0f} KiB, CPU {cpu:.2f} s, wall {elapsed:.2f} s, "
        f"peak RSS {before:.0f} -> {after:.0f} MiB, load {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
