"""The memo edit page's สิ่งที่ส่งมาด้วย panel: attach a plan's results report or upload a PDF, or remove one.
Only the author of an editable memo may (checked again by the services, under the memo's lock)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ita_tracker.thai import local_digits
from measures.models import MeasurePlan
from reports import attachments, permissions
from reports.models import InvalidTransition, Memo, MemoAttachment


class AttachmentForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=gettext_lazy("รายงานผลการดำเนินการของแผน (ระบบจัดทำ)"), queryset=MeasurePlan.objects.none(), required=False
    )
    file = forms.FileField(label=gettext_lazy("หรืออัปโหลดไฟล์ PDF"), required=False)
    title = forms.CharField(label=gettext_lazy("ชื่อเอกสาร (สำหรับไฟล์ที่อัปโหลด)"), max_length=300, required=False)

    def __init__(self, agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = agency.measure_plans.order_by("-fiscal_year")
        self.fields["plan"].label_from_instance = lambda p: _("ปีงบประมาณ %(y)s") % {"y": local_digits(p.fiscal_year)}

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("plan")) == bool(cleaned.get("file")):
            raise forms.ValidationError(_("เลือกรายงานผลของแผน หรืออัปโหลดไฟล์ PDF อย่างใดอย่างหนึ่ง"), code="one")
        return cleaned


def _own_memo(request, pk) -> Memo:
    memo = get_object_or_404(Memo.objects.visible_to(request.user), pk=pk)
    if not permissions.may_edit(request.user, memo):
        raise PermissionDenied("only the author edits an editable memo")
    return memo


@require_POST
def attachment_add(request, pk):
    memo = _own_memo(request, pk)
    form = AttachmentForm(memo.agency, request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        if form.cleaned_data["plan"]:
            attachments.attachment_add_results(memo=memo, plan=form.cleaned_data["plan"], by=request.user)
        else:
            attachments.attachment_add_upload(
                memo=memo, upload=form.cleaned_data["file"], title=form.cleaned_data["title"], by=request.user
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("แนบเอกสารแล้ว"))
    return redirect("reports:memo_edit", pk=memo.pk)


@require_POST
def attachment_remove(request, pk, attachment_pk):
    memo = _own_memo(request, pk)
    attachment = get_object_or_404(MemoAttachment, memo=memo, pk=attachment_pk)
    try:
        attachments.attachment_remove(attachment=attachment, by=request.user)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("นำเอกสารแนบออกแล้ว"))
    return redirect("reports:memo_edit", pk=memo.pk)
