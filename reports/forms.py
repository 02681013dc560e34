from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Membership
from ita_tracker.forms import BEDateField, mark_thai_choices
from ita_tracker.thai import in_local_digits, local_digits
from reports import kinds
from reports.models import ApprovalChain, Memo
from reports.services import single_line


def _members(agency: Agency):
    return Membership.objects.active().filter(agency=agency).select_related("user").order_by("user__first_name")


def _member_label(membership: Membership) -> str:
    return (
        f"{membership.display_name} ({membership.position_title})"
        if membership.position_title
        else membership.display_name
    )


class MemoStartForm(forms.Form):
    """What a memo is about; the rest is pre-filled from the data on the next page."""

    kind = forms.ChoiceField(label=gettext_lazy("ประเภทบันทึก"), choices=kinds.kind_choices)
    plan = forms.ModelChoiceField(label=gettext_lazy("แผนมาตรการ"), queryset=None, required=False)
    assessment = forms.ModelChoiceField(label=gettext_lazy("ผลการประเมิน"), queryset=None, required=False)
    department = forms.ModelChoiceField(label=gettext_lazy("ส่วนราชการเจ้าของเรื่อง"), queryset=None)
    chain = forms.ModelChoiceField(label=gettext_lazy("สายการพิจารณา"), queryset=None)
    subject = forms.CharField(
        label=gettext_lazy("เรื่อง"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("เว้นว่างเพื่อใช้เรื่องที่ระบบร่างให้ (บันทึกข้อความทั่วไปต้องระบุเรื่อง)"),
    )

    def __init__(self, agency: Agency, *args, membership: Membership | None = None, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = agency.measure_plans.order_by("-fiscal_year")
        self.fields["plan"].label_from_instance = lambda p: _("ปีงบประมาณ %(y)s") % {"y": local_digits(p.fiscal_year)}
        self.fields["assessment"].queryset = agency.assessments.select_related("edition").order_by(
            "-edition__fiscal_year"
        )
        self.fields["assessment"].label_from_instance = lambda a: (
            _("ผลการประเมินปี %(y)s") % {"y": local_digits(a.edition.fiscal_year)}
        )
        self.fields["department"].queryset = agency.departments.all()
        self.fields["chain"].queryset = agency.approval_chains.all()
        default_chain = agency.approval_chains.filter(is_default=True).first()
        if default_chain:
            self.fields["chain"].initial = default_chain.pk
        if membership is not None and membership.department_id:
            self.fields["department"].initial = membership.department_id
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_subject(self) -> str:
        return single_line(self.cleaned_data.get("subject", ""))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("kind"):
            return cleaned
        spec = kinds.kind(cleaned["kind"])
        missing = spec.missing_source(plan=cleaned.get("plan"), assessment=cleaned.get("assessment"))
        if missing:
            self.add_error(*missing)
            return cleaned
        defaults = spec.drafted(agency=self.agency, plan=cleaned.get("plan"), assessment=cleaned.get("assessment"))
        if cleaned.get("subject"):
            defaults["subject"] = cleaned["subject"]
        elif not defaults.get("subject"):
            self.add_error("subject", _("กรุณาระบุเรื่อง"))
        cleaned["defaults"] = defaults
        return cleaned


class MemoForm(forms.ModelForm):
    as_of = BEDateField(label=gettext_lazy("ข้อมูล ณ วันที่ (สำหรับรายงานผล)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Memo
        fields = [
            "department",
            "chain",
            "subject",
            "addressee",
            "via",
            "reference",
            "as_of",
            "body",
            "background",
            "facts",
            "considerations",
            "proposal",
            "closing",
            "author_name",
            "author_position",
        ]
        widgets = {
            "subject": forms.TextInput(),
            "reference": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "background": forms.Textarea(attrs={"rows": 3}),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "considerations": forms.Textarea(attrs={"rows": 3}),
            "proposal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, agency: Agency, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = agency.departments.all()
        self.fields["chain"].queryset = agency.approval_chains.all()
        self.fields["subject"].error_messages["required"] = _("กรุณาระบุเรื่อง")
        self.fields["addressee"].error_messages["required"] = _("กรุณาระบุผู้รับ (เรียน)")
        self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_subject(self) -> str:
        return single_line(self.cleaned_data.get("subject", ""))

    def clean(self):
        cleaned = super().clean()
        structured = any(cleaned.get(name) for name in ("background", "facts", "considerations", "proposal"))
        if not structured and not (cleaned.get("body") or "").strip():
            raise forms.ValidationError(
                _("กรอกข้อความ หรือกรอกแบบแยกหัวข้อ (เรื่องเดิม ข้อเท็จจริง ข้อพิจารณา ข้อเสนอ)"), code="empty"
            )
        return cleaned

    def memo_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DecisionForm(forms.Form):
    """The decisions this person may take at this step, and no others (as Oscar's ``OrderStatusForm``)."""

    decision = forms.ChoiceField(label=gettext_lazy("ผลการพิจารณา"), choices=(), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=gettext_lazy("ความเห็น"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    step = forms.IntegerField(widget=forms.HiddenInput)
    otp_code = forms.CharField(
        label=gettext_lazy("รหัสยืนยันตัวตน"),
        required=False,
        max_length=16,
        help_text=in_local_digits(gettext_lazy("รหัส ๖ หลักจากแอปยืนยันตัวตน (หรือรหัสกู้คืน) ยืนยันว่าผู้พิมพ์ชื่อคือท่าน")),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, allowed: list[str], ask_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(a, Memo.Action(a).label) for a in allowed]
        if allowed:
            self.fields["decision"].initial = allowed[0]
        if not ask_code:
            del self.fields["otp_code"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Memo.Action.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("ระบุสิ่งที่ต้องแก้ไขเมื่อส่งคืน"))
        return cleaned


class ReassignForm(forms.Form):
    """Give a step that has nobody left to decide it to another approver of the agency."""

    step = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ModelChoiceField(label=gettext_lazy("ผู้พิจารณาแทน"), queryset=None)

    def __init__(self, memo: Memo, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = _members(memo.agency).filter(is_approver=True).exclude(user_id=memo.author_id)
        self.fields["to"].label_from_instance = _member_label
        mark_thai_choices(self.fields["to"])
        self.fields["to"].widget.attrs["class"] = "form-select"


class ChainForm(forms.ModelForm):
    class Meta:
        model = ApprovalChain
        fields = ["name", "is_default", "allow_same_approver"]


class ChainStepForm(forms.Form):
    position_title = forms.CharField(label=gettext_lazy("ตำแหน่ง"), max_length=200)
    comment_label = forms.CharField(label=gettext_lazy("หัวข้อช่องความเห็น"), max_length=200, required=False)
    approvers = forms.ModelMultipleChoiceField(label=gettext_lazy("ผู้มีสิทธิ์พิจารณา"), queryset=None, required=False)
    acting_approvers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("ผู้รักษาราชการแทน"), queryset=None, required=False
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("approvers", "acting_approvers"):
            self.fields[name].queryset = _members(agency).filter(is_approver=True)
            self.fields[name].label_from_instance = _member_label
            self.fields[name].widget.attrs["size"] = 4
            mark_thai_choices(self.fields[name])


ChainStepFormSet = forms.formset_factory(ChainStepForm, extra=1, can_delete=True)


class MemoFilterForm(forms.Form):
    """The memo list's search and filters (GET): words in the subject or the text, the year of the number
    (พ.ศ.; a draft by its date), the kind and the state. Bad values are ignored, never an error page."""

    q = forms.CharField(label=gettext_lazy("ค้นหา"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=gettext_lazy("ปี พ.ศ."), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=gettext_lazy("ประเภท"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("สถานะ"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"class": "form-control", "placeholder": _("คำในเรื่องหรือข้อความ")})
        everything = [("", _("ทั้งหมด"))]
        self.fields["year"].choices = everything + [(y, local_digits(y)) for y in years]
        self.fields["kind"].choices = everything + list(kinds.kind_choices())
        self.fields["status"].choices = everything + list(Memo.Status.choices)
        for name in ("year", "kind", "status"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filter(self, memos):
        if not self.is_valid():
            return memos
        data = self.cleaned_data
        if data["q"]:
            memos = memos.filter(Q(subject__icontains=data["q"]) | Q(body__icontains=data["q"]))
        if data["year"]:
            ce = data["year"] - 543
            memos = memos.filter(
                Q(number_year=data["year"])
                | Q(number_year__isnull=True, date__year=ce)
                | Q(number_year__isnull=True, date__isnull=True, created_at__year=ce)
            )
        if data["kind"]:
            memos = memos.filter(kind=data["kind"])
        if data["status"]:
            memos = memos.filter(status=data["status"])
        return memos
