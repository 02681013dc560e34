"""Verified identity at the moment of decision (ระเบียบงานสารบรรณ ฉบับที่ 4: a typed name counts where the
system verifies who typed it).

A person proves who they are with a second factor from django-otp: a TOTP authenticator app
(``otp_totp.TOTPDevice``), with ten single-use recovery codes (``otp_static.StaticDevice``) for a lost phone.
They set it up from their own security page (``agencies:security``). An agency may require it of its approvers
and coordinators (``Agency.require_verified_identity``); elsewhere a decision without it is still recorded,
and the document says it was not identity-verified.

Codes are checked outside the memo's transaction (:func:`identity_check`), so django-otp's failure throttle,
which it saves on the device, is not rolled back with a refused decision.
"""

from __future__ import annotations

import io
import secrets

import qrcode
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ita_tracker.thai import local_digits

TOTP = "totp"
RECOVERY = "recovery"
METHOD_LABELS = {TOTP: "รหัสจากแอปยืนยันตัวตน (TOTP)", RECOVERY: "รหัสกู้คืน"}
RECOVERY_CODES = 10
DEVICE_NAME = "ITA Tracker"


def has_identity_device(user) -> bool:
    """Whether this person has a confirmed authenticator (the decision form then asks for a code)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def identity_required(membership) -> bool:
    """Whether the agency asks this member for a verified identity at every decision."""
    if membership is None or not membership.agency.require_verified_identity:
        return False
    return bool(membership.is_approver or membership.is_coordinator)


def identity_check(user, code: str) -> str:
    """The method that proved who ``user`` is with ``code`` ("totp" or "recovery"), or "" when the person has no
    authenticator and gave no code. Raises ``ValidationError`` (Thai) for a missing or wrong code: somebody
    with an authenticator always confirms with it."""
    code = "".join((code or "").split())
    if not has_identity_device(user):
        if code:
            raise ValidationError(_("ยังไม่ได้ตั้งค่าแอปยืนยันตัวตน ตั้งค่าได้ที่หน้าความปลอดภัยของบัญชี"), code="no_device")
        return ""
    if not code:
        raise ValidationError(
            local_digits(_("กรอกรหัส ๖ หลักจากแอปยืนยันตัวตน (หรือรหัสกู้คืน) เพื่อยืนยันตัวตน")), code="otp_missing"
        )
    if len(code) > 16:
        raise ValidationError(_("รหัสยืนยันตัวตนไม่ถูกต้อง"), code="otp_wrong")
    # Six digits are an app's code, anything else a recovery code: each try counts against one device only.
    if code.isdigit() and len(code) == 6:
        if any(d.verify_token(code) for d in TOTPDevice.objects.filter(user=user, confirmed=True)):
            return TOTP
    elif any(d.verify_token(code.lower()) for d in StaticDevice.objects.filter(user=user, confirmed=True)):
        return RECOVERY
    raise ValidationError(
        _("รหัสยืนยันตัวตนไม่ถูกต้องหรือหมดอายุแล้ว ลองรหัสใหม่จากแอป (ถ้าผิดหลายครั้ง ต้องรอสักครู่)"), code="otp_wrong"
    )


# ---------------------------------------------------------------- setting up (the person's own page)


def totp_setup_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (an earlier unconfirmed one is replaced). It counts only
    once the person has typed a code from it (:func:`totp_setup_confirm`)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def totp_setup_confirm(*, user, code: str) -> list[str]:
    """Confirm the pending authenticator with a code it shows; replaces any earlier one and returns a fresh set
    of recovery codes (shown once)."""
    device = pending_device(user)
    if device is None:
        raise ValidationError(_("เริ่มตั้งค่าแอปยืนยันตัวตนใหม่อีกครั้ง"), code="no_pending")
    code = "".join((code or "").split())
    if not code.isdigit() or not device.verify_token(code):
        raise ValidationError({"code": local_digits(_("รหัสไม่ถูกต้อง ตรวจเวลาในโทรศัพท์แล้วกรอกรหัส ๖ หลักที่แสดงอยู่ตอนนี้"))})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return recovery_codes_renew(user=user)


def recovery_codes_renew(*, user) -> list[str]:
    """Ten new single-use recovery codes (the old ones stop working)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=_("รหัสกู้คืน"), confirmed=True)
        codes = [secrets.token_hex(4) for _i in range(RECOVERY_CODES)]  # 8 hex characters: never six digits
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def identity_remove(*, user) -> None:
    """Remove the person's authenticator and recovery codes (after they proved it is them)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def qr_svg(text: str) -> str:
    """An inline SVG QR code (no CDN, no image file): for the authenticator's otpauth:// address and for the
    verification link printed on sealed memos."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
