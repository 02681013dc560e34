"""Import memory-bomb benchmark (issue 11, item 1): a 5 KB workbook whose sheet declares the dimension
``A1:XFD1048576`` (one good row, and one cell in the very last row and column), uploaded on the import page
as a coordinator would, and checked and saved as the background import job does. Not a test: run it by hand.

    .venv/bin/python bench/import_bomb_bench.py            # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bomb .venv/bin/python bench/import_bomb_bench.py

Each case runs in a fresh process (Django set up, migrated, frameworks loaded) and prints the wall time of the
upload and the process's peak resident memory (``ru_maxrss``) before and after it. The bound the issue sets
is 200 MB for any upload; before the fix the check of this file took 5 GB and 27 s.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SATENG_NOK_2566 = ["93.60", "80.28", "88.69", "82.71", "81.64", "80.09", "73.50", "79.89", "100.00", "73.75"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def widened_workbook(name: str, province: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["agency", "province", "fiscal_year", *(f"ind{n}" for n in range(1, 11))])
    sheet.append([name, province, 2566, *(float(v) for v in SATENG_NOK_2566)])
    sheet.cell(row=1_048_576, column=16_384, value="x")  # openpyxl writes the dimension A1:XFD1048576
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_case(case: str) -> dict:
    """In this (child) process: set up a database, then upload or check+apply the widened workbook."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from agencies.models import Agency, Membership
    from assessments import transfer
    from assessments.models import Assessment

    call_command("migrate", verbosity=0)
    call_command("load_frameworks", verbosity=0)
    setup_test_environment()
    from django.contrib.auth import get_user_model

    agency, _ = Agency.objects.get_or_create(
        code="bomb-bench",
        defaults={"name": "เทศบาลตำบลทดสอบ", "province": "ปัตตานี", "type": "subdistrict_municipality"},
    )
    user, _ = get_user_model().objects.get_or_create(username="bomb.bench")
    Membership.objects.get_or_create(user=user, agency=agency, defaults={"is_coordinator": True})
    Assessment.objects.filter(agency=agency).delete()
    content = widened_workbook(agency.name, agency.province)

    before = peak_mib()
    started = time.perf_counter()
    if case == "web":
        client = Client()
        client.force_login(user)
        upload = io.BytesIO(content)
        upload.name = "widened.xlsx"
        response = client.post(reverse("assessments:import"), {"file": upload}, HTTP_HOST="localhost", secure=True)
        outcome = f"HTTP {response.status_code}"
    else:  # what the background import job runs on the worker
        plan = transfer.check_file(io.BytesIO(content), "widened.xlsx", user=user)
        summary = transfer.apply_plan(plan, by=user)
        outcome = f"{len(plan.errors)} errors, {summary.assessments_created} created"
    elapsed = time.perf_counter() - started
    saved = Assessment.objects.filter(agency=agency).values_list("total", flat=True).first()
    return {
        "case": case,
        "file_bytes": len(content),
        "seconds": round(elapsed, 3),
        "peak_rss_mib_before": round(before, 1),
        "peak_rss_mib_after": round(peak_mib(), 1),
        "outcome": outcome,
        "saved_total": str(saved),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env.setdefault("DATA_DIR", folder)
        env.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
        env.setdefault("DEBUG", "0")
        env.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
        env.setdefault("ALLOWED_HOSTS", "localhost")
        print(f"{'case':6} {'file':>8} {'time':>8} {'peak RSS before':>16} {'after':>8}  outcome")
        for case in ("web", "job"):
            out = subprocess.run(
                [sys.executable, __file__, "--case", case], env=env, capture_output=True, text=True, check=True
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(
                f"{case:6} {result['file_bytes']:>7}B {result['seconds']:>7.2f}s "
                f"{result['peak_rss_mib_before']:>14.1f}Mi {result['peak_rss_mib_after']:>6.1f}Mi  "
                f"{result['outcome']}, total {result['saved_total']}"
            )


if __name__ == "__main__":
    main()
