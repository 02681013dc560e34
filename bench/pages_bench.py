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
TIMED = 30
SLOW_MS = 3000
SKIP: list[str] = []


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


def prepare(agencies: int, years: int, seed: int, items_years: int | None) -> dict:
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


def subjects() -> list[tuple[str, object, str]]:
    """(page, user, url): one agency and the people who use these pages.

    The agency is the first generated one (by code) with a memo waiting at step 1 and 15 measures in its
    latest plan (the middle of 10–20), so that at every size the pages show the same amount of the
    agency's own data and only the rest of the database grows."""
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, Membership
    from assessments.models import Assessment
    from measures.models import MeasurePlan
    from reports.models import Memo, MemoStep

    User = get_user_model()
    candidates = (
        Agency.objects.filter(code__startswith="gen-", memos__status=Memo.Status.PENDING, memos__current_step=1)
        .order_by("code")
        .distinct()
    )
    agency = plan = None
    for candidate in candidates[:500]:
        latest = MeasurePlan.objects.filter(agency=candidate).order_by("-fiscal_year").first()
        if latest is not None and latest.measures.count() == 15:
            agency, plan = candidate, latest
            break
    if agency is None:
        raise SystemExit("no generated agency with a memo waiting at step 1 and a plan of 15 measures")
    coordinator = Membership.objects.get(agency=agency, is_coordinator=True).user
    assessment = Assessment.objects.filter(agency=agency).order_by("-edition__fiscal_year").first()
    year = assessment.edition.fiscal_year
    memo = Memo.objects.filter(agency=agency, status=Memo.Status.PENDING, current_step=1).order_by("pk").first()
    approver = MemoStep.objects.get(memo=memo, order=1).approvers.select_related("user").first().user
    national = User.objects.get(username="national.viewer")
    provincial = (
        Membership.objects.filter(agency=agency, is_viewer=True, user__username__startswith="province.")
        .select_related("user")
        .get()
        .user
    )
    print(
        f"subject: {agency.code} {agency.name} ({agency.province}); plan {plan.pk} with {plan.measures.count()} "
        f"measures; memo {memo.pk}; province viewer follows "
        f"{Agency.objects.visible_to(provincial).count():,} agencies, national viewer "
        f"{Agency.objects.visible_to(national).count():,}",
        flush=True,
    )
    extra = national_pages(agency, plan, year, national, provincial)
    checklist, oit_year = ensure_oit(agency)
    return [
        ("dashboard", coordinator, "/"),
        ("OIT checklist", coordinator, f"/measures/oit/{checklist.pk}/"),
        ("OIT overview (provincial viewer)", provincial, f"/measures/oit/overview/?year={oit_year}"),
        ("OIT overview (national viewer)", national, f"/measures/oit/overview/?year={oit_year}"),
        ("analysis", coordinator, f"/assessments/{assessment.pk}/analysis/"),
        ("comparison (national viewer)", national, f"/assessments/compare/?year={year}"),
        ("comparison (provincial viewer)", provincial, f"/assessments/compare/?year={year}"),
        ("measure list", coordinator, f"/measures/plans/{plan.pk}/"),
        ("memo inbox", approver, "/reports/"),
        ("memo page", approver, f"/reports/memos/{memo.pk}/"),
        # The viewer's table of the cycle (issue 12): one EXISTS per step, one query a page at any size.
        ("cycle oversight (national viewer)", national, "/reports/oversight/"),
        ("cycle oversight (provincial viewer)", provincial, "/reports/oversight/"),
        ("dashboard (national viewer)", national, "/"),
        *extra,
    ]


def national_pages(agency, plan, year, national, provincial) -> list[tuple[str, object, str]]:
    """The pages issue 17 found growing with the country: the admin's change and list pages, the national
    viewer's lists, exports and last pages, and the API."""
    from django.contrib.auth import get_user_model

    from agencies.models import Agency
    from measures.models import Measure
    from reports.models import ApprovalChain

    User = get_user_model()
    admin, _created = User.objects.get_or_create(
        username="bench.admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "Bench"}
    )
    measure = Measure.objects.filter(plan=plan).order_by("number").first()
    chain = ApprovalChain.objects.filter(agency=agency).order_by("pk").first()
    last_agencies = max(1, -(-Agency.objects.visible_to(national).count() // 50))
    pages = [
        ("admin: measure change", admin, f"/admin/measures/measure/{measure.pk}/change/"),
        ("admin: approval chain change", admin, f"/admin/reports/approvalchain/{chain.pk}/change/"),
        ("admin: audit list", admin, "/admin/agencies/auditentry/"),
        ("admin: progress update list", admin, "/admin/measures/progressupdate/"),
        ("admin: memo list", admin, "/admin/reports/memo/"),
        ("admin: measure list", admin, "/admin/measures/measure/"),
        ("admin: membership list", admin, "/admin/agencies/membership/"),
        ("admin: assessment search", admin, f"/admin/assessments/assessment/?q={agency.name[:12]}"),
        ("agency list (national viewer)", national, "/agencies/"),
        ("agency list, last page (national)", national, f"/agencies/?page={last_agencies}"),
        ("assessments index (national)", national, "/assessments/"),
        ("comparison, last page (national)", national, f"/assessments/compare/?year={year}&page={last_agencies}"),
        ("export all years (national)", national, "/assessments/export/?format=xlsx"),
        ("score table xlsx (national)", national, f"/reports/scores.xlsx?year={year}"),
        ("comparison (provincial), agency list", provincial, "/agencies/"),
    ]
    try:  # the API exists from issue 17 on
        from ita_tracker.api_auth import api_token_create

        _token, key = api_token_create(user=national, name="bench")
        pages.append(("API scores page (national)", national, f"/api/v1/scores?year={year}&page_size=100#{key}"))
    except ImportError:
        pass
    return pages


def _first_requests(pages, get) -> dict[int, float]:
    """One request per page; a page slower than SLOW_MS is timed once, not TIMED times."""
    slow: dict[int, float] = {}
    for i, (_page, user, url) in enumerate(pages):
        started = time.perf_counter()
        get(user, url)
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed > SLOW_MS:
            slow[i] = elapsed
            print(f"  {pages[i][0]}: {elapsed:.0f} ms on the first request: timed once", flush=True)
    return slow


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


def ensure_oit(agency) -> tuple[object, int]:
    """Every generated agency's OIT list of the latest edition with OIT items (bulk, states spread over the items),
    so the provincial overview counts real rows; the subject agency's list opened through the service."""
    from agencies.models import Agency
    from assessments.models import FrameworkEdition
    from measures.oit.models import OitChecklist, OitEntry, OitState
    from measures.oit.services import checklist_open

    edition = FrameworkEdition.objects.filter(items__indicator__tool__code="OIT").order_by("-fiscal_year").first()
    checklist = OitChecklist.objects.filter(agency=agency, edition=edition).first()
    if checklist is None:
        checklist = checklist_open(agency=agency, fiscal_year=edition.fiscal_year, by=None, carry_over=False)
    if not OitChecklist.objects.filter(edition=edition).exclude(agency=agency).exists():
        started = time.perf_counter()
        items = list(edition.items.filter(indicator__tool__code="OIT").order_by("order"))
        others = Agency.objects.filter(code__startswith="gen-").exclude(pk=agency.pk)
        lists = OitChecklist.objects.bulk_create(
            [OitChecklist(agency=a, edition=edition) for a in others.only("pk")], batch_size=2000
        )
        states = OitState.values
        OitEntry.objects.bulk_create(
            (
                OitEntry(checklist=c, item=item, state=states[(c.agency_id + n) % len(states)],
                         review_comment="แก้ไข" if states[(c.agency_id + n) % len(states)] == "needs_fix" else "")
                for c in lists
                for n, item in enumerate(items)
            ),
            batch_size=5000,
        )  # fmt: skip
        print(f"OIT lists of {len(lists):,} agencies in {time.perf_counter() - started:.1f} s", flush=True)
    return checklist, edition.fiscal_year


def measure(pages, explain: int, freeze: bool = True) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    clients = {}
    for _page, user, _url in pages:
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)

    def get(user, url):
        url, _hash, key = url.partition("#")  # "#<key>": an API request with that bearer token
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        response = clients[user.pk].get(url, headers=headers)
        if response.status_code not in (200, 302):  # 302: a national export answered with "made as a job"
            raise SystemExit(f"{url} as {user.username}: HTTP {response.status_code}")
        return response

    # A page slower than SLOW_MS on its first request is timed once, not 35 times (the national export took
    # 30 s, the admin's measure change 208 s before issue 17); --skip leaves out pages by name.
    pages = [p for p in pages if not any(word in p[0] for word in SKIP)]
    with override_settings(DEBUG=False):
        slow = _first_requests(pages, get)

    # Timings with DEBUG off: with DEBUG on, every query's text and time would be recorded. Pages take
    # turns (round after round) so that anything else running on the machine weighs on all alike.
    with override_settings(DEBUG=False):
        times = _timed_rounds(pages, get, slow, freeze)
    for i, elapsed in slow.items():
        times[i] = [elapsed]
    results = []
    for (page, user, url), samples in zip(pages, times, strict=True):
        results.append(
            {
                "page": page,
                "user": user.username,
                "url": url,
                "median_ms": round(statistics.median(samples), 1),
                "p95_ms": round(percentile(samples, 95), 1),
                "min_ms": round(min(samples), 1),
                "max_ms": round(max(samples), 1),
                "samples_ms": [round(x, 1) for x in samples],
            }
        )
        print(f"  {page:<32} median {results[-1]['median_ms']:7.1f} ms  p95 {results[-1]['p95_ms']:7.1f} ms")
    # Query counts in a pass of their own.
    for i, (result, (_page, user, url)) in enumerate(zip(results, pages, strict=True)):
        result["url"] = url.partition("#")[0]
        if i in slow:
            result["queries"] = None  # not requested again
            continue
        with CaptureQueriesContext(connection) as ctx:
            response = get(user, url)
        result["queries"] = len(ctx.captured_queries)
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=80)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--items-years", type=int, default=None, help="passed to generate_data")
    parser.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE the N slowest queries per page")
    parser.add_argument(
        "--no-gc-freeze", dest="gc_freeze", action="store_false", help="leave the start-up objects to the collector"
    )
    parser.add_argument("--skip", action="append", default=[], help="leave out pages whose name contains this")
    args = parser.parse_args()
    SKIP.extend(args.skip)

    database = ensure_database()
    import django

    django.setup()
    setup = prepare(args.agencies, args.years, args.seed, args.items_years)
    pages = subjects()
    print(f"timing {len(pages)} pages: {WARMUP} warm-up + {TIMED} timed requests each", flush=True)
    load_before = os.getloadavg()
    results = measure(pages, args.explain, freeze=args.gc_freeze)
    setup["load_average"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    setup["gc_freeze"] = args.gc_freeze
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
