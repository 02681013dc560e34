"""The year's OIT checklist of an agency: every public-disclosure item of the edition, who prepares it, by when,
in what state, and the evidence published for it.

OIT (the public-disclosure tool, 40 % of the ITA score) is most of an agency's yearly ITA work: each item needs a
document or a page on the agency's website before the edition's OIT deadline. The items themselves are the
edition's (``assessments.Item``): a checklist row points at one, so a corrected criteria text reaches every
agency at once. Rows are made for every OIT item when the checklist is opened (``measures.oit.services``).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Department
from assessments.models import FrameworkEdition, Item
from ita_tracker.textlimits import text_limits


class OitState(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
    IN_PROGRESS = "in_progress", _("กำลังจัดทำ")
    IN_REVIEW = "in_review", _("รอตรวจ")
    PASSED = "passed", _("ผ่านการตรวจ")
    NEEDS_FIX = "needs_fix", _("ต้องแก้ไข")


class OitChecklistQuerySet(models.QuerySet):
    def visible_to(self, user) -> OitChecklistQuerySet:
        return self.filter(agency__in=Agency.objects.visible_to(user))


class OitChecklist(models.Model):
    """One agency's OIT list for one fiscal year (the edition of that year)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="oit_checklists", verbose_name=_("หน่วยงาน")
    )
    edition = models.ForeignKey(
        FrameworkEdition, on_delete=models.PROTECT, related_name="oit_checklists", verbose_name=_("ปีงบประมาณ")
    )
    due = models.DateField(
        _("กำหนดส่งของหน่วยงาน"),
        null=True,
        blank=True,
        help_text=_("ว่างไว้เพื่อใช้วันสุดท้ายของการเผยแพร่ข้อมูล OIT ตามกรอบการประเมิน หรือกำหนดให้เร็วกว่านั้น"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    objects = OitChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("รายการ OIT ประจำปี")
        verbose_name_plural = _("รายการ OIT ประจำปี")
        ordering = ["agency", "-edition__fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "edition"], name="%(app_label)s_%(class)s_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"OIT {self.edition.fiscal_year} {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("measures:oit_checklist", args=[self.pk])

    @property
    def fiscal_year(self) -> int:
        return self.edition.fiscal_year

    @property
    def deadline(self) -> date | None:
        """The agency's own date when it set one, else the edition's OIT deadline."""
        return self.due or self.edition.oit_deadline


class OitEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> OitEntryQuerySet:
        return self.filter(checklist__agency__in=Agency.objects.visible_to(user))

    def open(self) -> OitEntryQuerySet:
        return self.exclude(state=OitState.PASSED)

    def for_list(self) -> OitEntryQuerySet:
        return self.select_related("item", "department", "checklist__edition", "checklist__agency")


class OitEntry(models.Model):
    """One item of the checklist: the division preparing it, its due date and state, and the reviewer's word.

    ``version`` grows with every change, so an assignment or review made from a page opened before someone
    else's change is refused instead of overwriting it."""

    checklist = models.ForeignKey(OitChecklist, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="oit_entries", verbose_name=_("ข้อ"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="oit_entries",
        verbose_name=_("ส่วนราชการที่รับผิดชอบ"),
    )
    due = models.DateField(_("กำหนดส่ง"), null=True, blank=True, help_text=_("ว่างไว้เพื่อใช้กำหนดส่งของทั้งรายการ"))
    state = models.CharField(_("สถานะ"), max_length=12, choices=OitState.choices, default=OitState.NOT_STARTED)
    review_comment = models.TextField(_("ความเห็นของผู้ตรวจ"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("ตรวจเมื่อ"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = OitEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ข้อ OIT ของหน่วยงาน")
        verbose_name_plural = _("ข้อ OIT ของหน่วยงาน")
        ordering = ["checklist", "item__order"]
        constraints = [
            *text_limits(review_comment=2_000),
            models.UniqueConstraint(fields=["checklist", "item"], name="%(app_label)s_%(class)s_one_per_item"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in OitState]), name="%(app_label)s_%(class)s_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="needs_fix") | ~Q(review_comment=""),
                name="%(app_label)s_%(class)s_sent_back_has_comment",
            ),
        ]
        indexes = [models.Index(fields=["checklist", "state"], name="measures_oit_entry_state_idx")]

    def __str__(self) -> str:
        return f"{self.item.code.upper()} {self.item.title}"

    def get_absolute_url(self) -> str:
        return reverse("measures:oit_entry", args=[self.pk])

    @property
    def deadline(self) -> date | None:
        return self.due or self.checklist.deadline

    def is_overdue(self, *, today: date) -> bool:
        deadline = self.deadline
        return self.state != OitState.PASSED and deadline is not None and deadline < today

    @property
    def code(self) -> str:
        return self.item.code.upper()


def oit_evidence_path(instance: OitEvidence, filename: str) -> str:
    # Outside any served directory, under a random name (as measures.models.evidence_path).
    return f"oit/{instance.entry.checklist.agency_id}/{uuid.uuid4().hex}"


class OitEvidence(models.Model):
    """A file or a link to the agency's website, given as the evidence of one checklist item.

    ``standing`` marks a document that stays valid from year to year (a structure chart): opening next year's
    checklist proposes it again. A proposal (``proposed``) is not evidence until someone in charge keeps it."""

    class Kind(models.TextChoices):
        FILE = "file", _("ไฟล์")
        LINK = "link", _("ลิงก์")

    entry = models.ForeignKey(OitEntry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("ประเภท"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("ไฟล์"), upload_to=oit_evidence_path, blank=True, max_length=300)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"), default=0)
    url = models.URLField(_("ลิงก์"), max_length=500, blank=True)
    title = models.CharField(_("คำอธิบาย"), max_length=300, blank=True)
    standing = models.BooleanField(
        _("ใช้ได้ต่อเนื่องทุกปี"), default=False, help_text=_("เช่น แผนผังโครงสร้าง: เสนอให้ใช้อีกเมื่อเปิดรายการปีถัดไป")
    )
    proposed = models.BooleanField(_("เสนอจากปีก่อน (รอยืนยัน)"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("เพิ่มเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("หลักฐาน OIT")
        verbose_name_plural = _("หลักฐาน OIT")
        ordering = ["entry", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="%(app_label)s_%(class)s_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url

    def get_absolute_url(self) -> str:
        return reverse("measures:oit_evidence", args=[self.pk]) if self.kind == self.Kind.FILE else self.url
