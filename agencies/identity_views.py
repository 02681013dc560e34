"""The person's own security page: set up an authenticator app (QR code), see how many recovery codes are
left, make new ones, or remove the authenticator. Every change asks for a current code (or the password for
the first set-up is the login itself)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies import identity
from ita_tracker.thai import local_digits


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("รหัสจากแอปยืนยันตัวตน"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@never_cache
def security(request):
    user = request.user
    pending = identity.pending_device(user)
    context = {
        "has_device": identity.has_identity_device(user),
        "codes_left": identity.recovery_codes_left(user),
        "pending": pending,
        "form": CodeForm(),
        "new_codes": request.session.pop("identity_new_codes", None),
        "required": any(identity.identity_required(m) for m in user.memberships.filter(is_active=True)),
    }
    if pending is not None:
        context["qr"] = identity.qr_svg(pending.config_url)
        context["secret"] = _base32(pending)
    return render(request, "agencies/security.html", context)


def _base32(device) -> str:
    import base64

    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@require_POST
def security_start(request):
    # Replacing a working authenticator needs a code from it (or a recovery code): a borrowed session alone
    # cannot move someone's identity to another phone.
    if identity.has_identity_device(request.user) and not _proved(request):
        return redirect("agencies:security")
    identity.totp_setup_start(user=request.user)
    return redirect("agencies:security")


@require_POST
def security_confirm(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = identity.totp_setup_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            request.session["identity_new_codes"] = codes
            messages.success(request, _("ตั้งค่าแอปยืนยันตัวตนแล้ว เก็บรหัสกู้คืนไว้ในที่ปลอดภัย"))
    else:
        messages.error(request, local_digits(_("กรอกรหัส ๖ หลักจากแอปยืนยันตัวตน")))
    return redirect("agencies:security")


def _proved(request) -> bool:
    form = CodeForm(request.POST)
    try:
        return form.is_valid() and bool(identity.identity_check(request.user, form.cleaned_data["code"]))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False


@require_POST
def security_recovery(request):
    if _proved(request):
        request.session["identity_new_codes"] = identity.recovery_codes_renew(user=request.user)
        messages.success(request, _("สร้างรหัสกู้คืนชุดใหม่แล้ว รหัสชุดเดิมใช้ไม่ได้อีก"))
    return redirect("agencies:security")


@require_POST
def security_remove(request):
    if _proved(request):
        identity.identity_remove(user=request.user)
        messages.success(request, _("ลบแอปยืนยันตัวตนออกจากบัญชีแล้ว"))
    return redirect("agencies:security")
