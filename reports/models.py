"""Memos (บันทึกข้อความ) and their approval up a chain of supervisors.

A memo's life is a status, a table of allowed moves (:data:`Memo.TRANSITIONS`, status × action) and one
guarded service (``reports.workflow.memo_transition``), as django-oscar runs its order pipeline: every move
writes a :class:`MemoEvent` with who, when, from, to and the comment, and an audit entry. When a memo is
submitted it gets its number and everything it prints is fixed (``table``, see ``reports.paper``): later
progress on measures, a renamed division or a new phone number do not change a submitted or approved memo.
An approved memo cannot be changed or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Department, Membership
from assessments.models import Assessment
from ita_tracker.textlimits import text_limits
from ita_tracker.thai import fiscal_year
from measures.models import MeasurePlan
from reports.kinds import kind_choices


class InvalidTransition(Exception):
    """A move the memo's status does not allow, or one its actor may not make (see ``reports.permissions``)."""


class TransitionForbidden(InvalidTransition, PermissionDenied):
    """A move refused because of who asks (not an approver of the step, not the author, role removed): a
    view that does not catch it answers 403, as for any other missing right."""


# Subjects go into mail headers and one printed line: a line break there made sending fail (issue 11 item 5).
single_line = RegexValidator(
    r"[\r\n\v\f\x85\u2028\u2029]", inverse_match=True, message=_("เรื่องต้องเป็นข้อความบรรทัดเดียว"), code="multiline"
)


class ApprovalChain(models.Model):
    """An agency's route for memos, e.g. หัวหน้าสำนักปลัดเทศบาล → ปลัดเทศบาล → นายกเทศมนตรี."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="approval_chains", verbose_name=_("หน่วยงาน")
    )
    name = models.CharField(_("ชื่อสายการพิจารณา"), max_length=200)
    is_default = models.BooleanField(_("ใช้เป็นค่าเริ่มต้น"), default=False)
    allow_same_approver = models.BooleanField(
        _("ให้ผู้พิจารณาคนเดียวลงนามได้หลายขั้น"),
        default=False,
        db_default=False,  # rows inserted in bulk (generate_data) leave it out
        help_text=_(
            "โดยปกติผู้พิจารณาหนึ่งคนพิจารณาบันทึกหนึ่งฉบับได้เพียงขั้นเดียว (รวมการรักษาราชการแทน) "
            "เลือกเมื่อหน่วยงานอนุญาตเป็นการเฉพาะ เอกสารจะระบุไว้"
        ),
    )

    class Meta:
        verbose_name = _("สายการพิจารณา")
        verbose_name_plural = _("สายการพิจารณา")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalChainStep(models.Model):
    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    position_title = models.CharField(
        _("ตำแหน่งที่พิมพ์ในช่องความเห็น"), max_length=200, help_text=_("เช่น หัวหน้าสำนักปลัดเทศบาล, ปลัดเทศบาล")
    )
    comment_label = models.CharField(
        _("หัวข้อช่องความเห็น"),
        max_length=200,
        blank=True,
        help_text=_("เช่น ความเห็นปลัดเทศบาล (เว้นว่างเพื่อใช้ “ความเห็น” + ตำแหน่ง)"),
    )
    approvers = models.ManyToManyField(Membership, related_name="chain_steps", verbose_name=_("ผู้มีสิทธิ์พิจารณา"))
    acting_approvers = models.ManyToManyField(
        Membership,
        related_name="acting_chain_steps",
        blank=True,
        verbose_name=_("ผู้รักษาราชการแทน"),
        help_text=_("ผู้ที่พิจารณาแทนตำแหน่งนี้ได้ ช่องลงนามจะระบุว่า “รักษาราชการแทน”"),
    )

    class Meta:
        verbose_name = _("ขั้นการพิจารณา")
        verbose_name_plural = _("ขั้นการพิจารณา")
        ordering = ["chain", "order"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "order"], name="%(app_label)s_%(class)s_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.position_title}"


class MemoQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemoQuerySet:
        """Memos of the agencies this person sees; a draft only to its author and the coordinators and admins of
        its agency. An unsent draft is someone's work in progress, not the agency's record: it opened for any
        staff member and for a provincial viewer."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.filter(agency__in=Agency.objects.visible_to(user))
        drafting = Membership.objects.filter(user=user, is_active=True).filter(
            models.Q(is_coordinator=True) | models.Q(is_agency_admin=True)
        )
        return self.filter(agency__in=Agency.objects.visible_to(user)).filter(
            ~models.Q(status=Memo.Status.DRAFT)
            | models.Q(author=user)
            | models.Q(agency__in=drafting.values("agency_id"))
        )

    def awaiting(self, user) -> MemoQuerySet:
        """Memos waiting at a step this person may act on (รอฉันพิจารณา).

        Driven from the person's own steps (approver or acting), each side a plain indexed lookup joined by
        UNION: an OR across the two approver joins made PostgreSQL scan every pending memo in the country
        (33-40 ms at 8,000 agencies; this way 0.3 ms). It runs on every page, for the count in the menu.
        """
        # Only approver memberships can be on a route (chain_save checks the role): a national viewer's
        # 8,000 viewer memberships then cost nothing here. Read first, as ids: given them as a subquery,
        # PostgreSQL guessed thousands of rows for a person with none and scanned every route step of the
        # country with a parallel worker (26-40 ms at 8,000 agencies, on every page of a national viewer).
        memberships = list(
            Membership.objects.filter(user=user, is_active=True, is_approver=True)
            .order_by()  # not the default order, which joins the agency, the division and the person
            .values_list("pk", flat=True)
        )
        if not memberships:
            return self.none()
        as_approver = MemoStep.objects.filter(approvers__in=memberships).values("memo_id").order_by()
        as_acting = MemoStep.objects.filter(acting_approvers__in=memberships).values("memo_id").order_by()
        current = MemoStep.objects.filter(
            memo_id__in=as_approver.union(as_acting), order=models.F("memo__current_step")
        ).filter(models.Q(approvers__in=memberships) | models.Q(acting_approvers__in=memberships))
        # The ids first, then the memos: given the subquery, PostgreSQL joined all pending memos of the country
        # to their authors and agencies before narrowing them down (70 ms instead of 1).
        ids = set(
            current.filter(memo__status=Memo.Status.PENDING)
            .exclude(memo__author=user)
            .values_list("memo_id", flat=True)
        )
        if ids:
            # Not the memos this person decided at another step: by default one person decides one step.
            ids -= set(
                MemoStep.objects.filter(memo_id__in=ids, decided_by=user)
                .exclude(decision="")
                .exclude(memo__table__route__allow_same_approver=True)
                .values_list("memo_id", flat=True)
            )
        return self.filter(pk__in=ids)


class Memo(models.Model):
    # Names for the built-in kinds, for code and fixtures that create them. What a kind is (its label, source,
    # sections, default text) is its spec in ``reports.kinds``, the registry ``kind`` takes its choices from.
    class Kind(models.TextChoices):
        PROGRESS_6 = "progress_6", _("รายงานผลการดำเนินการตามมาตรการ รอบ ๖ เดือน")
        PROGRESS_12 = "progress_12", _("รายงานผลการดำเนินการตามมาตรการ รอบ ๑๒ เดือน")
        PLAN = "plan", _("ขออนุมัติมาตรการประจำปี")
        ANALYSIS = "analysis", _("รายงานการวิเคราะห์ผลการประเมิน")
        FREE = "free", _("บันทึกข้อความทั่วไป")

    class Status(models.TextChoices):
        DRAFT = "draft", _("ร่าง")
        PENDING = "pending", _("รอพิจารณา")
        RETURNED = "returned", _("ส่งคืนแก้ไข")
        APPROVED = "approved", _("อนุมัติแล้ว")

    class Closing(models.TextChoices):
        INFORM = "inform", "จึงเรียนมาเพื่อโปรดทราบ"
        CONSIDER = "consider", "จึงเรียนมาเพื่อโปรดพิจารณา"
        APPROVE = "approve", "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ"

    class Action(models.TextChoices):
        """Every move of a memo. The four decisions carry the names of :class:`MemoStep.Decision`."""

        SUBMIT = "submit", _("ส่งพิจารณา")
        RESUBMIT = "resubmit", _("ส่งพิจารณาอีกครั้ง")
        AGREE = "agree", _("เห็นชอบ")
        ACKNOWLEDGE = "acknowledge", _("ทราบ")
        APPROVE = "approve", _("อนุมัติ")
        RETURN = "return", _("ส่งคืนแก้ไข")
        WITHDRAW = "withdraw", _("ถอนเรื่องกลับเป็นร่าง")
        REASSIGN = "reassign", _("มอบหมายผู้พิจารณาแทน")
        PUBLISH = "publish", _("เผยแพร่เป็นหลักฐาน OIT")
        UNPUBLISH = "unpublish", _("เลิกเผยแพร่")

    # The allowed moves: status -> {action: status after}. A decision at a step before the last keeps the memo
    # pending and moves it one step on; at the last step it approves (``reports.workflow``). Who may take each
    # move is ``reports.permissions``.
    TRANSITIONS: dict[str, dict[str, str]] = {
        Status.DRAFT: {Action.SUBMIT: Status.PENDING},
        Status.PENDING: {
            Action.AGREE: Status.PENDING,
            Action.ACKNOWLEDGE: Status.PENDING,
            Action.APPROVE: Status.APPROVED,
            Action.RETURN: Status.RETURNED,
            Action.WITHDRAW: Status.DRAFT,
            Action.REASSIGN: Status.PENDING,
        },
        Status.RETURNED: {Action.RESUBMIT: Status.PENDING, Action.WITHDRAW: Status.DRAFT},
        Status.APPROVED: {Action.PUBLISH: Status.APPROVED, Action.UNPUBLISH: Status.APPROVED},
    }
    DECISIONS = (Action.AGREE, Action.ACKNOWLEDGE, Action.APPROVE, Action.RETURN)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memos", verbose_name=_("หน่วยงาน"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="memos", verbose_name=_("ส่วนราชการเจ้าของเรื่อง")
    )
    # The kinds come from the registry (reports.kinds): adding one needs no migration.
    kind = models.CharField(_("ประเภท"), max_length=20, choices=kind_choices, default=Kind.FREE)
    plan = models.ForeignKey(
        MeasurePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memos",
        verbose_name=_("แผนมาตรการ"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memos",
        verbose_name=_("ผลการประเมิน"),
    )
    as_of = models.DateField(_("ข้อมูล ณ วันที่"), null=True, blank=True)
    chain = models.ForeignKey(
        ApprovalChain, on_delete=models.PROTECT, related_name="memos", verbose_name=_("สายการพิจารณา")
    )

    number_prefix = models.CharField(_("รหัสหนังสือ"), max_length=50, blank=True)
    number_year = models.PositiveSmallIntegerField(_("ปี พ.ศ. ของเลขที่"), null=True, blank=True)
    running_number = models.PositiveIntegerField(_("เลขทะเบียนส่ง"), null=True, blank=True)
    number_reserved = models.BooleanField(
        _("เลขจากทะเบียนหนังสือส่งของส่วนราชการ"),
        default=False,
        db_default=False,  # rows inserted in bulk (generate_data) leave it out
        help_text=_("เลขที่จองไว้ในทะเบียนหนังสือส่ง (กระดาษหรือระบบสารบรรณอิเล็กทรอนิกส์) และผู้ประสานงานกรอกเมื่อส่ง"),
    )
    date = models.DateField(_("วันที่"), null=True, blank=True)
    subject = models.CharField(_("เรื่อง"), max_length=500, validators=[single_line])
    addressee = models.CharField(_("เรียน"), max_length=300)
    via = models.CharField(_("ผ่าน"), max_length=300, blank=True)
    reference = models.TextField(_("อ้างถึง / สิ่งที่ส่งมาด้วย"), max_length=2_000, blank=True)
    body = models.TextField(_("ข้อความ"), max_length=10_000, blank=True)
    background = models.TextField(_("เรื่องเดิม"), max_length=4_000, blank=True)
    facts = models.TextField(_("ข้อเท็จจริง"), max_length=4_000, blank=True)
    considerations = models.TextField(_("ข้อพิจารณา"), max_length=4_000, blank=True)
    proposal = models.TextField(_("ข้อเสนอ"), max_length=4_000, blank=True)
    closing = models.CharField(_("คำลงท้าย"), max_length=20, choices=Closing.choices, default=Closing.INFORM)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memos", verbose_name=_("ผู้เสนอ")
    )
    author_name = models.CharField(_("ชื่อผู้เสนอ (ที่พิมพ์)"), max_length=200)
    author_position = models.CharField(_("ตำแหน่งผู้เสนอ"), max_length=200)
    # Named "table" for the memos frozen before schema 2, which held one table only (reports.paper reads both).
    table = models.JSONField(
        _("ข้อมูลที่ตรึงไว้เมื่อส่ง"),
        null=True,
        blank=True,
        help_text=_("ส่วนหัว ตาราง และเงื่อนไขการพิจารณา ตรึงไว้เมื่อส่งบันทึก การแก้ไขภายหลังไม่เปลี่ยนบันทึกที่ส่งแล้ว"),
    )

    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    current_step = models.PositiveSmallIntegerField(_("ขั้นที่รอพิจารณา"), null=True, blank=True)
    is_published = models.BooleanField(
        _("เผยแพร่เป็นหลักฐาน OIT"), default=False, help_text=_("แสดงในหน้าเผยแพร่สาธารณะ (เฉพาะบันทึกที่อนุมัติแล้ว)")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = MemoQuerySet.as_manager()

    class Meta:
        verbose_name = _("บันทึกข้อความ")
        verbose_name_plural = _("บันทึกข้อความ")
        ordering = ["-created_at"]
        constraints = [
            *text_limits(
                reference=2_000, body=10_000, background=4_000, facts=4_000, considerations=4_000, proposal=4_000
            ),
            # The register is the division's (ทะเบียนหนังสือส่ง): one number per division and year, whether the
            # app gave it or the coordinator typed one reserved in the paper or e-saraban register.
            models.UniqueConstraint(
                fields=["department", "number_year", "running_number"],
                condition=Q(running_number__isnull=False),
                name="%(app_label)s_%(class)s_unique_register_number",
                violation_error_message=_("เลขทะเบียนส่งนี้ของส่วนราชการในปีนี้มีบันทึกอื่นใช้แล้ว"),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(running_number__isnull=False),
                name="%(app_label)s_%(class)s_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(current_step__isnull=False),
                name="%(app_label)s_%(class)s_pending_has_step",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="approved"),
                name="%(app_label)s_%(class)s_only_approved_published",
            ),
            models.CheckConstraint(
                condition=~Q(subject__contains="\n") & ~Q(subject__contains="\r"),
                name="%(app_label)s_%(class)s_subject_single_line",
                violation_error_message=_("เรื่องต้องเป็นข้อความบรรทัดเดียว"),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="reports_memo_agency_status_idx"),
            models.Index(fields=["agency", "-created_at"], name="reports_memo_agency_new_idx"),
            models.Index(fields=["-created_at"], name="reports_memo_newest_idx"),  # the default ordering
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reports:memo_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """ที่: the division's letter code, "/" and the running number; blank until submitted."""
        if self.running_number is None:
            return f"{self.number_prefix}/"
        return f"{self.number_prefix}/{self.running_number}"

    @property
    def register_entry(self) -> str:
        """The number as the register knows it, with its year: "12/2569" (blank until submitted)."""
        if self.running_number is None:
            return ""
        return f"{self.running_number}/{self.number_year}"

    @property
    def fiscal_year(self) -> int | None:
        """The year the memo is evidence for: its plan's year; for an analysis, the year after the one
        analysed (the measures it leads to); otherwise the fiscal year of its date."""
        if self.plan_id:
            return self.plan.fiscal_year
        if self.assessment_id:
            return self.assessment.edition.fiscal_year + 1
        if self.date:
            return fiscal_year(self.date)
        return None

    @property
    def is_structured(self) -> bool:
        return any([self.background, self.facts, self.considerations, self.proposal])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def allows(self, action: str) -> bool:
        """Whether the status allows ``action`` at all (who may take it is ``reports.permissions``)."""
        if action == self.Action.PUBLISH and self.is_published:
            return False
        if action == self.Action.UNPUBLISH and not self.is_published:
            return False
        return action in self.TRANSITIONS[self.status]


class MemoStep(models.Model):
    """A step of one memo's route, copied from its chain when it is submitted (a later change to the
    chain does not reroute memos already under way), and the decision taken there."""

    class Decision(models.TextChoices):
        AGREE = "agree", "เห็นชอบ"
        ACKNOWLEDGE = "acknowledge", "ทราบ"
        APPROVE = "approve", "อนุมัติ"
        RETURN = "return", "ส่งคืนแก้ไข"

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    position_title = models.CharField(_("ตำแหน่ง"), max_length=200)
    comment_label = models.CharField(_("หัวข้อช่องความเห็น"), max_length=200, blank=True)
    approvers = models.ManyToManyField(Membership, related_name="memo_steps", verbose_name=_("ผู้มีสิทธิ์พิจารณา"))
    acting_approvers = models.ManyToManyField(Membership, related_name="acting_memo_steps", blank=True)
    decision = models.CharField(_("ผลการพิจารณา"), max_length=20, choices=Decision.choices, blank=True)
    comment = models.TextField(_("ความเห็น"), max_length=2_000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="memo_decisions"
    )
    signer_name = models.CharField(_("ชื่อผู้ลงนาม"), max_length=200, blank=True)
    signer_position = models.CharField(_("ตำแหน่งผู้ลงนาม"), max_length=300, blank=True)
    acting = models.BooleanField(_("รักษาราชการแทน"), default=False)
    decided_at = models.DateTimeField(_("พิจารณาเมื่อ"), null=True, blank=True)
    # How the signer proved who they were when deciding (agencies.identity): "totp", "recovery" or "" (not
    # verified). The printed block says which.
    identity_method = models.CharField(_("วิธียืนยันตัวตน"), max_length=20, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("การพิจารณาบันทึก")
        verbose_name_plural = _("การพิจารณาบันทึก")
        ordering = ["memo", "order"]
        constraints = [
            *text_limits(comment=2_000),
            models.UniqueConstraint(fields=["memo", "order"], name="%(app_label)s_%(class)s_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.memo_id}#{self.order} {self.position_title}"

    @property
    def label(self) -> str:
        return self.comment_label or f"ความเห็น{self.position_title}"

    @property
    def identity_verified(self) -> bool:
        return bool(self.identity_method)


class MemoEvent(models.Model):
    """The audit trail of a memo: every move, with who, when, from, to and the comment."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memo_events")
    action = models.CharField(_("การดำเนินการ"), max_length=30)
    from_status = models.CharField(_("จากสถานะ"), max_length=20, blank=True, choices=Memo.Status.choices)
    to_status = models.CharField(_("เป็นสถานะ"), max_length=20, choices=Memo.Status.choices)
    from_step = models.PositiveSmallIntegerField(null=True, blank=True)
    to_step = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(_("ความเห็น"), max_length=2_000, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ประวัติบันทึก")
        verbose_name_plural = _("ประวัติบันทึก")
        ordering = ["memo", "created_at", "pk"]
        constraints = text_limits(comment=2_000)

    def __str__(self) -> str:
        return f"{self.memo_id}: {self.from_status} → {self.to_status}"

    # Actions written before the transition table had its own names.
    OTHER_LABELS = {"create": _("สร้างร่าง"), "forward": _("ให้ความเห็นและส่งต่อ")}

    @property
    def label(self) -> str:
        if self.action in Memo.Action.values:
            return Memo.Action(self.action).label
        return self.OTHER_LABELS.get(self.action, self.action)


def attachment_path(instance: MemoAttachment, filename: str) -> str:
    return f"memo_attachments/{instance.memo.agency_id}/{instance.memo_id}/{filename}"


class MemoAttachment(models.Model):
    """A document sent with a memo (สิ่งที่ส่งมาด้วย), listed in it and appended to its PDF: either a document
    the product makes (a plan's results report, rendered and stored as a file when the memo is submitted, so
    it never changes afterwards) or a PDF the author uploaded (checked by its content and size)."""

    class Source(models.TextChoices):
        RESULTS = "results", _("รายงานผลการดำเนินการของแผน (ระบบจัดทำ)")
        UPLOAD = "upload", _("ไฟล์ PDF ที่อัปโหลด")

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="attachments")
    source = models.CharField(_("ที่มา"), max_length=20, choices=Source.choices)
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300)
    plan = models.ForeignKey(
        MeasurePlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memo_attachments",
        verbose_name=_("แผนมาตรการ"),
    )
    # Empty for a generated document until the memo is submitted; then the PDF as it was sent.
    file = models.FileField(_("ไฟล์"), upload_to=attachment_path, blank=True, max_length=300)
    pages = models.PositiveSmallIntegerField(_("จำนวนหน้า"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=1)
    created_at = models.DateTimeField(_("แนบเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("สิ่งที่ส่งมาด้วย")
        verbose_name_plural = _("สิ่งที่ส่งมาด้วย")
        ordering = ["memo", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.memo_id}: {self.title}"


class MemoCounter(models.Model):
    """The app's own register: the last running number given per division and year. Numbers come from this
    row under a lock, so two memos submitted at once never get the same number (the unique constraint on Memo
    backs it up); numbers typed in from the paper register are skipped. Rows without a division are the
    agency-wide counters used before the register became the division's."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memo_counters")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memo_counters", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"],
                condition=Q(department__isnull=False),
                name="%(app_label)s_%(class)s_unique_department_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


def _sealed_path(record: SealedRecord, filename: str) -> str:
    # Under MEDIA_ROOT, which no URL serves: the file goes out only through the views that check access.
    return f"sealed/{record.memo.agency.code}/{record.code}.pdf"


class SealedRecord(models.Model):
    """The approved memo as the official record (issue 15): its PDF rendered once at final approval, signed
    with the agency's certificate (PAdES), stored with its SHA-256 and never rendered again. ``snapshot``
    freezes the memo's data, decisions and events as they were when it was sealed. ``code`` is printed on
    every page and opens the public ``/verify/<code>/`` page."""

    memo = models.OneToOneField(Memo, on_delete=models.PROTECT, related_name="sealed", verbose_name=_("บันทึกข้อความ"))
    code = models.CharField(_("รหัสตรวจสอบ"), max_length=20, unique=True)
    file = models.FileField(_("ไฟล์ที่ประทับตรา"), upload_to=_sealed_path, max_length=300, blank=True)
    sha256 = models.CharField(_("ค่าแฮช SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("ขนาดไฟล์ (ไบต์)"), default=0)
    certificate_subject = models.CharField(_("ผู้ประทับตรา (ใบรับรอง)"), max_length=500, blank=True)
    snapshot = models.JSONField(_("ข้อมูลที่ตรึงไว้เมื่อประทับตรา"), default=dict, blank=True)
    created_at = models.DateTimeField(_("อนุมัติเมื่อ"), auto_now_add=True)
    sealed_at = models.DateTimeField(_("ประทับตราเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("บันทึกที่ประทับตราแล้ว")
        verbose_name_plural = _("บันทึกที่ประทับตราแล้ว")
        constraints = [
            models.CheckConstraint(
                condition=Q(sealed_at__isnull=True) | (~Q(sha256="") & ~Q(file="")),
                name="%(app_label)s_%(class)s_sealed_has_file",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_sealed(self) -> bool:
        return self.sealed_at is not None


from reports.texts import DocumentText  # noqa: E402, F401  (the agency's wording of its documents)
