"""Sealing an approved memo, and serving the sealed file under load (issue 15, issue 11 item 7).

    .venv/bin/python bench/seal_bench.py [--workers 3] [--seconds 15]

Works in a throw-away DATA_DIR (SQLite, the demo data, a development certificate) unless DATABASE_URL is set.

1. Seal: the demo's approved memo of บางปู (seed 000) is sealed again and again from a fresh record (render with
   WeasyPrint, PAdES signature with pyHanko, store, hash), in this process: the first time (WeasyPrint and
   the key loaded), then three more to warm up, then the median of ten, wall and CPU time (process_time), with
   the render and the signature timed apart, and the load average.
2. Serve: gunicorn (DEBUG off, ``--workers``) serves the public OIT address of the sealed PDF to six
   clients requesting it back to back for ``--seconds``, while a seventh client opens the login page once
   every 100 ms; the login page is also timed alone before. Times are from the client, on loopback, with
   everything sharing the machine's cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8712
PARALLEL = 6


def setup(data_dir: Path) -> None:
    os.environ.setdefault("DATA_DIR", str(data_dir))
    os.environ["JOBS_BACKEND"] = "inline"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    call_command("seal_memos", stdout=StringIO())


def sealed_memo():
    """Seed 000's approved memo of บางปู (the demo's first sealed memo: 6 pages, plan and progress tables)."""
    from reports.models import Memo

    return (
        Memo.objects.select_related("agency")
        .filter(agency__code="bangpu", status=Memo.Status.APPROVED, sealed__isnull=False)
        .order_by("pk")
        .first()
    )


def seal_times(rounds: int = 10, warm: int = 3) -> dict:
    from django.db import transaction

    from reports import seal
    from reports.models import SealedRecord

    memo = sealed_memo()
    original = SealedRecord.objects.get(memo=memo)
    totals, renders, signs, cpu_totals, cpu_renders, cpu_signs = [], [], [], [], [], []
    for _round in range(warm + rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        pdf = seal.seal_render(memo, original)
        rendered, rendered_cpu = time.perf_counter(), time.process_time()
        signed = seal.sign_pdf(pdf, seal.signer_for(memo.agency), reason="bench", location="bench")
        done, done_cpu = time.perf_counter(), time.process_time()
        total_start, total_start_cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            SealedRecord.objects.filter(pk=original.pk).update(sealed_at=None, sha256="", file="")
            seal.memo_seal(original.pk)
            transaction.set_rollback(True)
        totals.append(time.perf_counter() - total_start)
        cpu_totals.append(time.process_time() - total_start_cpu)
        renders.append(rendered - start)
        cpu_renders.append(rendered_cpu - start_cpu)
        signs.append(done - rendered)
        cpu_signs.append(done_cpu - rendered_cpu)
        assert signed.startswith(b"%PDF")
    median = lambda values: statistics.median(values[warm:])  # noqa: E731
    return {
        "first": totals[0],
        "median": median(totals),
        "render": median(renders),
        "sign": median(signs),
        "cpu_median": median(cpu_totals),
        "cpu_render": median(cpu_renders),
        "cpu_sign": median(cpu_signs),
    }


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - start


def serve_times(workers: int, seconds: float) -> dict:
    memo = sealed_memo()
    base = f"http://127.0.0.1:{PORT}"
    pdf_url = f"{base}/public/{memo.agency.code}/{memo.fiscal_year}/memo-{memo.pk}.pdf"
    login_url = f"{base}/accounts/login/"
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "STATIC_ROOT": str(Path(os.environ["DATA_DIR"]) / "static"),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "-c", "python:ita_tracker.gunicorn", "--access-logfile", "/dev/null", "ita_tracker.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _i in range(100):
            try:
                _get(login_url)
                break
            except OSError:
                time.sleep(0.2)
        for _i in range(20):  # warm-up
            _get(pdf_url), _get(login_url)
        alone = [_get(login_url) for _i in range(40)]
        pdf_alone = [_get(pdf_url) for _i in range(40)]
        stop = time.monotonic() + seconds
        pdf_times: list[float] = []
        login_times: list[float] = []

        def hammer():
            while time.monotonic() < stop:
                pdf_times.append(_get(pdf_url))

        def logins():
            while time.monotonic() < stop:
                login_times.append(_get(login_url))
                time.sleep(0.1)

        threads = [threading.Thread(target=hammer) for _i in range(PARALLEL)] + [threading.Thread(target=logins)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(10)
    pdf_times.sort()
    login_times.sort()
    return {
        "pdf_alone": statistics.median(pdf_alone),
        "pdf_median": statistics.median(pdf_times),
        "pdf_p95": pdf_times[int(len(pdf_times) * 0.95)],
        "pdf_count": len(pdf_times),
        "login_alone": statistics.median(alone),
        "login_median": statistics.median(login_times),
        "login_p95": login_times[int(len(login_times) * 0.95)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15, help="0: time the sealing only")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="ita-seal-bench-"))
    try:
        setup(data_dir)
        load_seal = os.getloadavg()[0]
        sealed = seal_times()
        load_seal_after = os.getloadavg()[0]
        served = serve_times(args.workers, args.seconds) if args.seconds > 0 else None
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    print(f"load average while sealing: {load_seal:.1f} then {load_seal_after:.1f} on {os.cpu_count()} cores")
    print("| measure | wall | CPU |")
    print("|---|---:|---:|")
    print(f"| seal a memo, first in the process (WeasyPrint, key loaded) | {ms(sealed['first'])} | |")
    print(f"| seal a memo, median of 10 after 3 | {ms(sealed['median'])} | {ms(sealed['cpu_median'])} |")
    print(f"| … of which render (WeasyPrint) | {ms(sealed['render'])} | {ms(sealed['cpu_render'])} |")
    print(f"| … of which PAdES signature (pyHanko) | {ms(sealed['sign'])} | {ms(sealed['cpu_sign'])} |")
    if served is None:
        return
    print(f"| public sealed PDF, one client, median | {ms(served['pdf_alone'])} |")
    print(f"| public sealed PDF, {PARALLEL} clients in parallel, median | {ms(served['pdf_median'])} |")
    print(f"| public sealed PDF, {PARALLEL} clients in parallel, p95 | {ms(served['pdf_p95'])} |")
    print(f"| requests served in {args.seconds:.0f} s | {served['pdf_count']} |")
    print(f"| login page alone, median | {ms(served['login_alone'])} |")
    print(f"| login page beside the {PARALLEL} clients, median | {ms(served['login_median'])} |")
    print(f"| login page beside the {PARALLEL} clients, p95 | {ms(served['login_p95'])} |")


if __name__ == "__main__":
    main()
