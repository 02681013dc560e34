from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Membership
from assessments.models import FrameworkEdition
from ita_tracker.forms import BEDateField
from ita_tracker.textlimits import limit_of
from ita_tracker.thai import fiscal_year, fiscal_year_range
from measures.models import Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status
from measures.services import StepSpec


class PlanCreateForm(forms.Form):
    EMPTY, ANALYSIS, COPY = "empty", "analysis", "copy"

    fiscal_year = forms.TypedChoiceField(label=gettext_lazy("ปีงบประมาณ"), coerce=int)
    start_from = forms.ChoiceField(
        label=gettext_lazy("เริ่มจาก"),
        widget=forms.RadioSelect,
        choices=[
            (ANALYSIS, gettext_lazy("ร่างมาตรการจากผลการวิเคราะห์ปีก่อน (ตัวชี้วัดที่ต้องแก้ไขเร่งด่วนหรือยกระดับ)")),
            (COPY, gettext_lazy("คัดลอกจากแผนของปีก่อน")),
            (EMPTY, gettext_lazy("แผนว่าง")),
        ],
        initial=ANALYSIS,
    )
    copy_from = forms.ModelChoiceField(
        label=gettext_lazy("แผนที่จะคัดลอก"), queryset=MeasurePlan.objects.none(), required=False
    )

    def __init__(self, agency: Agency, *args, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        current = fiscal_year(timezone.localdate())
        taken = set(agency.measure_plans.values_list("fiscal_year", flat=True))
        years = [y for y in range(current - 3, current + 2) if y not in taken]
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in reversed(years)]
        self.fields["fiscal_year"].initial = current if current in years else None
        self.fields["copy_from"].queryset = agency.measure_plans.order_by("-fiscal_year")
        self.fields["copy_from"].label_from_instance = lambda plan: str(plan.fiscal_year)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_from") == self.COPY and not cleaned.get("copy_from"):
            self.add_error("copy_from", _("เลือกแผนที่จะคัดลอก"))
        return cleaned


class MeasureForm(forms.ModelForm):
    """A measure of a plan. ``version`` carries the version the form was opened at, so a save over
    someone else's newer change is refused instead of silently overwriting it."""

    starts = BEDateField(label=gettext_lazy("วันเริ่ม"))
    ends = BEDateField(label=gettext_lazy("วันสิ้นสุด"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "number",
            "title",
            "description",
            "departments",
            "all_departments",
            "responsible_people",
            "starts",
            "ends",
            "monitoring",
            "indicators",
            "budget",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "monitoring": forms.Textarea(attrs={"rows": 2}),
            "departments": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "responsible_people": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, plan: MeasurePlan, *args, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = plan.agency.departments.all()
        self.fields["responsible_people"].queryset = (
            Membership.objects.active().filter(agency=plan.agency).select_related("user")
        )
        self.fields["responsible_people"].label_from_instance = lambda m: f"{m.display_name} ({m.position_title})"
        edition = FrameworkEdition.objects.filter(fiscal_year=plan.fiscal_year).first() or (
            plan.assessment.edition if plan.assessment else None
        )
        indicators = edition.indicators.all() if edition else self.fields["indicators"].queryset.none()
        self.fields["indicators"].queryset = indicators
        self.fields["number"].required = False
        if not self.instance.pk:
            starts, ends = fiscal_year_range(plan.fiscal_year)
            self.initial.setdefault("starts", starts)
            self.initial.setdefault("ends", ends)
            self.initial.setdefault("monitoring", "รายงานความก้าวหน้าและสรุปผล ณ สิ้นปีงบประมาณ")
        else:
            self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        if not cleaned.get("all_departments") and not cleaned.get("departments"):
            self.add_error("departments", _("เลือกส่วนราชการที่รับผิดชอบ หรือเลือก “ทุกกอง”"))
        return cleaned

    def measure_fields(self) -> dict:
        names = ["title", "description", "all_departments", "starts", "ends", "monitoring", "budget"]
        data = {name: self.cleaned_data[name] for name in names}
        if self.cleaned_data.get("number"):
            data["number"] = self.cleaned_data["number"]
        return data


class StepForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("ขั้นตอน"),
        max_length=limit_of(MeasureStep, "title"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    department = forms.ModelChoiceField(label=gettext_lazy("ส่วนราชการ"), queryset=None, required=False)
    owner = forms.CharField(label=gettext_lazy("ผู้รับผิดชอบ (ข้อความ)"), required=False, max_length=200)
    starts = BEDateField(label=gettext_lazy("เริ่ม"), required=False)
    ends = BEDateField(label=gettext_lazy("สิ้นสุด"), required=False)
    completed_on = BEDateField(label=gettext_lazy("เสร็จเมื่อ"), required=False)

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = agency.departments.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts") and cleaned.get("ends") and cleaned["ends"] < cleaned["starts"]:
            self.add_error("ends", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        return cleaned

    def spec(self) -> StepSpec:
        data = self.cleaned_data
        return StepSpec(
            title=data["title"],
            department=data.get("department"),
            owner=data.get("owner", ""),
            starts=data.get("starts"),
            ends=data.get("ends"),
            completed_on=data.get("completed_on"),
        )


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


def step_specs(formset) -> list[StepSpec]:
    return [
        form.spec()
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def step_initial(measure: Measure) -> list[dict]:
    return [
        {
            "title": s.title,
            "department": s.department_id,
            "owner": s.owner,
            "starts": s.starts,
            "ends": s.ends,
            "completed_on": s.completed_on,
        }
        for s in measure.steps.all()
    ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    reported_on = BEDateField(label=gettext_lazy("ข้อมูล ณ วันที่"))
    status = forms.ChoiceField(label=gettext_lazy("สถานะ"), choices=Status.choices)
    percent = forms.IntegerField(label=gettext_lazy("ความก้าวหน้า (ร้อยละ)"), min_value=0, max_value=100)
    summary = forms.CharField(
        max_length=limit_of(ProgressUpdate, "summary"),
        label=gettext_lazy("สรุปผลการดำเนินงาน"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    outcome = forms.CharField(
        max_length=limit_of(ProgressUpdate, "outcome"),
        label=gettext_lazy("ผลลัพธ์/ความสำเร็จของการดำเนินการ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    obstacles = forms.CharField(
        max_length=limit_of(ProgressUpdate, "obstacles"),
        label=gettext_lazy("ปัญหาอุปสรรค"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    cancel_reason = forms.CharField(
        max_length=limit_of(ProgressUpdate, "cancel_reason"),
        label=gettext_lazy("เหตุผลที่ยกเลิก (เมื่อสถานะเป็นยกเลิก)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    files = MultipleFileField(
        label=gettext_lazy("ไฟล์หลักฐาน"),
        required=False,
        help_text=gettext_lazy("PDF รูปภาพ หรือเอกสาร Word/Excel/PowerPoint เลือกได้หลายไฟล์"),
    )
    links = forms.CharField(
        label=gettext_lazy("ลิงก์หลักฐาน"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://www.example.go.th/ita/o43 คำอธิบาย"}),
        help_text=gettext_lazy("บรรทัดละหนึ่งลิงก์ ตามด้วยคำอธิบาย (ถ้ามี) เช่น หน้าเว็บที่เผยแพร่เป็นหลักฐาน OIT"),
    )

    def __init__(self, measure: Measure, *args, **kwargs):
        self.measure = measure
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reported_on", timezone.localdate())
        self.initial.setdefault(
            "status", measure.status if measure.status != Status.NOT_STARTED else Status.IN_PROGRESS
        )
        self.initial.setdefault("percent", measure.percent)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_links(self) -> list[tuple[str, str]]:
        links = []
        validate = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            url, _sep, title = line.partition(" ")
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    _("บรรทัดที่ %(n)s: “%(url)s” ไม่ใช่ลิงก์ที่ถูกต้อง (ต้องขึ้นต้นด้วย http:// หรือ https://)")
                    % {"n": number, "url": url},
                    code="bad_link",
                ) from None
            links.append((url, title.strip()))
        return links

    def clean(self):
        cleaned = super().clean()
        status, percent = cleaned.get("status"), cleaned.get("percent")
        if status == Status.DONE and percent is not None and percent != 100:
            cleaned["percent"] = 100
        if status == Status.NOT_STARTED and percent:
            self.add_error("percent", _("มาตรการที่ยังไม่ดำเนินการต้องมีความก้าวหน้าร้อยละ 0"))
        if status == Status.CANCELLED and not cleaned.get("cancel_reason", "").strip():
            self.add_error("cancel_reason", _("ระบุเหตุผลที่ยกเลิกมาตรการ"))
        reported_on = cleaned.get("reported_on")
        if reported_on and reported_on > timezone.localdate():
            self.add_error("reported_on", _("วันที่รายงานต้องไม่เป็นวันในอนาคต"))
        return cleaned
