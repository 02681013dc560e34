"""The foundation's tables: background jobs and in-app notifications. Neither knows which app uses it:
a job's kind and a notification's kind are names that the registering app chose."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_tracker.textlimits import text_limits
from ita_tracker.thai import in_local_digits


class JobQuerySet(models.QuerySet):
    def expired(self, now=None):
        """Finished jobs older than ``JOBS_RESULT_TTL``: their results are no longer served and are deleted."""
        now = now or timezone.now()
        return self.filter(finished_at__lt=now - settings.JOBS_RESULT_TTL)


class Job(models.Model):
    """A background job started from a page: its progress is shown where it was started, and its result lands
    as a private download. What a kind does is registered by the app that owns it (``ita_tracker.jobs``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังทำงาน")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    kind = models.CharField(_("งาน"), max_length=50)
    params = models.JSONField(_("ค่าที่ใช้"), default=dict)
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (ร้อยละ)"), default=0)
    message = models.CharField(_("ข้อความ"), max_length=500, blank=True)
    result = models.FileField(_("ไฟล์ผลลัพธ์"), upload_to="jobs/%Y/%m/", blank=True, max_length=300)
    result_name = models.CharField(_("ชื่อไฟล์"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่ทำ"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("ผู้สั่ง")
    )
    created_at = models.DateTimeField(_("สั่งเมื่อ"), auto_now_add=True)
    started_at = models.DateTimeField(_("เริ่มเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)
    # A batch (ita_tracker.batches): the parent job shows the progress of its children, one job per agency, which
    # any number of workers take from the queue; the worker that finishes the last child assembles the result.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("ชุดงาน")
    )
    child_count = models.PositiveIntegerField(_("จำนวนงานย่อย"), default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="job_status_created"),
            models.Index(fields=["-created_at", "-id"], name="job_newest"),  # the default ordering
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="%(app_label)s_%(class)s_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        from ita_tracker.jobs import job_kind

        kind = job_kind(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def expires_at(self):
        return self.finished_at + settings.JOBS_RESULT_TTL if self.finished_at else None

    @property
    def is_expired(self) -> bool:
        return self.finished_at is not None and self.finished_at < timezone.now() - settings.JOBS_RESULT_TTL

    @property
    def is_stale(self) -> bool:
        """Queued or running for longer than any job may take: it will not finish (no worker, or it died
        more often than it is retried)."""
        if self.child_count:
            return False  # a batch finishes with its children, which are given up one by one
        limit = timedelta(seconds=settings.JOBS_GIVE_UP_AFTER)
        return not self.is_finished and self.created_at < timezone.now() - limit


class Notification(models.Model):
    """One message shown to one person inside the application (the in-app channel of ``ita_tracker.notify``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("ผู้รับ"),
    )
    kind = models.CharField(_("ประเภท"), max_length=50)
    title = models.CharField(_("เรื่อง"), max_length=200)
    body = models.TextField(_("ข้อความ"), max_length=5_000, blank=True)
    url = models.CharField(_("ลิงก์"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)
    # The person chose a daily digest for this kind: the day's digest mail carries it, then sets digested_at.
    in_digest = models.BooleanField(_("รวมในสรุปรายวัน"), default=False)
    digested_at = models.DateTimeField(_("ส่งสรุปเมื่อ"), null=True, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["-created_at", "-id"], name="notification_newest"),  # the default ordering
        ]
        constraints = text_limits(body=5_000)

    def __str__(self) -> str:
        return self.title


class Delivery(models.TextChoices):
    """How a person wants one kind of notification: the in-app row is kept for every choice but "off"."""

    NOW = "now", _("ในระบบและส่งทันที (อีเมล/LINE)")
    INAPP = "inapp", _("ในระบบเท่านั้น")
    DIGEST = "digest", _("ในระบบและสรุปทางอีเมลวันละครั้ง")
    OFF = "off", _("ไม่รับ")


class NotificationPreference(models.Model):
    """One person's choice for one registered kind (``ita_tracker.notify.register_kind``); no row means the
    kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("ผู้ใช้"),
    )
    kind = models.CharField(_("ประเภท"), max_length=50)
    delivery = models.CharField(_("วิธีรับ"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("การตั้งค่าการแจ้งเตือน")
        verbose_name_plural = _("การตั้งค่าการแจ้งเตือน")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class LineLink(models.Model):
    """A person's LINE user id (from the agency's LINE Official Account), used by the LINE channel."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link", verbose_name=_("ผู้ใช้")
    )
    line_user_id = models.CharField(
        _("LINE user ID"),
        max_length=40,
        validators=[
            RegexValidator(r"^U[0-9a-f]{32}$", in_local_digits(_("LINE user ID ขึ้นต้นด้วย U ตามด้วยเลขฐานสิบหก ๓๒ ตัว")))
        ],
    )

    class Meta:
        verbose_name = _("บัญชี LINE")
        verbose_name_plural = _("บัญชี LINE")

    def __str__(self) -> str:
        return self.line_user_id


class ReminderLog(models.Model):
    """One reminder sent to one person: the daily run skips what this log already holds, so running it twice
    a day (cron and beat, or a retry) sends nothing twice."""

    key = models.CharField(_("เรื่อง"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("ผู้รับ")
    )
    day = models.DateField(_("วันที่ส่ง"))

    class Meta:
        verbose_name = _("บันทึกการเตือน")
        verbose_name_plural = _("บันทึกการเตือน")
        constraints = [models.UniqueConstraint(fields=["key", "recipient", "day"], name="reminder_log_unique")]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient_id} ({self.day})"


class ApiToken(models.Model):
    """A person's key to the read-only API (``/api/v1/``): it sees exactly what the person sees on the pages.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is made
    (``ita_tracker.api_auth.api_token_create``, ``manage.py api_token``). A person may hold several (one per
    dashboard that reads the API) and revoke each; a deactivated person's keys stop working with them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("ผู้ใช้")
    )
    name = models.CharField(_("ใช้กับ"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("ขึ้นต้นด้วย"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("โทเค็น API")
        verbose_name_plural = _("โทเค็น API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
