"""The seeds' ITA results for the demo (``fixtures/demo/assessments.json``), run by ``load_demo``.

Loads the framework editions first (keeping editions already in the database as they are), then writes
each result through :func:`assessments.services.assessment_save`, so tool scores, totals and levels are
computed exactly as for scores entered by hand. Safe to run again: results, item scores, issues and
target bands are updated in place, and each result's findings are replaced by the file's.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from agencies.models import Agency
from assessments import frameworks
from assessments.editions import framework_admins_group
from assessments.models import AnalysisIssue, Assessment, CitedItemScore, Finding, FrameworkEdition, TargetBands
from assessments.services import assessment_save

User = get_user_model()

DATA_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "assessments.json"


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _agency(code: str) -> Agency:
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist as exc:
        raise CommandError(f"{DATA_FILE.name}: no agency with code {code!r}") from exc


def _edition(fiscal_year: int) -> FrameworkEdition:
    try:
        return FrameworkEdition.objects.get(fiscal_year=fiscal_year)
    except FrameworkEdition.DoesNotExist as exc:
        raise CommandError(f"{DATA_FILE.name}: no framework edition for {fiscal_year}") from exc


def _load_issues(assessment: Assessment, edition: FrameworkEdition, issues: list[dict]) -> None:
    items = {item.code: item for item in edition.items.all()}
    for spec in issues:
        unknown = sorted(set(spec["items"]) - set(items))
        if unknown:
            raise CommandError(f"{assessment}: issue {spec['number']} names unknown items {unknown}")
        issue, _ = AnalysisIssue.objects.update_or_create(
            assessment=assessment, number=spec["number"], defaults={"title": spec["title"]}
        )
        issue.items.set([items[code] for code in spec["items"]])
        cited = spec.get("cited_scores", {})
        if set(cited) - set(spec["items"]):
            raise CommandError(f"{assessment}: issue {spec['number']} cites items it does not hold")
        issue.cited_scores.all().delete()
        CitedItemScore.objects.bulk_create(
            CitedItemScore(issue=issue, item=items[code], score=Decimal(score)) for code, score in cited.items()
        )


def _load_findings(assessment: Assessment, edition: FrameworkEdition, findings: list[dict]) -> None:
    indicators = {indicator.number: indicator for indicator in edition.indicators.all()}
    issues = {issue.number: issue for issue in assessment.issues.all()}
    assessment.findings.all().delete()
    for spec in findings:
        Finding.objects.create(
            assessment=assessment,
            indicator=indicators[spec["indicator"]] if "indicator" in spec else None,
            issue=issues[spec["issue"]] if "issue" in spec else None,
            strengths=spec.get("strengths", ""),
            weaknesses=spec.get("weaknesses", ""),
            improvements=spec.get("improvements", ""),
        )


def _load_assessment(record: dict) -> Assessment:
    edition = _edition(record["fiscal_year"])
    assessment = assessment_save(
        agency=_agency(record["agency"]),
        edition=edition,
        indicator_scores={int(number): Decimal(score) for number, score in record.get("indicator_scores", {}).items()},
        item_scores={code: Decimal(score) for code, score in record.get("item_scores", {}).items()},
        published_total=_decimal(record.get("published_total")),
        published_level=record.get("published_level", ""),
        note=record.get("note"),
    )
    _load_issues(assessment, edition, record.get("issues", []))
    if "findings" in record:
        _load_findings(assessment, edition, record["findings"])
    return assessment


FRAMEWORK_ADMIN = {"username": "nacc.admin", "first_name": "ผู้ดูแลกรอบการประเมิน", "last_name": "(สำนักงาน ป.ป.ช.)"}


def _load_framework_admin(command) -> None:
    """A national administrator: edits the framework editions in the application, belongs to no agency."""
    password = json.loads((DATA_FILE.parent / "agencies.json").read_text(encoding="utf-8"))["password"]
    user, created = User.objects.get_or_create(
        username=FRAMEWORK_ADMIN["username"],
        defaults={
            "first_name": FRAMEWORK_ADMIN["first_name"],
            "last_name": FRAMEWORK_ADMIN["last_name"],
            "email": f"{FRAMEWORK_ADMIN['username']}@example.org",
        },
    )
    if created or not user.has_usable_password():
        user.set_password(password)
        user.save()
    user.groups.add(framework_admins_group())
    command.stdout.write(f"  {user.username:<20} framework editor (national administrator, no agency)")


@transaction.atomic
def load(command) -> None:
    frameworks.load_all()
    _load_framework_admin(command)
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assessments = [_load_assessment(record) for record in data["assessments"]]
    for spec in data.get("target_bands", []):
        TargetBands.objects.update_or_create(
            agency=_agency(spec["agency"]),
            defaults={"maintain_from": Decimal(spec["maintain_from"]), "raise_from": Decimal(spec["raise_from"])},
        )
    items = sum(a.item_scores.count() for a in assessments)
    issues = sum(a.issues.count() for a in assessments)
    findings = sum(a.findings.count() for a in assessments)
    command.stdout.write(
        f"Demo assessments: {len(assessments)} results, {items} item scores, {issues} issues, "
        f"{findings} findings, {len(data.get('target_bands', []))} target bands."
    )
