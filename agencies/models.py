"""Organisations, their divisions, and the people who work in them.

Every other app hangs its data from an :class:`Agency`, and every read starts from
``Agency.objects.visible_to(user)``: what a person may see is decided here, once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_tracker.crypto import EncryptedCharField
from ita_tracker.textlimits import text_limits


class Role(models.TextChoices):
    """What a person may do in an agency. One membership may carry several roles."""

    STAFF = "staff", _("เจ้าหน้าที่ผู้รายงานผล")
    COORDINATOR = "coordinator", _("ผู้ประสานงาน ITA")
    APPROVER = "approver", _("ผู้บังคับบัญชา (ผู้พิจารณา)")
    AGENCY_ADMIN = "agency_admin", _("ผู้ดูแลหน่วยงาน")
    VIEWER = "viewer", _("ผู้ติดตาม (อ่านอย่างเดียว)")


# The membership flag that stores each role. Booleans rather than a many-to-many keep "may this
# person do X here" a single indexed lookup on one row, on SQLite and PostgreSQL alike.
ROLE_FIELDS: dict[str, str] = {
    Role.STAFF: "is_staff_member",
    Role.COORDINATOR: "is_coordinator",
    Role.APPROVER: "is_approver",
    Role.AGENCY_ADMIN: "is_agency_admin",
    Role.VIEWER: "is_viewer",
}


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgencyQuerySet:
        """The agencies ``user`` may see: those of their active memberships.

        Superusers (the people running the installation) see every agency.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        # A semi-join, not a join + DISTINCT: for a national viewer with 8,000 memberships the DISTINCT
        # cost 8-12 ms in every query that used it (bench/README.md).
        return self.filter(pk__in=Membership.objects.filter(user=user, is_active=True).values("agency_id"))

    def with_role(self, user, role: str) -> AgencyQuerySet:
        """The agencies where ``user`` holds ``role`` (superusers: all of them)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            memberships__user=user, memberships__is_active=True, **{f"memberships__{ROLE_FIELDS[role]}": True}
        ).distinct()


class Agency(models.Model):
    """A public agency that takes part in ITA: in this product, mostly a local government (อปท.)."""

    class Type(models.TextChoices):
        PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
        CITY = "city", _("เทศบาลนคร")
        TOWN = "town", _("เทศบาลเมือง")
        SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("เทศบาลตำบล")
        SAO = "sao", _("องค์การบริหารส่วนตำบล")
        OTHER = "other", _("หน่วยงานอื่น")

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    type = models.CharField(_("ประเภทหน่วยงาน"), max_length=32, choices=Type.choices)
    province = models.CharField(_("จังหวัด"), max_length=100)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    code = models.SlugField(
        _("รหัสย่อ"),
        max_length=32,
        unique=True,
        allow_unicode=False,
        help_text=_("รหัสสั้นภาษาอังกฤษสำหรับอ้างอิงในระบบและที่อยู่เว็บ เช่น bangpu"),
    )
    address = models.TextField(_("ที่อยู่"), max_length=500, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=50, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    emblem = models.ImageField(
        _("ตราสัญลักษณ์"),
        upload_to="emblems/",
        blank=True,
        help_text=_("ตราครุฑหรือตราหน่วยงานที่พิมพ์บนบันทึกข้อความ (PNG หรือ JPEG)"),
    )
    use_thai_digits = models.BooleanField(
        _("ใช้เลขไทย"),
        default=True,
        help_text=_("ตัวเลข ปี และวันที่ในหน้าจอภาษาไทยและในเอกสาร ยกเลิกเพื่อใช้เลขอารบิก (หน้าจอภาษาอังกฤษใช้เลขอารบิกเสมอ)"),
    )
    # The agency's own deadlines in the yearly cycle (assessments.calendar.cycle_due_dates).
    plan_due_days = models.PositiveSmallIntegerField(
        _("กำหนดอนุมัติแผนมาตรการ (วันนับจากต้นปีงบประมาณ)"),
        default=92,
        db_default=92,  # rows written in bulk by SQL (generate_data) get it too
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("เช่น ๙๒ วัน = ภายใน ๓๑ ธันวาคม"),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("กำหนดอนุมัติรายงานผล (วันหลังสิ้นรอบ ๖ และ ๑๒ เดือน)"),
        default=30,
        db_default=30,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    # Encrypted in the database (ita_tracker.crypto); never shown again once saved (agencies.forms).
    line_channel_token = EncryptedCharField(
        _("Channel access token ของ LINE Official Account"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("ใส่เพื่อเปิดการแจ้งเตือนทาง LINE ให้บุคลากรที่ผูกบัญชี LINE แล้ว; เว้นว่างเพื่อปิด"),
    )
    require_verified_identity = models.BooleanField(
        _("ผู้พิจารณาและผู้ประสานงานต้องยืนยันตัวตนเมื่อพิจารณาบันทึก"),
        default=False,
        db_default=False,
        help_text=_(
            "เมื่อเลือก ผู้บังคับบัญชาและผู้ประสานงานต้องตั้งค่าแอปยืนยันตัวตน (TOTP) และกรอกรหัสทุกครั้งที่พิจารณาบันทึก "
            "ตามระเบียบงานสารบรรณ ฉบับที่ ๔ ที่ให้พิมพ์ชื่อแทนการลงลายมือชื่อได้ในระบบที่ยืนยันตัวตน"
        ),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        ordering = ["province", "name"]
        constraints = [
            *text_limits(address=500),
            models.UniqueConstraint(fields=["name", "province"], name="%(app_label)s_%(class)s_unique_name_province"),
        ]
        indexes = [
            models.Index(fields=["province", "type"], name="agencies_province_type_idx"),
            models.Index(fields=["province", "name"], name="agencies_agency_order_idx"),  # the default ordering
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", args=[self.pk])

    @property
    def full_location(self) -> str:
        """ "อำเภอหริ่ง จังหวัดปัตตานี", as documents name an agency's place."""
        parts = []
        if self.district:
            parts.append(f"อำเภอ{self.district}")
        parts.append(f"จังหวัด{self.province}")
        return " ".join(parts)


class Department(models.Model):
    """A division (ส่วนราชการ) of an agency: สำนักปลัดเทศบาล, กองคลัง, กองช่าง, …

    Its letter code ("ปน ๕๒๗๐๑.๕") opens the number of every memo it sends.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="departments", verbose_name=_("หน่วยงาน"))
    name = models.CharField(_("ชื่อส่วนราชการ"), max_length=200)
    letter_code = models.CharField(
        _("รหัสหนังสือ"),
        max_length=50,
        blank=True,
        help_text=_("อักษรและเลขประจำส่วนราชการที่ขึ้นต้นเลขที่หนังสือ เช่น ปน 52701.5"),
    )
    phone = models.CharField(_("โทรศัพท์"), max_length=50, blank=True)
    email = models.EmailField(_("อีเมล"), blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        verbose_name = _("ส่วนราชการ")
        verbose_name_plural = _("ส่วนราชการ")
        ordering = ["agency", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="%(app_label)s_%(class)s_unique_name"),
        ]
        indexes = [models.Index(fields=["agency", "order", "name"], name="agencies_dept_order_idx")]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)

    def with_role(self, role: str) -> MembershipQuerySet:
        return self.filter(**{ROLE_FIELDS[role]: True})


class Membership(models.Model):
    """A person's place in one agency: their division, their roles, and the position printed
    under their signature. A person in several agencies has one membership in each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("ผู้ใช้")
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("หน่วยงาน"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("ส่วนราชการ"),
    )
    position_title = models.CharField(
        _("ตำแหน่ง"),
        max_length=200,
        blank=True,
        help_text=_("ตำแหน่งที่พิมพ์ใต้ลายมือชื่อ เช่น ปลัดเทศบาล, นักวิเคราะห์นโยบายและแผนชำนาญการ"),
    )
    is_staff_member = models.BooleanField(_("เจ้าหน้าที่ผู้รายงานผล"), default=False)
    is_coordinator = models.BooleanField(_("ผู้ประสานงาน ITA"), default=False)
    is_approver = models.BooleanField(_("ผู้บังคับบัญชา (ผู้พิจารณา)"), default=False)
    is_agency_admin = models.BooleanField(_("ผู้ดูแลหน่วยงาน"), default=False)
    is_viewer = models.BooleanField(_("ผู้ติดตาม (อ่านอย่างเดียว)"), default=False)
    is_active = models.BooleanField(_("ใช้งานอยู่"), default=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("สมาชิกของหน่วยงาน")
        verbose_name_plural = _("สมาชิกของหน่วยงาน")
        ordering = ["agency", "department__order", "user__first_name"]
        # The current agency is a person's first membership (agencies.middleware), looked up on every page.
        indexes = [
            models.Index(fields=["user", "created_at", "id"], name="agencies_membership_first_idx"),
            # The menu's inbox count on every page reads a person's approver memberships: through this index a
            # national viewer's 8,000 viewer memberships are not read at all (issue 17).
            models.Index(
                fields=["user"],
                condition=models.Q(is_approver=True, is_active=True),
                name="agencies_member_approver_idx",
            ),
            # "Does this person still see every agency?" (agencies.permissions.sees_every_agency) counts their
            # active memberships up to an agency id from this index alone, not from 8,000 rows (issue 17).
            models.Index(
                fields=["user", "agency"], condition=models.Q(is_active=True), name="agencies_member_active_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="%(app_label)s_%(class)s_unique_user_agency"),
            models.CheckConstraint(
                condition=Q(is_staff_member=True)
                | Q(is_coordinator=True)
                | Q(is_approver=True)
                | Q(is_agency_admin=True)
                | Q(is_viewer=True),
                name="%(app_label)s_%(class)s_has_role",
                violation_error_message=_("ต้องกำหนดบทบาทอย่างน้อยหนึ่งบทบาท"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} – {self.agency}"

    def clean(self) -> None:
        if self.department_id and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError(
                {"department": _("ส่วนราชการนี้ไม่ได้อยู่ในหน่วยงานที่เลือก")}, code="department_of_other_agency"
            )
        if self.is_staff_member and not self.department_id:
            raise ValidationError(
                {"department": _("เจ้าหน้าที่ผู้รายงานผลต้องสังกัดส่วนราชการ")}, code="staff_without_department"
            )

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def get_roles_display(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    def has_role(self, role: str) -> bool:
        return bool(getattr(self, ROLE_FIELDS[role]))

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class AuditEntry(models.Model):
    """Who changed what, and when: one row per write to scores, measures, progress and memos.

    ``before`` and ``after`` hold only the fields that changed, keyed by field name (``agencies.audit`` gives
    them labels), so the trail stays small and reads as a list of changes. Rows are written by the services in
    the same transaction as the change they describe, so a rolled-back change leaves no entry. ``actor`` is
    empty for changes made by management commands; a person who leaves keeps their name on their entries, as
    accounts are deactivated, never deleted.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("สร้าง")
        UPDATE = "update", _("แก้ไข")
        DELETE = "delete", _("ลบ")
        TRANSITION = "transition", _("เปลี่ยนสถานะ")

    class ObjectType(models.TextChoices):
        ASSESSMENT = "assessment", _("ผลการประเมิน")
        MEASURE = "measure", _("มาตรการ")
        PROGRESS = "progress", _("ความก้าวหน้า")
        MEMO = "memo", _("บันทึกข้อความ")
        MEMBERSHIP = "membership", _("บุคลากร")
        DEPARTMENT = "department", _("ส่วนราชการ")
        CHAIN = "chain", _("สายการพิจารณา")
        DOCUMENT_TEXT = "document_text", _("ข้อความในเอกสาร")
        OIT_ENTRY = "oit_entry", _("ข้อ OIT")
        OIT_EVIDENCE = "oit_evidence", _("หลักฐาน OIT")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("หน่วยงาน")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("ผู้ดำเนินการ"),
    )
    action = models.CharField(_("การดำเนินการ"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("ประเภทข้อมูล"), max_length=32, choices=ObjectType.choices)
    object_id = models.PositiveBigIntegerField(_("รหัสข้อมูล"))
    summary = models.CharField(_("สรุป"), max_length=500)
    before = models.JSONField(_("ก่อนแก้ไข"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("หลังแก้ไข"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("ประวัติการแก้ไข")
        verbose_name_plural = _("ประวัติการแก้ไข")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="agencies_audit_agency_time_idx"),
            # The default ordering: the admin's list reads the newest entries without sorting the trail.
            models.Index(fields=["-created_at", "-id"], name="agencies_audit_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["create", "update", "delete", "transition"]),
                name="%(app_label)s_%(class)s_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_object_type_display()} #{self.object_id}: {self.summary}"


class PasswordResetRequest(models.Model):
    """One password-reset request that sent mail, kept for the throttle (``agencies.accounts``): without it a
    script asks for a reset of every address it knows, or of one person's address again and again, and the
    application sends every mail. Rows older than the throttle's window are deleted as new requests come."""

    email = models.EmailField(_("อีเมล"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้ใช้"),
    )
    ip_address = models.GenericIPAddressField(_("ที่อยู่ไอพี"), null=True, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("คำขอตั้งรหัสผ่านใหม่")
        verbose_name_plural = _("คำขอตั้งรหัสผ่านใหม่")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.email}"
