"""The agency's own wording in its annual documents, editable per agency-year (issue 14).

A document prints fixed structure (tables, headings) from the data, and paragraphs the agency writes in
its own words: seed 002's opening, its year-on-year remarks and its tool sections' period and responsible
unit; seed 004's cover and part 3 on limitations. Each such paragraph is a :class:`DocumentText` (agency,
year, document, part key). Where none is stored the document prints a neutral default. A text may name
the document's figures in braces ("{agency}", "{total}", "{next_year}"…), filled in when it is printed,
so next year's copy of a paragraph needs no retyping; a brace the document does not know stays as typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from ita_tracker.textlimits import text_limits

TEXT_MAX_LENGTH = 5000

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class DocumentText(models.Model):
    """One paragraph (or a few lines) of an agency's document for a fiscal year, in the agency's words."""

    class Document(models.TextChoices):
        ANALYSIS = "analysis", _("รายงานการวิเคราะห์ผลการประเมิน")
        PLAN = "plan", _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")
        RESULTS = "results", _("รายงานผลการดำเนินการตามมาตรการ")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="document_texts", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("ปีงบประมาณ (พ.ศ.)"), help_text=_("ปีของผลการประเมิน (รายงานการวิเคราะห์) หรือปีของแผนมาตรการ")
    )
    document = models.CharField(_("เอกสาร"), max_length=20, choices=Document.choices)
    key = models.CharField(
        _("ส่วนของเอกสาร"),
        max_length=60,
        validators=[RegexValidator(r"^[a-z0-9_]+$", _("ใช้ได้เฉพาะ a–z, 0–9 และ _"))],
    )
    text = models.TextField(_("ข้อความ"), max_length=TEXT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    class Meta:
        verbose_name = _("ข้อความในเอกสาร")
        verbose_name_plural = _("ข้อความในเอกสาร")
        ordering = ["agency", "fiscal_year", "document", "key"]
        constraints = [
            *text_limits(text=TEXT_MAX_LENGTH),
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "document", "key"], name="%(app_label)s_%(class)s_one_per_part"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} {self.document}/{self.key}"


def texts_for(agency, fiscal_year: int, document: str) -> dict[str, str]:
    """Every stored part of one document, in one query."""
    if agency is None:
        return {}
    return dict(
        DocumentText.objects.filter(agency=agency, fiscal_year=fiscal_year, document=document).values_list(
            "key", "text"
        )
    )


def fill(text: str, values: Mapping[str, object]) -> str:
    """Put the document's figures into a text: "{agency}" becomes the agency's name. Unknown names stay."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text or "")


class Texts:
    """The parts of one document: the agency's text where stored, else the default, with the figures
    filled in. ``texts["opening"]`` is the filled text ("" when neither exists)."""

    def __init__(self, stored: Mapping[str, str], defaults: Mapping[str, str], values: Mapping[str, object]):
        self.stored, self.defaults, self.values = stored, defaults, values

    def get(self, key: str, default: str = "", **extra) -> str:
        raw = self.stored.get(key)
        if raw is None:
            raw = self.defaults.get(key, default)
        return fill(raw, {**self.values, **extra}).strip()

    def __getitem__(self, key: str) -> str:
        return self.get(key)

    def has(self, key: str) -> bool:
        return bool(self.stored.get(key, "").strip())


@transaction.atomic
def document_text_save(*, agency, fiscal_year: int, document: str, key: str, text: str) -> DocumentText:
    """Store one part of an agency's document in its own words (replacing that part's earlier text)."""
    obj = DocumentText.objects.filter(agency=agency, fiscal_year=fiscal_year, document=document, key=key).first()
    obj = obj or DocumentText(agency=agency, fiscal_year=fiscal_year, document=document, key=key)
    obj.text = text
    obj.full_clean()
    obj.save()
    return obj


def load_demo(command) -> None:
    """The seeds' own wording (fixtures/demo/document_texts.json), as the demo agencies' texts."""
    data = json.loads((command.demo_dir / "document_texts.json").read_text(encoding="utf-8"))
    count = 0
    for spec in data["texts"]:
        agency = Agency.objects.get(code=spec["agency"])
        for key, text in spec["parts"].items():
            document_text_save(
                agency=agency, fiscal_year=spec["fiscal_year"], document=spec["document"], key=key, text=text
            )
            count += 1
    command.stdout.write(f"Demo document texts: {count} parts.")
