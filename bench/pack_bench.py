"""Documents per second of a national pack with 1, 2 and 3 worker processes (issue 17; a benchmark, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_h5_bench80 REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/pack_bench.py --agencies 40 --years 2 --workers 1,2,3 [--type sao]

Builds the database as ``pages_bench.py`` does when it holds no generated agencies (``generate_data``), then for
each worker count: starts a real Celery worker (``celery -A ita_tracker worker --concurrency N``, the production
setup: ``JOBS_BACKEND=celery``, Redis as broker), waits for it to answer a ping, warms its processes up with a
small pack (one agency per process: Django, WeasyPrint and the fonts loaded), then starts the national viewer's
pack of the year (``reports.jobs.pack_start``: one ``agency_documents`` job per agency under a parent; ``--type``
and ``--province`` are the pack form's filters, to make it smaller on a busy machine) and times it
from the start until the parent is finished, the last child having assembled the ZIP. Documents are counted in
the children's ZIPs (each document is a PDF and an XLSX; a document is counted once). CPU time is the worker
processes' (user + system, from ``/proc``) over the timed pack; the 1-minute load average is sampled while it runs.
The jobs and files of the run are deleted afterwards. ``--json FILE`` keeps the figures.

The broker's queue is emptied before each worker starts (the ``celery`` and ``unacked`` keys of REDIS_URL's
database): give the benchmark a Redis database of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ["JOBS_BACKEND"] = "celery"
os.environ.setdefault("DATA_DIR", str(Path(tempfile.gettempdir()) / "ita-pack-bench"))

TICKS = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """The process and its descendants (the worker's pool processes)."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return pids


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def start_worker(processes: int, log: Path) -> subprocess.Popen:
    from ita_tracker.celery import app

    command = [
        sys.executable, "-m", "celery", "-A", "ita_tracker", "worker", "--concurrency", str(processes),
        "--loglevel", "WARNING", "--hostname", f"packbench{processes}@%h", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    worker = subprocess.Popen(command, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"the worker stopped; see {log}")
        if app.control.ping(destination=[f"packbench{processes}@{os.uname().nodename}"], timeout=1.0):
            return worker
    raise SystemExit(f"the worker did not answer within 120 s; see {log}")


def stop_worker(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)  # warm shutdown: nothing is running by now
    try:
        worker.wait(60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(parent, loads: list[float] | None = None, timeout: float = 7200) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parent.refresh_from_db(fields=["status", "progress", "message"])
        if loads is not None:
            loads.append(os.getloadavg()[0])
        if parent.is_finished:
            parent.refresh_from_db()
            return
        time.sleep(0.25)
    raise SystemExit(f"pack {parent.pk} not finished after {timeout} s: {parent.message}")


def count_documents(parent) -> tuple[int, int]:
    """(documents, failed children) of a finished pack: a document is a PDF with its XLSX in a child's ZIP."""
    from ita_tracker.models import Job

    documents = failed = 0
    for child in parent.children.only("status", "result"):
        if child.status != Job.Status.DONE:
            failed += 1
            continue
        with child.result.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            documents += sum(1 for name in archive.namelist() if name.endswith(".pdf"))
    return documents, failed


def delete_jobs(parent) -> None:
    for job in [*parent.children.all(), parent]:
        if job.result:
            job.result.delete(save=False)
        job.delete()


def empty_queue() -> None:
    import redis

    connection = redis.Redis.from_url(os.environ["REDIS_URL"])
    connection.delete("celery", "unacked", "unacked_index")


def run(processes: int, national, params: dict, logs: Path) -> dict:
    from django.db import transaction

    from agencies.models import Agency
    from ita_tracker.batches import batch_start
    from reports.jobs import AGENCY_DOCUMENTS, DOCUMENTS_PACK, pack_start

    year = params["year"]
    empty_queue()
    worker = start_worker(processes, logs / f"worker-{processes}.log")
    try:
        warm = list(Agency.objects.visible_to(national).order_by("code").values_list("pk", flat=True)[:processes])
        with transaction.atomic():
            parent = batch_start(
                kind=DOCUMENTS_PACK,
                child_kind=AGENCY_DOCUMENTS,
                children=[{"agency": pk, "year": year} for pk in warm],
                params={"year": year, "agencies": warm, "name": "warm-up"},
                by=national,
            )
        wait_for(parent)
        delete_jobs(parent)

        pids = _tree(worker.pid)
        cpu_before, loads = _cpu_seconds(pids), [os.getloadavg()[0]]
        started = time.perf_counter()
        with transaction.atomic():
            parent = pack_start(national, params)
        wait_for(parent, loads)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(pids) - cpu_before
    finally:
        stop_worker(worker)
    documents, failed = count_documents(parent)
    result = {
        "processes": processes,
        "agencies": parent.child_count,
        "documents": documents,
        "failed_children": failed,
        "seconds": round(elapsed, 2),
        "documents_per_second": round(documents / elapsed, 2),
        "worker_cpu_seconds": round(cpu, 1),
        "zip_kib": round(parent.result.size / 1024),
        "load_1min_start": loads[0],
        "load_1min_max": max(loads),
        "load_1min_end": loads[-1],
        "status": parent.status,
    }
    delete_jobs(parent)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, help="the pack's fiscal year (default: the latest generated)")
    parser.add_argument("--workers", default="1,2,3", help="worker process counts, comma-separated")
    parser.add_argument("--type", default="", help="only agencies of this type (the pack form's filter)")
    parser.add_argument("--province", default="", help="only agencies of this province")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import django

    from bench.pages_bench import ensure_database, prepare

    ensure_database()
    django.setup()
    from django.contrib.auth import get_user_model

    from measures.models import MeasurePlan

    setup = prepare(args.agencies, args.years, args.seed, None)
    national = get_user_model().objects.get(username="national.viewer")
    year = args.year or MeasurePlan.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    logs = Path(os.environ["DATA_DIR"]) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = []
    for processes in [int(n) for n in args.workers.split(",")]:
        result = run(processes, national, {"year": year, "province": args.province, "type": args.type}, logs)
        results.append(result)
        print(json.dumps(result), flush=True)
    which = ", ".join(f"{k} {v}" for k, v in (("type", args.type), ("province", args.province)) if v)
    print(f"\nnational viewer's pack of {year} ({which or 'every agency'}): {results[0]['agencies']} agencies\n")
    print("| worker processes | documents | seconds | documents/s | speed-up | worker CPU s | load avg (start–max) |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(
            f"| {r['processes']} | {r['documents']} | {r['seconds']:.1f} | {r['documents_per_second']:.2f} | "
            f"×{r['documents_per_second'] / results[0]['documents_per_second']:.2f} | {r['worker_cpu_seconds']:.1f} | "
            f"{r['load_1min_start']:.2f}–{r['load_1min_max']:.2f} |"
        )
    if args.json:
        args.json.write_text(json.dumps({"setup": setup, "year": year, "results": results}, indent=2))


if __name__ == "__main__":
    main()
