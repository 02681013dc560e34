"""``python manage.py export_documents --agency NAME_OR_CODE --year Y --out DIR``: every document of an
agency-year as PDF and XLSX, for batch work and for checking against the paper originals.

``--seeds`` writes the agency-years of the five seed documents (../shared/seeds) of the demo data, one folder
each (``000-bangpu-2564``…), to be read side by side with the seeds."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from agencies.models import Agency
from assessments.models import Assessment
from measures.models import MeasurePlan
from reports.documents import (
    AnalysisDocument,
    AntiCorruptionPlanDocument,
    AntiCorruptionReportDocument,
    MemoDocument,
    PlanDocument,
    ResultsDocument,
)
from reports.models import Memo

# The demo agency-year each seed document belongs to (its plan year; an analysis is the year before's).
SEEDS = [
    ("000", "bangpu", 2564),
    ("001", "chorakha", 2566),
    ("002", "bangkao", 2566),
    ("003", "nongsamet", 2567),
    ("004", "satengnok", 2567),
]


class Command(BaseCommand):
    help = "Write every document of an agency-year (plan, results, analysis, memos) as PDF and XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="agency code (bangpu) or Thai name (เทศบาลตำบลบางปู)")
        parser.add_argument("--year", type=int, help="fiscal year, Buddhist era (2564)")
        parser.add_argument("--seeds", action="store_true", help="every seed document's agency-year (demo data)")
        parser.add_argument("--out", required=True, type=Path, help="folder to write into (created if missing)")
        parser.add_argument("--format", choices=["pdf", "xlsx", "both"], default="both")

    def handle(self, *args, agency: str | None, year: int | None, out: Path, format: str, seeds: bool, **options):
        if seeds:
            for number, code, seed_year in SEEDS:
                self.export(code, seed_year, out / f"{number}-{code}-{seed_year}", format)
            return
        if not agency or not year:
            raise CommandError("ระบุ --agency และ --year (หรือ --seeds)")
        self.export(agency, year, out, format)

    def export(self, agency: str, year: int, out: Path, format: str) -> None:
        matches = list(Agency.objects.filter(Q(code=agency) | Q(name=agency)))
        if not matches:
            raise CommandError(f"ไม่พบหน่วยงาน “{agency}” (no agency with that code or name)")
        if len(matches) > 1:
            names = ", ".join(f"{a.code} ({a.province})" for a in matches)
            raise CommandError(f"ชื่อ “{agency}” ตรงกับหลายหน่วยงาน: {names}; ใช้รหัสย่อแทน")
        agency_obj = matches[0]
        out.mkdir(parents=True, exist_ok=True)
        documents = []
        plan = MeasurePlan.objects.filter(agency=agency_obj, fiscal_year=year).first()
        if plan is not None:
            documents += [PlanDocument(plan), ResultsDocument(plan)]
            if plan.measures.exclude(anticorruption_dimension="").exists():
                documents += [AntiCorruptionPlanDocument(plan), AntiCorruptionReportDocument(plan)]
        for assessment in Assessment.objects.filter(agency=agency_obj, edition__fiscal_year__in=[year - 1, year]):
            documents.append(AnalysisDocument(assessment))
        memos = Memo.objects.filter(agency=agency_obj).filter(
            Q(plan__fiscal_year=year) | Q(assessment__edition__fiscal_year=year - 1)
        )
        documents += [MemoDocument(memo) for memo in memos.order_by("pk")]
        if not documents:
            raise CommandError(f"{agency_obj.name} ไม่มีเอกสารของปีงบประมาณ {year}")
        formats = ["pdf", "xlsx"] if format == "both" else [format]
        for document in documents:
            for fmt in formats:
                data = document.render_pdf() if fmt == "pdf" else document.render_xlsx()
                path = out / document.filename(fmt)
                path.write_bytes(data)
                self.stdout.write(f"{path} ({len(data):,} bytes)")
        self.stdout.write(self.style.SUCCESS(f"{len(documents) * len(formats)} files written to {out}"))
