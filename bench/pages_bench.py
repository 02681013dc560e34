"""Server time of the main pages at a given number of agencies (a benchmark, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_80 \\
        .venv/bin/python bench/pages_bench.py --agencies 80 --years 5

creates the database if it is missing, migrates, loads the framework editions and, when the database
holds no generated agencies yet, runs ``generate_data`` (timed) and ``VACUUM ANALYZE`` (as autovacuum
would before anyone uses the data). Then it requests every page with Django's test ``Client`` inside
this process, so the times are server time without the network: 5 warm-up requests, then 30 timed
ones per page, with ``DEBUG`` off so Django does not record queries; then a separate pass counts the
queries of one request per page (``CaptureQueriesContext``). It prints a Markdown table; ``--json``
also writes the figures to a file and ``--explain`` prints ``EXPLAIN ANALYZE`` of each page's slowest
queries.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_tracker.settings")
# A server keeps its database connection between requests; the default of 60 s would reconnect in the
# middle of a run and charge one request for it.
os.environ.setdefault("CONN_MAX_AGE", "600")

WARMUP = 5
TIMED = 30  # --rounds
SLOW_MS = 3000
SKIP: list[str] = []
ONLY: list[str] = []


def ensure_database() -> str:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist; return its name."""
    import dj_database_url
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench_<n>")
    config = dj_database_url.parse(url)
    params = {
        "dbname": "postgres",
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
    }
    server = psycopg2.connect(**{k: v for k, v in params.items() if v})
    server.autocommit = True  # CREATE DATABASE cannot run in a transaction
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
            print(f"created database {config['NAME']}")
    server.close()
    return config["NAME"]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def prepare(agencies: int, years: int, seed: int, items_years: int | None, frozen_tables: int | None = None) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from agencies.models import Agency
    from assessments.frameworks import load_all

    setup = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_all()
    setup["migrate_and_frameworks_s"] = round(time.perf_counter() - started, 1)
    existing = Agency.objects.filter(code__startswith="gen-").count()
    if existing == 0:
        out = StringIO()
        options = {"agencies": agencies, "years": years, "seed": seed, "stdout": out}
        if items_years is not None:
            options["items_years"] = items_years
        if frozen_tables is not None:
            options["frozen_tables"] = frozen_tables
        print(f"generating {agencies:,} agencies × {years} years …", flush=True)
        started = time.perf_counter()
        call_command("generate_data", **options)
        setup["generate_data_s"] = round(time.perf_counter() - started, 1)
        print(out.getvalue(), flush=True)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        setup["vacuum_analyze_s"] = round(time.perf_counter() - started, 1)
        print(f"generate_data {setup['generate_data_s']} s; VACUUM ANALYZE {setup['vacuum_analyze_s']} s", flush=True)
    elif existing != agencies:
        print(f"note: the database already holds {existing:,} generated agencies (asked for {agencies:,})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        setup["database_size"] = cursor.fetchone()[0]
    return setup


def _first_requests(pages, get) -> dict[int, float]:
    """One request per page; a page slower than SLOW_MS is timed once, not TIMED times. Every page that fails
    is named before the run stops."""
    slow: dict[int, float] = {}
    failed = []
    for i, (_page, user, url) in enumerate(pages):
        started = time.perf_counter()
        try:
            get(user, url)
        except PageFailed as exc:
            failed.append(str(exc))
            continue
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed > SLOW_MS:  # the first request of a page can pay for the process's own warm-up: ask again
            started = time.perf_counter()
            get(user, url)
            elapsed = (time.perf_counter() - started) * 1000
        if elapsed > SLOW_MS:
            slow[i] = elapsed
            print(f"  {pages[i][0]}: {elapsed:.0f} ms on the first request: timed once", flush=True)
    if failed:
        raise SystemExit("pages that failed:\n" + "\n".join(failed))
    return slow


class PageFailed(Exception):
    pass


def _timed_rounds(pages, get, slow: dict[int, float], freeze: bool) -> list[list[float]]:
    times: list[list[float]] = [[] for _ in pages]
    for i, (_page, user, url) in enumerate(pages):
        for _ in range(WARMUP if i not in slow else 0):
            get(user, url)
    if freeze:
        # What a tuned server does after start-up (gunicorn: gc.freeze() in post_fork or when_ready):
        # the long-lived objects of Django and the app leave the collector's view, so a full collection
        # only walks what requests allocate. Without it, on this machine a full collection of the
        # ~110,000 start-up objects takes 70–140 ms and lands in a few requests of every page.
        gc.collect()
        gc.freeze()
    for _round in range(TIMED):
        for i, (_page, user, url) in enumerate(pages):
            if i in slow:
                continue
            started = time.perf_counter()
            get(user, url)
            times[i].append((time.perf_counter() - started) * 1000)
    return times


def measure(pages, users: dict, api_key: str, explain: int, freeze: bool = True) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None and role != "api":
            clients[role].force_login(user)

    def get(role, url):
        headers = {"Authorization": f"Bearer {api_key}"} if role == "api" else {}
        response = clients[role].get(url, headers=headers)
        # 302: a national export answered with "made as a job"; 403: the admin refuses to delete an agency, edition
        # or item that has records (the confirmation page would list them all).
        refused = response.status_code == 403 and url.startswith("/admin/") and url.endswith("/delete/")
        if response.status_code not in (200, 302) and not refused:
            raise PageFailed(f"{url} as {role}: HTTP {response.status_code}")
        return response

    # A page slower than SLOW_MS on its first request is timed once, not 35 times (the national export took
    # 30 s, the admin's measure change 208 s before issue 17); --skip leaves out pages by name.
    pages = [p for p in pages if not any(word in p[0] for word in SKIP)]
    if ONLY:
        pages = [p for p in pages if any(word in p[0] for word in ONLY)]
    with override_settings(DEBUG=False):
        slow = _first_requests(pages, get)

    # Timings with DEBUG off: with DEBUG on, every query's text and time would be recorded. Pages take
    # turns (round after round) so that anything else running on the machine weighs on all alike.
    with override_settings(DEBUG=False):
        times = _timed_rounds(pages, get, slow, freeze)
    for i, elapsed in slow.items():
        times[i] = [elapsed]
    results = []
    for (page, role, url), samples in zip(pages, times, strict=True):
        results.append(
            {
                "page": page,
                "user": role,
                "url": url,
                "median_ms": round(statistics.median(samples), 1),
                "p95_ms": round(percentile(samples, 95), 1),
                "min_ms": round(min(samples), 1),
                "max_ms": round(max(samples), 1),
                "samples_ms": [round(x, 1) for x in samples],
            }
        )
        print(f"  {page:<32} median {results[-1]['median_ms']:7.1f} ms  p95 {results[-1]['p95_ms']:7.1f} ms")
    # Query counts in a pass of their own, each of a request that follows one of the same page: what a person's
    # reload costs. Without it a count depended on the clock: the session's expiry is pushed ahead at most every
    # SESSION_TOUCH_SECONDS (BEGIN, UPDATE django_session, COMMIT: 3 queries in whichever page came first after
    # 5 minutes, the national oversight's 15 / 18 of the 22 November run), and figures kept 5 minutes
    # (ita_tracker.summaries) are computed again in whichever request comes first after they expire.
    for i, (result, (_page, user, url)) in enumerate(zip(results, pages, strict=True)):
        if i in slow:
            result["queries"] = None  # not requested again
            continue
        get(user, url)
        with CaptureQueriesContext(connection) as ctx:
            response = get(user, url)
        result["queries"] = len(ctx.captured_queries)
        result["status"] = response.status_code
        body = b"".join(response.streaming_content) if response.streaming else response.content
        result["bytes"] = len(body)
        slowest = sorted(ctx.captured_queries, key=lambda q: float(q["time"]), reverse=True)
        result["slowest_queries"] = [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"]} for q in slowest[:3]]
        for query in slowest[:explain]:
            print(f"\n--- {result['page']}: {float(query['time']) * 1000:.1f} ms\n{query['sql']}\n")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
    return results


def table(results: list[dict]) -> str:
    lines = [
        "| page | as | median ms | p95 ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['page']} | {r['user']} | {r['median_ms']} | {r['p95_ms']} | {r['queries']} |")
    return "\n".join(lines)


def main() -> None:
    global TIMED, WARMUP
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=80)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--items-years", type=int, default=None, help="passed to generate_data")
    parser.add_argument("--frozen-tables", type=int, default=None, help="passed to generate_data")
    parser.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the N slowest queries per page")
    parser.add_argument(
        "--no-gc-freeze", dest="gc_freeze", action="store_false", help="leave the start-up objects to the collector"
    )
    parser.add_argument("--skip", action="append", default=[], help="leave out pages whose name contains this")
    parser.add_argument("--rounds", type=int, default=TIMED, help="timed requests per page (default 30)")
    parser.add_argument("--only", action="append", default=[], help="time only pages whose name contains this")
    parser.add_argument("--build-only", action="store_true", help="build the data (and OIT lists), time nothing")
    args = parser.parse_args()
    SKIP.extend(args.skip)
    TIMED = args.rounds
    WARMUP = min(WARMUP, args.rounds)
    ONLY.extend(args.only)

    database = ensure_database()
    import django

    django.setup()
    setup = prepare(args.agencies, args.years, args.seed, args.items_years, args.frozen_tables)
    from bench import page_context, page_list

    ctx, users, api_key = page_context.build()
    pages = page_list.pages(ctx)
    if args.build_only:
        print(f"{database}: built ({setup['database_size']}); {setup}", flush=True)
        return
    print(f"timing {len(pages)} pages: {WARMUP} warm-up + {TIMED} timed requests each", flush=True)
    load_before = os.getloadavg()
    cpu_before = time.process_time()
    results = measure(pages, users, api_key, args.explain, freeze=args.gc_freeze)
    setup["load_average"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    setup["gc_freeze"] = args.gc_freeze
    setup["process_cpu_s"] = round(time.process_time() - cpu_before, 1)
    setup["commit"] = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    setup["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print()
    print(
        f"{database}: {args.agencies:,} agencies × {args.years} years; database {setup['database_size']}; "
        f"1-min load average {setup['load_average'][0]} before, {setup['load_average'][3]} after"
    )
    print()
    print(table(results))
    if args.json:
        args.json.write_text(
            json.dumps({"database": database, "agencies": args.agencies, "years": args.years, "setup": setup,
                        "results": results}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )  # fmt: skip


if __name__ == "__main__":
    main()
