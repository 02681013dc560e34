"""The public verification page of a sealed memo: ``/verify/<code>/`` (issue 15).

Anyone holding a sealed memo — the PDF, or a printout with its QR code — can check it here without an account.
What the page shows is what that holder already has on the paper: the agency, the number (with its register
year), the date, the subject and each decision (typed name, position, acting, date and time, whether identity
was verified), plus the file's SHA-256, when and with which certificate it was sealed. It never shows the body,
the tables, the comments or the history, and it links to the file only when the agency has published the memo
(the public OIT page serves it). Everything comes from the snapshot frozen at sealing, never from live data.

Uploading a PDF compares its SHA-256 with the record: byte-identical or not. Uploads are refused above
``SEAL_VERIFY_MAX_BYTES`` (before Django reads the body) and above ``SEAL_VERIFY_PER_HOUR`` checks per client address
(``ita_tracker.clientip``) in the shared cache.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from agencies.middleware import digits_of
from ita_tracker.clientip import client_ip
from ita_tracker.thai import local_digits
from reports.models import SealedRecord
from reports.seal import normalise_code

METHODS = {
    "totp": gettext_lazy("ยืนยันตัวตนด้วยรหัสจากแอปยืนยันตัวตน"),
    "recovery": gettext_lazy("ยืนยันตัวตนด้วยรหัสกู้คืน"),
    "": gettext_lazy("ไม่ได้ยืนยันตัวตน"),
}


class LookupForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("รหัสตรวจสอบ"), max_length=20)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ไฟล์ PDF ที่ต้องการตรวจสอบ"))


@login_not_required
def verify_lookup(request):
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("verify:record", code=code)
        form.add_error("code", local_digits(_("รหัสตรวจสอบมี ๑๒ ตัวอักษร เช่น 7K3M-Q9TX-2WHP")))
    return render(request, "reports/verify_lookup.html", {"form": form})


def _decisions(snapshot: dict) -> list[dict]:
    return [
        {**d, "at": parse_datetime(d["at"]) if d.get("at") else None, "method": METHODS.get(d.get("identity", ""), "")}
        for d in snapshot.get("decisions", [])
        if d.get("at")
    ]


def _too_many(request) -> bool:
    """Counted per client address (behind a proxy, the trusted header's: ``ita_tracker.clientip``) in the shared
    cache, so every web worker and machine counts the same uploads. ``add`` then ``incr`` is atomic in Redis: two
    uploads at once cannot both read the count under the limit."""
    key = f"verify-upload:{client_ip(request) or ''}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, 3600)
        count = 1
    return count > settings.SEAL_VERIFY_PER_HOUR


def _check_upload(request, record: SealedRecord) -> tuple[bool | None, str]:
    """(identical?, message). ``None``: no answer (refused input)."""
    limit = settings.SEAL_VERIFY_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if _too_many(request):
        return None, _("ตรวจสอบไฟล์บ่อยเกินไป โปรดลองใหม่ในอีกหนึ่งชั่วโมง")
    if length > limit + 64 * 1024:
        return None, _("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": limit // (1024 * 1024)}
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return None, _("เลือกไฟล์ PDF ที่ต้องการตรวจสอบ")
    upload = form.cleaned_data["file"]
    if upload.size > limit:
        return None, _("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": limit // (1024 * 1024)}
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    if digest.hexdigest() == record.sha256:
        return True, _("ไฟล์นี้ตรงกับไฟล์ที่อนุมัติและประทับตราไว้ทุกไบต์")
    return False, _("ไฟล์นี้ไม่ตรงกับไฟล์ที่อนุมัติไว้ (ค่าแฮช %(hash)s) อาจถูกแก้ไขหรือเป็นไฟล์อื่น") % {"hash": digest.hexdigest()}


@login_not_required
@never_cache
def verify_record(request, code):
    record = get_object_or_404(
        SealedRecord.objects.select_related("memo__agency"), code=normalise_code(code), sealed_at__isnull=False
    )
    # The page of a sealed memo, which anyone may open, in the digits of the memo's agency.
    with digits_of(record.memo.agency):
        return _verify_page(request, record)


def _verify_page(request, record):
    result = message = None
    if request.method == "POST":
        result, message = _check_upload(request, record)
    snapshot = record.snapshot
    memo = record.memo
    published = memo.is_published and memo.fiscal_year is not None
    return render(
        request,
        "reports/verify.html",
        {
            "record": record,
            "snap": snapshot,
            "date": parse_date(snapshot["date"]) if snapshot.get("date") else None,
            "decisions": _decisions(snapshot),
            "memo": memo,
            "published": published,
            "result": result,
            "message": message,
            "form": UploadForm(),
            "max_mb": settings.SEAL_VERIFY_MAX_BYTES // (1024 * 1024),
        },
        status=400 if result is None and message else 200,
    )
