"""The run: options, phases, chunks, the transaction, the report."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Agency, Department, Membership
from assessments.averages import indicator_averages_rebuild
from assessments.models import Assessment, FrameworkEdition, ItemScore
from bench.generate.constants import LATEST_YEAR
from bench.generate.data import EditionInfo
from bench.generate.memos import MemosMixin
from bench.generate.people import PeopleMixin
from bench.generate.plans import PlansMixin
from bench.generate.scores import ScoresMixin
from bench.generate.writer import Ids, Writer
from measures.models import Measure, MeasurePlan
from reports.models import ApprovalChain, ApprovalChainStep, Memo, MemoStep

User = get_user_model()


class Generator(PeopleMixin, ScoresMixin, PlansMixin, MemosMixin):
    """One run: ``run(**options)`` with the command's options; reports to ``stdout``."""

    def __init__(self, stdout):
        self.stdout = stdout

    def run(self, **options) -> None:
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
        self.frozen_tables = options.get("frozen_tables")
        self.table_models: dict[tuple[str, int], dict] = {}

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
