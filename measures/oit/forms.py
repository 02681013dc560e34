"""Forms of the OIT checklist. Each takes its context (the agency or the entry) and offers only legal choices;
the services check again when they act."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import FrameworkEdition
from ita_tracker.forms import BEDateField
from ita_tracker.thai import local_digits
from measures.oit.models import OitChecklist


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


class OpenForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=gettext_lazy("ปีงบประมาณ"), coerce=int)

    def __init__(self, agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(OitChecklist.objects.filter(agency=agency).values_list("edition__fiscal_year", flat=True))
        years = [
            y
            for y in FrameworkEdition.objects.filter(items__indicator__tool__code="OIT")
            .values_list("fiscal_year", flat=True)
            .distinct()
            .order_by("-fiscal_year")
            if y not in taken
        ]
        self.fields["fiscal_year"].choices = [(y, local_digits(y)) for y in years]
        self.helper = _helper()


class DueForm(forms.Form):
    due = BEDateField(label=gettext_lazy("กำหนดส่งของหน่วยงาน"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("ส่วนราชการที่รับผิดชอบ"), queryset=None, required=False, empty_label="—"
    )
    due = BEDateField(
        label=gettext_lazy("กำหนดส่งของข้อนี้"), required=False, help_text=gettext_lazy("ว่างไว้เพื่อใช้กำหนดส่งของทั้งรายการ")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, entry, *args, **kwargs):
        kwargs.setdefault("initial", {"department": entry.department_id, "due": entry.due, "version": entry.version})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = entry.checklist.agency.departments.order_by("order", "name")
        self.helper = _helper()


class EvidenceForm(forms.Form):
    """One piece of evidence: a file, or a link to the agency's website."""

    file = forms.FileField(label=gettext_lazy("ไฟล์หลักฐาน"), required=False)
    url = forms.CharField(
        label=gettext_lazy("หรือลิงก์หน้าเว็บไซต์ของหน่วยงาน"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    title = forms.CharField(label=gettext_lazy("คำอธิบาย"), required=False, max_length=300)
    standing = forms.BooleanField(label=gettext_lazy("ใช้ได้ต่อเนื่องทุกปี (เสนอให้ใช้อีกในปีถัดไป)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        has_file, has_url = bool(cleaned.get("file")), bool(cleaned.get("url", "").strip())
        if has_file == has_url:
            raise forms.ValidationError(_("แนบไฟล์หรือระบุลิงก์อย่างใดอย่างหนึ่ง"), code="file_or_link")
        return cleaned


class ReviewForm(forms.Form):
    PASS, RETURN = "pass", "return"

    decision = forms.ChoiceField(
        label=gettext_lazy("ผลการตรวจ"),
        widget=forms.RadioSelect,
        choices=[(PASS, gettext_lazy("ผ่านการตรวจ")), (RETURN, gettext_lazy("ส่งกลับแก้ไข"))],
    )
    comment = forms.CharField(
        label=gettext_lazy("ความเห็น"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("ระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ"))
        return cleaned
