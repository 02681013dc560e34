"""Time and peak memory of a national export's builder, as its job runs it, for the national viewer.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_h9_bench .venv/bin/python bench/exports_bench.py export
    DATABASE_URL=... .venv/bin/python bench/exports_bench.py table     # the score table of 2568

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


if __name__ == "__main__":
    main()
