"""The README's table from two runs of ``pages_bench.py --json``: every page at the small and the large size side by
side, with the p95 ratio and the query counts, and each run's load average, date and commit above it.

    .venv/bin/python bench/pages_table.py /tmp/r80.json /tmp/r8000.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def run_line(run: dict) -> str:
    setup = run["setup"]
    load = setup.get("load_average", [])
    return (
        f"* {run['agencies']:,} agencies × {run['years']} years (`{run['database']}`, {setup.get('database_size')}): "
        f"{setup.get('date', '?')}, commit `{setup.get('commit', '?')}`, 1-minute load average "
        f"{load[0] if load else '?'} before and {load[3] if len(load) > 3 else '?'} after the timings, "
        f"process CPU {setup.get('process_cpu_s', '?')} s"
    )


def table(small: dict, large: dict | None) -> str:
    big = {r["page"]: r for r in (large or {}).get("results", [])}
    lines = [
        "| page | as | small: median / p95 | large: median / p95 | p95 ratio | queries small / large |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in small["results"]:
        other = big.get(r["page"])
        status = "" if r.get("status", 200) == 200 else f" ({r['status']})"
        if other is None:
            small_cell = f"{r['median_ms']} / {r['p95_ms']}"
            lines.append(f"| {r['page']}{status} | {r['user']} | {small_cell} | – | – | {r['queries']} |")
            continue
        ratio = other["p95_ms"] / r["p95_ms"] if r["p95_ms"] else float("nan")
        mark = "" if ratio <= 1.5 else " **"
        same = "✓" if r["queries"] == other["queries"] else "≠"
        lines.append(
            f"| {r['page']}{status} | {r['user']} | {r['median_ms']} / {r['p95_ms']} | {other['median_ms']} / "
            f"{other['p95_ms']} | {ratio:.2f}{mark} | {r['queries']} / {other['queries']} {same} |"
        )
    return "\n".join(lines)


def main() -> None:
    runs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in sys.argv[1:3]]
    small, large = runs[0], runs[1] if len(runs) > 1 else None
    print("\n".join(run_line(r) for r in runs))
    print()
    print(table(small, large))


if __name__ == "__main__":
    main()
