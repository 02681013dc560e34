"""The foundation's tables: background jobs and in-app notifications. Neither knows which app uses it:
a job's kind and a notification's kind are names that the registering app chose."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_tracker.textlimits import text_limits


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

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]
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
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = text_limits(body=5_000)

    def __str__(self) -> str:
        return self.title
