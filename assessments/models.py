"""ITA frameworks per fiscal year, and the scores of each agency.

Everything year-specific is data: a :class:`FrameworkEdition` holds one fiscal year's tools, indicators,
items, weights and level rules, loaded from ``fixtures/frameworks/`` and editable by an administrator,
so next year's changes need no release. Facts not confirmed by a published source carry a
:class:`Certainty` so an administrator knows what to check against that year's NACC manual.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from assessments import scoring
from ita_tracker.textlimits import text_limits

SCORE_VALIDATORS = [
    MinValueValidator(Decimal("0"), message=_("คะแนนต้องไม่ต่ำกว่า 0")),
    MaxValueValidator(Decimal("100"), message=_("คะแนนต้องไม่เกิน 100")),
]


def score_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS, **kwargs)


def score_range_check(field: str, name: str, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


class Certainty(models.TextChoices):
    SURE = "sure", _("ยืนยันแล้ว")
    LIKELY = "likely", _("น่าจะถูกต้อง (ตรวจสอบกับคู่มือ)")
    OPEN = "open", _("ยังไม่ยืนยัน (ต้องตรวจสอบ)")


def certainty_field(verbose_name, default: str = Certainty.LIKELY) -> models.CharField:
    return models.CharField(verbose_name, max_length=10, choices=Certainty.choices, default=default)


class ResponsibleKind(models.TextChoices):
    """The kind of division that usually answers for an item in a local administrative organisation. Agencies
    name their divisions differently (สำนักปลัดเทศบาล, สำนักปลัด อบต.): this is the usual kind, a hint for
    assigning work, not a link to one agency's division."""

    OFFICE = "office", _("สำนักปลัด")
    STRATEGY = "strategy", _("กองยุทธศาสตร์และงบประมาณ / งานนโยบายและแผน")
    FINANCE = "finance", _("กองคลัง")
    WORKS = "works", _("กองช่าง")
    EDUCATION = "education", _("กองการศึกษา")
    HEALTH = "health", _("กองสาธารณสุขและสิ่งแวดล้อม")
    PERSONNEL = "personnel", _("งานการเจ้าหน้าที่")
    LEGAL = "legal", _("งานนิติการ")
    PUBLIC_RELATIONS = "pr", _("งานประชาสัมพันธ์")
    ALL = "all", _("ทุกส่วนราชการ")


class FrameworkEditionQuerySet(models.QuerySet):
    def with_structure(self) -> FrameworkEditionQuerySet:
        return self.prefetch_related("tools", "indicators__tool", "level_rules")


class FrameworkEdition(models.Model):
    """The ITA rules of one fiscal year."""

    class LevelSystem(models.TextChoices):
        LETTER = "letter", _("ระดับตัวอักษร (AA–F)")
        RATING = "rating", _("ระดับผลการประเมิน (ผ่านดีเยี่ยม–ต้องปรับปรุงโดยด่วน)")

    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ (พ.ศ.)"), unique=True)
    name = models.CharField(_("ชื่อ"), max_length=200)
    level_system = models.CharField(_("ระบบการจัดระดับ"), max_length=10, choices=LevelSystem.choices)
    national_average = models.DecimalField(
        _("คะแนนเฉลี่ยระดับประเทศ"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("หมายเหตุ / สิ่งที่ต้องตรวจสอบ"), max_length=4_000, blank=True)
    certainty = models.CharField(
        _("ความแน่นอนของข้อมูล"), max_length=10, choices=Certainty.choices, default=Certainty.LIKELY
    )

    # The year's calendar (registration, OIT evidence, surveys, results), each date with its certainty:
    # dashboards compute due dates from it, so a year whose NACC calendar moves needs no release.
    registration_starts = models.DateField(_("เปิดลงทะเบียน"), null=True, blank=True)
    registration_ends = models.DateField(_("ปิดลงทะเบียน"), null=True, blank=True)
    registration_certainty = certainty_field(_("ความแน่นอนของช่วงลงทะเบียน"), Certainty.OPEN)
    oit_deadline = models.DateField(_("วันสุดท้ายของการเผยแพร่ข้อมูล OIT"), null=True, blank=True)
    oit_deadline_certainty = certainty_field(_("ความแน่นอนของวันสุดท้าย OIT"), Certainty.OPEN)
    survey_starts = models.DateField(_("เริ่มเก็บแบบวัด IIT/EIT"), null=True, blank=True)
    survey_ends = models.DateField(_("สิ้นสุดการเก็บแบบวัด IIT/EIT"), null=True, blank=True)
    survey_certainty = certainty_field(_("ความแน่นอนของช่วงเก็บแบบวัด"), Certainty.OPEN)
    results_date = models.DateField(_("วันประกาศผล"), null=True, blank=True)
    results_certainty = certainty_field(_("ความแน่นอนของวันประกาศผล"), Certainty.OPEN)
    # Editions edited in the application are not overwritten by ``load_frameworks --replace``; ``version``
    # lets the editor refuse a save made from a page older than the last save.
    edited_locally = models.BooleanField(_("แก้ไขในระบบแล้ว"), default=False)
    edited_at = models.DateTimeField(_("แก้ไขในระบบล่าสุดเมื่อ"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("แก้ไขในระบบล่าสุดโดย"),
    )
    version = models.PositiveIntegerField(_("รุ่นการแก้ไข"), default=0)

    objects = FrameworkEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("กรอบการประเมินประจำปี")
        verbose_name_plural = _("กรอบการประเมินประจำปี")
        ordering = ["-fiscal_year"]
        constraints = [
            *text_limits(notes=4_000),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="%(app_label)s_%(class)s_fiscal_year_be",
            ),
            models.CheckConstraint(
                condition=Q(registration_ends__isnull=True)
                | Q(registration_starts__isnull=True)
                | Q(registration_ends__gte=models.F("registration_starts")),
                name="%(app_label)s_%(class)s_registration_ordered",
            ),
            models.CheckConstraint(
                condition=Q(survey_ends__isnull=True)
                | Q(survey_starts__isnull=True)
                | Q(survey_ends__gte=models.F("survey_starts")),
                name="%(app_label)s_%(class)s_survey_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year}"

    def scoring_framework(self) -> scoring.Framework:
        """The arithmetic of this edition. Uses prefetched tools, indicators and level rules when the
        edition came from ``with_structure()``, so computing many assessments costs no extra queries."""
        indicators = list(self.indicators.all())
        tools = tuple(
            scoring.ToolRule(
                code=tool.code,
                weight=tool.weight,
                indicator_weights={i.number: i.weight for i in indicators if i.tool_id == tool.pk},
            )
            for tool in self.tools.all()
        )
        levels = tuple(
            scoring.LevelRuleSpec(label=rule.label, min_total=rule.min_total, min_each_tool=rule.min_each_tool)
            for rule in self.level_rules.all()
        )
        return scoring.Framework(tools=tools, levels=levels)


class Tool(models.Model):
    """IIT, EIT or OIT, with its weight in the total (30/30/40)."""

    edition = models.ForeignKey(FrameworkEdition, on_delete=models.CASCADE, related_name="tools")
    code = models.CharField(_("รหัส"), max_length=3)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200, blank=True)
    weight = models.DecimalField(_("น้ำหนัก (ร้อยละ)"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    certainty = models.CharField(
        _("ความแน่นอนของข้อมูล"), max_length=10, choices=Certainty.choices, default=Certainty.SURE
    )

    class Meta:
        verbose_name = _("เครื่องมือการประเมิน")
        verbose_name_plural = _("เครื่องมือการประเมิน")
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="%(app_label)s_%(class)s_weight"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Indicator(models.Model):
    """One of the ten indicators, with its weight inside its tool."""

    edition = models.ForeignKey(FrameworkEdition, on_delete=models.CASCADE, related_name="indicators")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("เครื่องมือ"))
    number = models.PositiveSmallIntegerField(_("ตัวชี้วัดที่"))
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200, blank=True)
    aliases = models.CharField(
        _("ชื่ออื่นที่ใช้"), max_length=500, blank=True, help_text=_("ชื่ออื่นที่เอกสารใช้ คั่นด้วย | ใช้จับคู่การนำเข้า")
    )
    weight = models.DecimalField(
        _("น้ำหนักภายในเครื่องมือ (ร้อยละ)"), max_digits=6, decimal_places=3, help_text=_("ผลรวมในแต่ละเครื่องมือเท่ากับ 100")
    )
    certainty = models.CharField(
        _("ความแน่นอนของข้อมูล"), max_length=10, choices=Certainty.choices, default=Certainty.SURE
    )

    class Meta:
        verbose_name = _("ตัวชี้วัด")
        verbose_name_plural = _("ตัวชี้วัด")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="%(app_label)s_%(class)s_weight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_th}"

    @property
    def names(self) -> list[str]:
        return [self.name_th, *(alias.strip() for alias in self.aliases.split("|") if alias.strip())]


class Item(models.Model):
    """A question (ข้อคำถาม) of a tool: i1–i30, e1–e15, o1–o43 or that year's list."""

    edition = models.ForeignKey(FrameworkEdition, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items", verbose_name=_("ตัวชี้วัด"))
    code = models.CharField(_("รหัสข้อ"), max_length=8)
    title = models.CharField(_("ข้อคำถาม"), max_length=500, blank=True)
    sub_indicator = models.CharField(_("ตัวชี้วัดย่อย"), max_length=100, blank=True)
    criteria = models.TextField(
        _("เกณฑ์การพิจารณา"), max_length=4000, blank=True, help_text=_("ว่างไว้เมื่อยังไม่ทราบเกณฑ์ของปีนี้")
    )
    responsible_kind = models.CharField(
        _("ส่วนราชการที่มักรับผิดชอบ"), max_length=12, choices=ResponsibleKind.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    certainty = models.CharField(
        _("ความแน่นอนของข้อมูล"), max_length=10, choices=Certainty.choices, default=Certainty.LIKELY
    )

    class Meta:
        verbose_name = _("ข้อคำถาม")
        verbose_name_plural = _("ข้อคำถาม")
        ordering = ["edition", "order"]
        constraints = [
            *text_limits(criteria=4_000),
            models.UniqueConstraint(fields=["edition", "code"], name="%(app_label)s_%(class)s_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code


class LevelRule(models.Model):
    """A level of the year's scale: reached when the total, and every tool if set, meet the minimums.
    Rules are tried in ascending ``order`` (highest level first): the first that holds is the level."""

    edition = models.ForeignKey(FrameworkEdition, on_delete=models.CASCADE, related_name="level_rules")
    label = models.CharField(_("ระดับ"), max_length=50)
    min_total = models.DecimalField(_("คะแนนรวมขั้นต่ำ"), max_digits=5, decimal_places=2)
    min_each_tool = models.DecimalField(
        _("คะแนนขั้นต่ำของทุกเครื่องมือ"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(
        _("ลำดับการตรวจ"), help_text=_("ตรวจจากลำดับน้อยไปมาก ข้อแรกที่เข้าเงื่อนไขคือระดับที่ได้")
    )
    passes = models.BooleanField(_("ผ่านเกณฑ์"), default=False)
    certainty = models.CharField(
        _("ความแน่นอนของข้อมูล"), max_length=10, choices=Certainty.choices, default=Certainty.SURE
    )

    class Meta:
        verbose_name = _("เกณฑ์ระดับผลการประเมิน")
        verbose_name_plural = _("เกณฑ์ระดับผลการประเมิน")
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "order"], name="%(app_label)s_%(class)s_unique_order"),
            models.UniqueConstraint(fields=["edition", "label"], name="%(app_label)s_%(class)s_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(agency__in=Agency.objects.visible_to(user))

    def for_year(self, fiscal_year: int) -> AssessmentQuerySet:
        return self.filter(edition__fiscal_year=fiscal_year)

    def with_tool_scores(self) -> AssessmentQuerySet:
        """Tool scores in one more query for the whole list (``Assessment.tool_scores_by_code``)."""
        return self.prefetch_related(
            models.Prefetch("tool_scores", queryset=ToolScore.objects.select_related("tool").order_by("tool__order"))
        )

    def order_by_tool(self, code: str, *then: str, descending: bool = False) -> AssessmentQuerySet:
        """Sort by the score of the tool ``code`` (any tool of the year's edition), missing scores last,
        then by the fields ``then``."""
        score = models.Subquery(
            ToolScore.objects.filter(assessment=models.OuterRef("pk"), tool__code=code).values("score")[:1]
        )
        annotated = self.annotate(tool_sort=score)
        field = models.F("tool_sort")
        return annotated.order_by(field.desc(nulls_last=True) if descending else field.asc(nulls_last=True), *then)


class Assessment(models.Model):
    """An agency's ITA result for a fiscal year.

    The tool scores (one :class:`ToolScore` row per tool of the year's edition), total and level are
    computed from the indicator scores by the year's rules (``assessments.scoring``) whenever scores are
    written through ``assessments.services``; they are stored so lists can sort and filter in the database.
    ``version`` grows with every save, so an entry form opened before someone else's save is refused
    rather than silently writing over it. An agency may have only the published total
    (seed 000: 81.49 B in 2563): then nothing is computed and the published figures stand.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("หน่วยงาน"))
    edition = models.ForeignKey(
        FrameworkEdition, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("ปีงบประมาณ")
    )
    published_total = score_field(_("คะแนนรวมที่ประกาศ"), null=True, blank=True)
    published_level = models.CharField(_("ระดับที่ประกาศ"), max_length=50, blank=True)
    total = score_field(_("คะแนนรวม (คำนวณ)"), null=True, blank=True)
    level = models.CharField(_("ระดับ (คำนวณ)"), max_length=50, blank=True)
    note = models.TextField(_("หมายเหตุ"), max_length=2_000, blank=True)
    version = models.PositiveIntegerField(
        _("รุ่นของข้อมูล"),
        default=0,
        db_default=0,  # rows inserted in bulk without it (bench data) start at 0 too
        editable=False,
        help_text=_("เพิ่มขึ้นทุกครั้งที่บันทึกคะแนน ใช้ตรวจว่ามีผู้อื่นบันทึกระหว่างที่แก้ไข"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
        ordering = ["agency", "-edition__fiscal_year"]
        constraints = [
            *text_limits(note=2_000),
            models.UniqueConstraint(fields=["agency", "edition"], name="%(app_label)s_%(class)s_one_per_year"),
            score_range_check("published_total", "%(app_label)s_%(class)s_published_total_range", nullable=True),
            score_range_check("total", "%(app_label)s_%(class)s_total_range", nullable=True),
        ]
        # PostgreSQL also has "assessment_edition_total_dsc" (edition, total DESC NULLS LAST, id), the comparison's
        # default order, made by migration 0007 only there (SQLite cannot index NULLS LAST).
        indexes = [
            models.Index(fields=["edition", "total"], name="assessments_edition_total_idx"),
            # A year's results in agency order (the API's scores pages): read from here a page at a time, not by
            # stepping over every year of every agency (issue 17).
            models.Index(fields=["edition", "agency"], name="assessments_edition_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:detail", args=[self.pk])

    @property
    def fiscal_year(self) -> int:
        return self.edition.fiscal_year

    @property
    def display_total(self) -> Decimal | None:
        """The total people read: the computed one, or the published one when no scores were entered."""
        return self.total if self.total is not None else self.published_total

    @property
    def display_level(self) -> str:
        return self.level or self.published_level

    def tool_scores_by_code(self) -> dict[str, Decimal]:
        """The stored tool scores keyed by tool code. Reads ``tool_scores`` (prefetch it with its tool, as
        ``Assessment.objects.with_tool_scores()`` does, to read many assessments in a fixed number of queries)."""
        return {row.tool.code: row.score for row in self.tool_scores.all()}

    def tool_score(self, code: str) -> Decimal | None:
        return self.tool_scores_by_code().get(code)

    @property
    def mismatch(self) -> bool:
        """Published and computed totals differ by more than rounding explains (0.02)."""
        if self.total is None or self.published_total is None:
            return False
        return abs(self.total - self.published_total) > Decimal("0.02")


class IndicatorScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="indicator_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("ตัวชี้วัด"))
    score = score_field(_("คะแนน"))

    class Meta:
        verbose_name = _("คะแนนตัวชี้วัด")
        verbose_name_plural = _("คะแนนตัวชี้วัด")
        ordering = ["assessment", "indicator__number"]
        # Averages by indicator (analysis and comparison charts) read scores through this index alone.
        indexes = [models.Index(fields=["indicator", "score"], name="assessments_score_ind_idx")]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="%(app_label)s_%(class)s_unique"),
            score_range_check("score", "%(app_label)s_%(class)s_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.number}: {self.score}"


class IndicatorAverage(models.Model):
    """The sum and number of one indicator's scores over the whole installation, kept as scores change
    (``assessments.averages``), so the average line of the charts is one small read, not a scan of every
    agency's scores (400,000 rows at 8,000 agencies × 5 years)."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="average", verbose_name=_("ตัวชี้วัด")
    )
    total = models.DecimalField(_("ผลรวมคะแนน"), max_digits=14, decimal_places=2, default=0)
    count = models.PositiveIntegerField(_("จำนวนคะแนน"), default=0)

    class Meta:
        verbose_name = _("ค่าเฉลี่ยตัวชี้วัด")
        verbose_name_plural = _("ค่าเฉลี่ยตัวชี้วัด")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.total}/{self.count}"


class ToolScore(models.Model):
    """The computed score of one tool (IIT, EIT, OIT, or whatever tools the year's edition has) of an
    assessment. Written by ``assessments.services`` only, from the indicator scores, so it always follows
    them; stored so that lists sort and documents read it without recomputing."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tool_scores")
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="scores", verbose_name=_("เครื่องมือ"))
    score = score_field(_("คะแนน"))

    class Meta:
        verbose_name = _("คะแนนรายเครื่องมือ")
        verbose_name_plural = _("คะแนนรายเครื่องมือ")
        ordering = ["assessment", "tool__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "tool"], name="%(app_label)s_%(class)s_unique"),
            score_range_check("score", "%(app_label)s_%(class)s_range"),
        ]

    def __str__(self) -> str:
        return f"{self.tool.code}: {self.score}"


class ItemScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="item_scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="scores", verbose_name=_("ข้อคำถาม"))
    score = score_field(_("คะแนน"))

    class Meta:
        verbose_name = _("คะแนนรายข้อ")
        verbose_name_plural = _("คะแนนรายข้อ")
        ordering = ["assessment", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="%(app_label)s_%(class)s_unique"),
            score_range_check("score", "%(app_label)s_%(class)s_range"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.score}"


class TargetBands(models.Model):
    """An agency's bands for how hard to push each indicator (seed 002): at or above ``maintain_from``
    รักษาระดับ, at or above ``raise_from`` ยกระดับ, below it แก้ไขเร่งด่วน."""

    class Band(models.TextChoices):
        MAINTAIN = "maintain", _("รักษาระดับ")
        RAISE = "raise", _("ยกระดับ")
        URGENT = "urgent", _("แก้ไขเร่งด่วน")

    DEFAULT_MAINTAIN_FROM = Decimal("90.00")
    DEFAULT_RAISE_FROM = Decimal("85.00")

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="target_bands")
    maintain_from = score_field(_("รักษาระดับ เมื่อคะแนนตั้งแต่"), default=DEFAULT_MAINTAIN_FROM)
    raise_from = score_field(_("ยกระดับ เมื่อคะแนนตั้งแต่"), default=DEFAULT_RAISE_FROM)

    class Meta:
        verbose_name = _("เกณฑ์ระดับความเข้มข้นของมาตรการ")
        verbose_name_plural = _("เกณฑ์ระดับความเข้มข้นของมาตรการ")
        constraints = [
            models.CheckConstraint(
                condition=Q(raise_from__lte=models.F("maintain_from")), name="%(app_label)s_%(class)s_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.maintain_from}/{self.raise_from}"

    def band_for(self, score: Decimal | None) -> str | None:
        if score is None:
            return None
        if score >= self.maintain_from:
            return self.Band.MAINTAIN
        if score >= self.raise_from:
            return self.Band.RAISE
        return self.Band.URGENT


class AnalysisIssue(models.Model):
    """An agency's own grouping of items into an issue (ประเด็น), as seed 004's seven issues."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveSmallIntegerField(_("ประเด็นที่"))
    title = models.CharField(_("ชื่อประเด็น"), max_length=300)
    items = models.ManyToManyField(Item, related_name="issues", verbose_name=_("ข้อคำถาม"), blank=True)

    class Meta:
        verbose_name = _("ประเด็นการวิเคราะห์")
        verbose_name_plural = _("ประเด็นการวิเคราะห์")
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="%(app_label)s_%(class)s_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CitedItemScore(models.Model):
    """The score an issue's table prints for one of its items where the agency's own analysis cites another
    figure than the item's score: seed 004 prints e11 as 87.25 under issue 1 and 63.30 under issue 2, e10 as
    10.00 under issue 3 and 97.37 under issue 7, each beside a remark that fits only its own figure. The
    item's score (``ItemScore``) stays the one figure totals, the workbook and every other page use; this
    row only keeps what the agency's document says in that issue, so the page does not put "ผ่านเกณฑ์"
    beside 10.00."""

    issue = models.ForeignKey(AnalysisIssue, on_delete=models.CASCADE, related_name="cited_scores")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("ข้อคำถาม"))
    score = score_field(_("คะแนนตามที่อ้างในประเด็น"))

    class Meta:
        verbose_name = _("คะแนนรายข้อที่อ้างในประเด็น")
        verbose_name_plural = _("คะแนนรายข้อที่อ้างในประเด็น")
        ordering = ["issue", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "item"], name="%(app_label)s_%(class)s_unique"),
            score_range_check("score", "%(app_label)s_%(class)s_range"),
        ]

    def __str__(self) -> str:
        return f"{self.issue}: {self.item.code} {self.score}"


class Finding(models.Model):
    """What the analysis says about an indicator or an issue: strengths, weaknesses, what to improve."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="findings", verbose_name=_("ตัวชี้วัด")
    )
    issue = models.ForeignKey(
        AnalysisIssue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("ประเด็น"),
    )
    strengths = models.TextField(_("จุดแข็ง / สิ่งที่ทำได้ดี"), max_length=4_000, blank=True)
    weaknesses = models.TextField(_("จุดอ่อน / ข้อบกพร่อง"), max_length=4_000, blank=True)
    improvements = models.TextField(_("สิ่งที่ต้องพัฒนา / แนวทางแก้ไข"), max_length=4_000, blank=True)

    class Meta:
        verbose_name = _("ผลการวิเคราะห์")
        verbose_name_plural = _("ผลการวิเคราะห์")
        ordering = ["assessment", "indicator__number", "issue__number"]
        constraints = [
            *text_limits(strengths=4_000, weaknesses=4_000, improvements=4_000),
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(issue__isnull=True))
                | (Q(indicator__isnull=True) & Q(issue__isnull=False)),
                name="%(app_label)s_%(class)s_indicator_or_issue",
            ),
        ]

    def __str__(self) -> str:
        return str(self.indicator or self.issue)
