"""Measure plans (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน), their measures and steps, and the
progress staff report on them.

A measure's current status and percent follow its latest progress update; every update is kept, so the
state of a plan on any past day (31 March for the 6-month round, 30 September for the year) is computed
from the history (``measures.selectors.plan_state_as_of``), never stored by hand. Timeliness (late or on
time) is derived for a given day by :meth:`Measure.timeliness`.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Department, Membership
from assessments.models import Assessment, Indicator, Item, ResponsibleKind
from ita_tracker.textlimits import text_limits
from ita_tracker.thai import fiscal_year_range


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่ดำเนินการ")
    IN_PROGRESS = "in_progress", _("อยู่ระหว่างดำเนินการ")
    DONE = "done", _("ดำเนินการเสร็จเรียบร้อยแล้ว")
    CANCELLED = "cancelled", _("ยกเลิก")


class Timeliness(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
    ON_TIME = "on_time", _("ตามกำหนด")
    LATE = "late", _("ล่าช้า")
    DONE = "done", _("เสร็จแล้ว")
    CANCELLED = "cancelled", _("ยกเลิก")


class MeasurePlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasurePlanQuerySet:
        return self.filter(agency__in=Agency.objects.visible_to(user))


class MeasurePlan(models.Model):
    """An agency's measures for one fiscal year, drawn from the analysis of the year before."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="measure_plans", verbose_name=_("หน่วยงาน")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"))
    title = models.CharField(_("ชื่อแผน"), max_length=300)
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measure_plans",
        verbose_name=_("ผลการประเมินที่ใช้วิเคราะห์"),
        help_text=_("โดยปกติคือผลการประเมินของปีก่อนหน้า"),
    )
    introduction = models.TextField(_("ความนำ"), max_length=4_000, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = MeasurePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("แผนมาตรการประจำปี")
        verbose_name_plural = _("แผนมาตรการประจำปี")
        ordering = ["agency", "-fiscal_year"]
        indexes = [models.Index(fields=["agency", "-fiscal_year"], name="measures_plan_order_idx")]
        constraints = [
            *text_limits(introduction=4_000),
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="%(app_label)s_%(class)s_one_per_year"),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="%(app_label)s_%(class)s_fiscal_year_be",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("measures:plan_detail", args=[self.pk])

    @staticmethod
    def default_title(fiscal_year: int) -> str:
        return f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {fiscal_year}"

    @property
    def period(self) -> tuple[date, date]:
        return fiscal_year_range(self.fiscal_year)


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeasureQuerySet:
        return self.filter(plan__agency__in=Agency.objects.visible_to(user))

    def of_departments(self, departments) -> MeasureQuerySet:
        """Measures a division answers for: named, or given to every division (ทุกกอง)."""
        agencies = {d.agency_id for d in departments}
        return self.filter(
            Q(departments__in=departments) | Q(all_departments=True, plan__agency_id__in=agencies)
        ).distinct()

    def overdue(self, *, today: date) -> MeasureQuerySet:
        """Past their end date and neither done nor cancelled (the database half of ``timeliness``)."""
        return self.filter(ends__lt=today).exclude(status__in=[Status.DONE, Status.CANCELLED])


class AntiCorruptionDimension(models.TextChoices):
    """The four dimensions of an anti-corruption action plan (OIT O23/O24). The domain notes name the
    dimensions but not their wording; these are the NACC's usual four for local government."""

    SOCIETY = "society", _("การสร้างสังคมที่ไม่ทนต่อการทุจริต")
    ADMINISTRATION = "administration", _("การบริหารราชการเพื่อป้องกันการทุจริต")
    PARTICIPATION = "participation", _("การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน")
    OVERSIGHT = "oversight", _("การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการ")


def split_methods(description: str) -> list[str]:
    """A measure's methods: the paragraphs of its description, separated by an empty line (seed 004 writes
    each method's bullets as one paragraph and gives each its own row). The documents print a row per
    paragraph (``reports.documents.plan.method_rows``) and the step form offers them as choices
    (``MeasureStep.method``), so both cut the text here, the same way."""
    return [p for p in re.split(r"\n\s*\n", description or "") if p.strip()]


class Measure(models.Model):
    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("แผน"))
    number = models.PositiveSmallIntegerField(_("ลำดับ"))
    title = models.TextField(_("มาตรการ"), max_length=1_000)
    description = models.TextField(_("ขั้นตอนหรือวิธีการ (สรุป)"), max_length=4_000, blank=True)
    departments = models.ManyToManyField(
        Department, related_name="measures", blank=True, verbose_name=_("ส่วนราชการที่รับผิดชอบ")
    )
    all_departments = models.BooleanField(_("ทุกกอง"), default=False)
    responsible_people = models.ManyToManyField(
        Membership, related_name="measures", blank=True, verbose_name=_("ผู้รับผิดชอบ")
    )
    starts = models.DateField(_("วันเริ่ม"))
    ends = models.DateField(_("วันสิ้นสุด"))
    monitoring = models.TextField(_("การกำกับติดตาม"), max_length=2_000, blank=True)
    indicators = models.ManyToManyField(Indicator, related_name="measures", blank=True, verbose_name=_("ตัวชี้วัด"))
    items = models.ManyToManyField(Item, related_name="measures", blank=True, verbose_name=_("ข้อคำถาม"))
    budget = models.DecimalField(
        _("งบประมาณ (บาท)"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Set for the measures that are also projects of the anti-corruption action plan (O23/O24).
    anticorruption_dimension = models.CharField(
        _("มิติของแผนปฏิบัติการป้องกันการทุจริต"),
        max_length=20,
        choices=AntiCorruptionDimension.choices,
        blank=True,
        default="",
        db_default="",  # rows written by bulk loaders that name their columns (bench/generate) get it too
    )
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    cancel_reason = models.TextField(_("เหตุผลที่ยกเลิก"), max_length=2_000, blank=True)
    percent = models.PositiveSmallIntegerField(_("ความก้าวหน้า (ร้อยละ)"), default=0, validators=[MaxValueValidator(100)])
    # The status follows the steps ticked done (measures.services.step_complete) unless someone set it by
    # hand with a reason; then ticks no longer move it until the hand setting is released.
    # db_default too: bulk writers that name their columns (bench/generate_data) need not know these.
    status_by_hand = models.BooleanField(_("กำหนดสถานะเอง"), default=False, db_default=False)
    status_reason = models.TextField(_("เหตุผลที่กำหนดสถานะเอง"), blank=True, max_length=2000, db_default="")
    library_source = models.ForeignKey(
        "LibraryMeasure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("มาจากคลังมาตรการ"),
    )
    # Bumped on every save: an edit form carries the version it started from, and a save against a newer
    # version is refused (measures.services.measure_update) instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("มาตรการ")
        verbose_name_plural = _("มาตรการ")
        ordering = ["plan", "number"]
        constraints = [
            *text_limits(status_reason=2_000),
            *text_limits(title=1_000, description=4_000, monitoring=2_000, cancel_reason=2_000),
            models.UniqueConstraint(fields=["plan", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=Q(ends__gte=models.F("starts")), name="%(app_label)s_%(class)s_ends_after_starts"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="%(app_label)s_%(class)s_percent_range"),
            models.CheckConstraint(
                condition=~Q(status=Status.CANCELLED) | ~Q(cancel_reason=""),
                name="%(app_label)s_%(class)s_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DONE) | Q(percent=100), name="%(app_label)s_%(class)s_done_is_100"
            ),
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.title[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("measures:measure_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.starts and self.ends and self.ends < self.starts:
            errors["ends"] = ValidationError(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"), code="ends_before_starts")
        if self.status == Status.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = ValidationError(_("ระบุเหตุผลที่ยกเลิกมาตรการ"), code="cancel_without_reason")
        if errors:
            raise ValidationError(errors)

    def timeliness(self, *, today: date | None = None, steps=None) -> str:
        """Not started, on time, late, done or cancelled, on ``today`` (tests pass the day in).

        Late means past the end date and not done, or behind a step: a step whose end date has passed
        and that is not completed. ``steps`` may be given to avoid a query when they are prefetched.
        """
        today = today or timezone.localdate()
        if self.status == Status.CANCELLED:
            return Timeliness.CANCELLED
        if self.status == Status.DONE:
            return Timeliness.DONE
        if today > self.ends:
            return Timeliness.LATE
        steps = self.steps.all() if steps is None else steps
        if any(step.ends and step.ends < today and step.completed_on is None for step in steps):
            return Timeliness.LATE
        if self.status == Status.NOT_STARTED:
            return Timeliness.NOT_STARTED
        return Timeliness.ON_TIME

    @property
    def methods(self) -> list[str]:
        """The description's paragraphs, one per method (:func:`split_methods`)."""
        return split_methods(self.description)

    @cached_property
    def responsible_label(self) -> str:
        """ "ทุกกอง" or the divisions' names, as the plan tables print them."""
        if self.all_departments:
            return "ทุกกอง"
        return ", ".join(d.name for d in self.departments.all())


class MeasureStep(models.Model):
    """A step of a measure's method, with its own owner and period where the plan gives them (seed 004)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    title = models.TextField(_("ขั้นตอน"), max_length=1_000)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="steps", verbose_name=_("ผู้รับผิดชอบ")
    )
    owner = models.CharField(_("ผู้รับผิดชอบ (ข้อความ)"), max_length=200, blank=True)
    owner_person = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_steps",
        verbose_name=_("ผู้รับผิดชอบ (บุคคล)"),
    )
    starts = models.DateField(_("วันเริ่ม"), null=True, blank=True)
    ends = models.DateField(_("วันสิ้นสุด"), null=True, blank=True)
    # Which of the measure's methods (the description's paragraphs) the step carries out: seed 004 writes a
    # row per method, each with its own unit, its steps numbered from 1 and its own period. Empty: the
    # measure has one method.
    method = models.PositiveSmallIntegerField(_("วิธีการที่"), null=True, blank=True)
    completed_on = models.DateField(_("เสร็จเมื่อ"), null=True, blank=True)
    done_note = models.TextField(_("บันทึกผลของขั้นตอน"), blank=True, max_length=2000, db_default="")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้บันทึกว่าเสร็จ"),
    )

    class Meta:
        verbose_name = _("ขั้นตอน")
        verbose_name_plural = _("ขั้นตอน")
        ordering = ["measure", "order"]
        constraints = [
            *text_limits(done_note=2_000),
            *text_limits(title=1_000),
            models.UniqueConstraint(fields=["measure", "order"], name="%(app_label)s_%(class)s_unique_order"),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(starts__isnull=True) | Q(ends__gte=models.F("starts")),
                name="%(app_label)s_%(class)s_ends_after_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title[:60]}"

    @property
    def has_owner(self) -> bool:
        return bool(self.department_id or self.owner_person_id or self.owner.strip())


class ProgressUpdate(models.Model):
    """What was done on a measure, as of a day. Never edited: a correction is a newer update."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates", verbose_name=_("มาตรการ"))
    reported_on = models.DateField(_("ข้อมูล ณ วันที่"))
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(_("ความก้าวหน้า (ร้อยละ)"), validators=[MaxValueValidator(100)])
    summary = models.TextField(_("สรุปผลการดำเนินงาน"), max_length=4_000, blank=True)
    outcome = models.TextField(_("ผลลัพธ์/ความสำเร็จของการดำเนินการ"), max_length=4_000, blank=True)
    obstacles = models.TextField(_("ปัญหาอุปสรรค"), max_length=2_000, blank=True)
    cancel_reason = models.TextField(_("เหตุผลที่ยกเลิก"), max_length=2_000, blank=True)
    step = models.ForeignKey(
        MeasureStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("ขั้นตอนที่เสร็จ"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates", verbose_name=_("ผู้รายงาน")
    )
    created_at = models.DateTimeField(_("บันทึกเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("รายงานความก้าวหน้า")
        verbose_name_plural = _("รายงานความก้าวหน้า")
        ordering = ["measure", "-reported_on", "-created_at"]
        constraints = [
            *text_limits(summary=4_000, outcome=4_000, obstacles=2_000, cancel_reason=2_000),
            models.CheckConstraint(condition=Q(percent__lte=100), name="%(app_label)s_%(class)s_percent_range"),
            models.CheckConstraint(
                condition=~Q(status=Status.DONE) | Q(percent=100), name="%(app_label)s_%(class)s_done_is_100"
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "reported_on", "created_at"], name="measures_update_asof_idx"),
            # The default ordering (mixed directions: the index above cannot be read backwards for it).
            models.Index(fields=["measure", "-reported_on", "-created_at"], name="measures_update_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} @ {self.reported_on}: {self.status} {self.percent}%"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Under MEDIA_ROOT, which no URL serves. The stored name is random: an uploaded name never decides
    # where a file lands, nor what a server would make of its extension.
    return f"evidence/{instance.update.measure.plan.agency_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file or a link attached to a progress update. Files are stored outside the web root and served
    only through a view that checks the person may see the measure."""

    class Kind(models.TextChoices):
        FILE = "file", _("ไฟล์")
        LINK = "link", _("ลิงก์")

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("ประเภท"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("ไฟล์"), upload_to=evidence_path, blank=True, max_length=300)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"), default=0)
    url = models.URLField(_("ลิงก์"), max_length=500, blank=True)
    title = models.CharField(_("คำอธิบาย"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")
        ordering = ["update", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="")) | (Q(kind="link") & ~Q(url="")),
                name="%(app_label)s_%(class)s_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url

    def get_absolute_url(self) -> str:
        return reverse("measures:evidence", args=[self.pk]) if self.kind == self.Kind.FILE else self.url


class LibraryMeasureQuerySet(models.QuerySet):
    def offered_to(self, agency: Agency) -> LibraryMeasureQuerySet:
        """What an agency may draw from: the national seeds, its own measures, and those its province's
        viewers approved for every agency of the province."""
        return self.filter(
            Q(agency__isnull=True)
            | Q(agency=agency)
            | Q(sharing=LibraryMeasure.Sharing.APPROVED, agency__province=agency.province)
        )


class LibraryMeasure(models.Model):
    """A measure worth copying (คลังมาตรการ): from the seeds (national, ``agency`` empty) or an agency's own,
    which the agency may propose to its province's shared list.

    Indicators are stored by their number, not as links to one edition's rows: the seeds serve every
    edition from 2566 on, which number the ten indicators alike. ``start_month``/``end_month`` count months of
    the fiscal year (1 = ตุลาคม, 12 = กันยายน), so a library entry fits any year's plan.
    """

    class Sharing(models.TextChoices):
        PRIVATE = "private", _("ใช้เฉพาะหน่วยงาน")
        PROPOSED = "proposed", _("เสนอให้ใช้ร่วมในจังหวัด")
        APPROVED = "approved", _("ใช้ร่วมในจังหวัด")

    key = models.SlugField(_("รหัส"), max_length=60, unique=True, null=True, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_measures",
        verbose_name=_("หน่วยงานเจ้าของ"),
    )
    title = models.TextField(_("มาตรการ"), max_length=1000)
    description = models.TextField(_("ขั้นตอนหรือวิธีการ (สรุป)"), blank=True, max_length=4000)
    responsible_kind = models.CharField(
        _("ส่วนราชการที่มักรับผิดชอบ"), max_length=20, choices=ResponsibleKind.choices, default=ResponsibleKind.OFFICE
    )
    start_month = models.PositiveSmallIntegerField(
        _("เริ่มเดือนที่ของปีงบประมาณ"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("สิ้นสุดเดือนที่ของปีงบประมาณ"), default=12, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    monitoring = models.TextField(_("การกำกับติดตาม"), blank=True, max_length=2000)
    indicator_numbers = models.JSONField(_("ตัวชี้วัดที่มาตรการนี้ช่วย"), default=list, blank=True)
    item_codes = models.JSONField(_("ข้อคำถามที่มาตรการนี้ช่วย"), default=list, blank=True)
    source = models.CharField(_("ที่มา"), max_length=300, blank=True)
    sharing = models.CharField(_("การใช้ร่วม"), max_length=20, choices=Sharing.choices, default=Sharing.PRIVATE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้อนุมัติให้ใช้ร่วม"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    objects = LibraryMeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("มาตรการในคลัง")
        verbose_name_plural = _("คลังมาตรการ")
        ordering = ["key", "pk"]
        constraints = [
            *text_limits(title=1_000, description=4_000, monitoring=2_000),
            models.CheckConstraint(
                condition=Q(start_month__gte=1) & Q(end_month__lte=12) & Q(end_month__gte=models.F("start_month")),
                name="%(app_label)s_%(class)s_months",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | Q(sharing="private"),
                name="%(app_label)s_%(class)s_only_agency_entries_shared",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class LibraryStep(models.Model):
    """A step of a library measure, with the kind of division that usually does it and its months."""

    measure = models.ForeignKey(LibraryMeasure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    title = models.TextField(_("ขั้นตอน"), max_length=1000)
    responsible_kind = models.CharField(
        _("ส่วนราชการที่มักรับผิดชอบ"), max_length=20, choices=ResponsibleKind.choices, blank=True
    )
    start_month = models.PositiveSmallIntegerField(_("เริ่มเดือนที่"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("สิ้นสุดเดือนที่"), null=True, blank=True)

    class Meta:
        verbose_name = _("ขั้นตอนในคลัง")
        verbose_name_plural = _("ขั้นตอนในคลัง")
        ordering = ["measure", "order"]
        constraints = [
            *text_limits(title=1_000),
            models.UniqueConstraint(fields=["measure", "order"], name="%(app_label)s_%(class)s_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title[:60]}"


# The OIT checklist lives in its own module (measures.oit.models); importing it here registers its models with
# the app, as a ``models/`` package would.
from measures.oit.models import OitChecklist, OitEntry, OitEvidence, OitState  # noqa: E402, F401
