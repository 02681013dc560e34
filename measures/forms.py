from __future__ import annotations

import re
from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Membership
from assessments.models import FrameworkEdition
from ita_tracker import clock
from ita_tracker.forms import BEDateField, mark_thai_choices
from ita_tracker.textlimits import limit_of
from ita_tracker.thai import fiscal_year, fiscal_year_range, in_local_digits, local_digits
from measures import permissions as access
from measures.models import AntiCorruptionDimension, Measure, MeasurePlan, MeasureStep, ProgressUpdate, Status
from measures.services import KEEP, MEASURE_FIELDS, StepSpec, status_from_steps


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
        current = fiscal_year(clock.today())
        taken = set(agency.measure_plans.values_list("fiscal_year", flat=True))
        years = [y for y in range(current - 3, current + 2) if y not in taken]
        self.fields["fiscal_year"].choices = [(y, local_digits(y)) for y in reversed(years)]
        self.fields["fiscal_year"].initial = current if current in years else None
        self.fields["copy_from"].queryset = agency.measure_plans.order_by("-fiscal_year")
        self.fields["copy_from"].label_from_instance = lambda plan: local_digits(plan.fiscal_year)
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
            "anticorruption_dimension",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "monitoring": forms.Textarea(attrs={"rows": 2}),
            "departments": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "responsible_people": forms.SelectMultiple(attrs={"size": 5}),
        }
        # The budget and dimension a measure carries as a project of the anti-corruption action plan (O23/O24).
        error_messages = {
            "budget": {
                "invalid": gettext_lazy("งบประมาณต้องเป็นตัวเลข (บาท)"),
                "min_value": gettext_lazy("งบประมาณต้องไม่ติดลบ"),
                "max_digits": gettext_lazy("งบประมาณมีจำนวนหลักมากเกินไป"),
                "max_decimal_places": in_local_digits(gettext_lazy("งบประมาณมีทศนิยมได้ไม่เกิน ๒ ตำแหน่ง")),
            },
        }

    def __init__(self, plan: MeasurePlan, *args, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = plan.agency.departments.all()
        self.fields["responsible_people"].queryset = access.staff_choices(plan.agency)
        self.fields["responsible_people"].label_from_instance = lambda m: f"{m.display_name} ({m.position_title})"
        edition = FrameworkEdition.objects.filter(fiscal_year=plan.fiscal_year).first() or (
            plan.assessment.edition if plan.assessment else None
        )
        indicators = edition.indicators.all() if edition else self.fields["indicators"].queryset.none()
        self.fields["indicators"].queryset = indicators
        mark_thai_choices(*(self.fields[name] for name in ("departments", "responsible_people", "indicators")))
        self.fields["number"].required = False
        self.fields["anticorruption_dimension"].choices = [
            ("", gettext_lazy("— ไม่อยู่ในแผนปฏิบัติการป้องกันการทุจริต —")),
            *AntiCorruptionDimension.choices,
        ]
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
        # The fields the service saves and audits, but the number: it is kept unless the form gives one.
        data = {name: self.cleaned_data[name] for name in MEASURE_FIELDS if name != "number"}
        if self.cleaned_data.get("number"):
            data["number"] = self.cleaned_data["number"]
        return data


class StepForm(forms.Form):
    """One step of the inline formset: its owner is a division of the agency, one of its staff and/or a unit
    named in words (a section inside a division, "งานนิติการ", as seed 004's plan names them)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=gettext_lazy("ขั้นตอน"),
        max_length=limit_of(MeasureStep, "title"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    department = forms.ModelChoiceField(label=gettext_lazy("ส่วนราชการ"), queryset=None, required=False)
    owner_person = forms.ModelChoiceField(label=gettext_lazy("ผู้รับผิดชอบ"), queryset=None, required=False)
    owner = forms.CharField(
        label=gettext_lazy("งานที่รับผิดชอบ (พิมพ์เอง)"),
        max_length=limit_of(MeasureStep, "owner"),
        required=False,
        help_text=gettext_lazy("เช่น งานธุรการ งานนิติการ เมื่อไม่ใช่ส่วนราชการในรายการ"),
    )
    starts = BEDateField(label=gettext_lazy("เริ่ม"), required=False)
    ends = BEDateField(label=gettext_lazy("สิ้นสุด"), required=False)

    method = forms.TypedChoiceField(label=gettext_lazy("วิธีการที่"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, agency: Agency, methods: Sequence[str] = (), **kwargs):
        """``methods``: the measure's methods (``Measure.methods``, the description's paragraphs). The
        choice of method is offered only when there are two or more; without it the step keeps its own."""
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = agency.departments.all()
        self.fields["owner_person"].queryset = access.staff_choices(agency)
        self.fields["owner_person"].label_from_instance = _person_label
        mark_thai_choices(self.fields["department"], self.fields["owner_person"])
        if len(methods) < 2:
            del self.fields["method"]
            return
        field = self.fields["method"]
        field.choices = [
            ("", in_local_digits(gettext_lazy("— ไม่ระบุ (นับเป็นวิธีการที่ ๑) —"))),
            *((n, method_label(n, text)) for n, text in enumerate(methods, start=1)),
        ]
        field.error_messages["invalid_choice"] = _(
            "วิธีการที่: เลือกวิธีการที่ %(first)s–%(count)s ตามย่อหน้าของขั้นตอนหรือวิธีการ (สรุป)"
        ) % {"first": local_digits(1), "count": local_digits(len(methods))}
        mark_thai_choices(field)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts") and cleaned.get("ends") and cleaned["ends"] < cleaned["starts"]:
            self.add_error("ends", _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
        if cleaned.get("title") and not cleaned.get("DELETE"):
            if not any(cleaned.get(name) for name in ("department", "owner_person", "owner")):
                self.add_error("department", _("เลือกส่วนราชการหรือผู้รับผิดชอบ หรือพิมพ์งานที่รับผิดชอบของขั้นตอน"))
        return cleaned

    def spec(self) -> StepSpec:
        data = self.cleaned_data
        return StepSpec(
            title=data["title"],
            department=data.get("department"),
            owner_person=data.get("owner_person"),
            owner=data.get("owner", "").strip(),
            starts=data.get("starts"),
            ends=data.get("ends"),
            pk=data.get("id"),
            method=data.get("method") if "method" in self.fields else KEEP,
        )


METHOD_LABEL_LENGTH = 60


def method_label(number: int, text: str) -> str:
    """A method as the step form offers it: its number and the start of its paragraph, without the
    paragraph's bullet mark, in the page's digits."""
    start = " ".join(text.split()).lstrip("-•–*·■□▪●◦ ")
    if len(start) > METHOD_LABEL_LENGTH:
        start = start[:METHOD_LABEL_LENGTH].rstrip() + "…"
    return local_digits(f"{number}. {start}")


def _person_label(membership: Membership) -> str:
    where = f" – {membership.department.name}" if membership.department_id else ""
    return f"{membership.display_name} ({membership.position_title}){where}"


# A measure without steps may be saved while it is drafted; the plan memo refuses to go out with one
# (reports.kinds.plan.PlanApproval.check_submit).
StepFormSet = forms.formset_factory(StepForm, extra=3, can_delete=True, can_order=True, max_num=40, validate_max=True)


def step_specs(formset) -> list[StepSpec]:
    """The kept steps in the order the coordinator numbered them (blank rows and removed ones left out)."""
    kept = [
        form
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    position = {id(form): index for index, form in enumerate(kept)}
    kept.sort(key=lambda f: (f.cleaned_data.get("ORDER") or 10_000, position[id(f)]))
    return [form.spec() for form in kept]


def step_initial(measure: Measure) -> list[dict]:
    return [
        {
            "id": s.pk,
            "title": s.title,
            "department": s.department_id,
            "owner_person": s.owner_person_id,
            "owner": s.owner,
            "starts": s.starts,
            "ends": s.ends,
            "method": s.method,
            "ORDER": s.order,
        }
        for s in measure.steps.all()
    ]


MAX_STEP_FILES = 10


class StepDoneForm(forms.Form):
    """Tick a step done: the day, a note, and evidence (files or links)."""

    completed_on = BEDateField(label=gettext_lazy("เสร็จเมื่อ"))
    note = forms.CharField(
        label=gettext_lazy("บันทึก"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("completed_on", timezone.localdate())
        self.fields["files"] = MultipleFileField(
            label=gettext_lazy("หลักฐาน (ไฟล์หรือรูปถ่าย)"),
            required=False,
            widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf,.doc,.docx,.xls,.xlsx"}),
        )
        self.fields["links"] = forms.CharField(
            label=gettext_lazy("ลิงก์หลักฐาน"), required=False, widget=forms.Textarea(attrs={"rows": 1}), max_length=4000
        )

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("วันที่เสร็จต้องไม่เป็นวันในอนาคต"), code="future")
        return day

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_STEP_FILES:
            raise ValidationError(_("แนบไฟล์ได้ไม่เกิน %(n)s ไฟล์ต่อขั้นตอน") % {"n": MAX_STEP_FILES}, code="too_many_files")
        return files

    def clean_links(self):
        return parse_links(self.cleaned_data["links"])


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
    by_hand = forms.BooleanField(label=gettext_lazy("กำหนดสถานะเอง (ไม่คำนวณจากขั้นตอนที่เสร็จ)"), required=False)
    status_reason = forms.CharField(
        label=gettext_lazy("เหตุผลที่กำหนดสถานะเอง"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    # On a phone this opens the camera (capture="environment"); the photo joins the other evidence files.
    photo = forms.FileField(
        label=gettext_lazy("ถ่ายภาพหลักฐาน"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=gettext_lazy("บนโทรศัพท์จะเปิดกล้องถ่ายรูปได้ทันที"),
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
        self.initial.setdefault("by_hand", measure.status_by_hand)
        self.initial.setdefault("status_reason", measure.status_reason)
        # Read once: the help below and the check in clean() both need them.
        self.steps = list(measure.steps.order_by("order").only("order", "title", "completed_on"))
        if self.steps:
            # Without the hand setting the next tick recomputes status and percent from the steps
            # (services.step_complete), so say now what the steps make, not after a silent change.
            done = sum(step.completed_on is not None for step in self.steps)
            _status, percent = status_from_steps(done, len(self.steps))
            self.fields["by_hand"].help_text = _(
                "ขณะนี้ขั้นตอนเสร็จ %(done)s จาก %(total)s ขั้นตอน (ร้อยละ %(percent)s) ถ้าไม่เลือก "
                "สถานะและร้อยละจะคำนวณจากขั้นตอนใหม่เมื่อบันทึกขั้นตอนถัดไปว่าเสร็จ"
            ) % {"done": local_digits(done), "total": local_digits(len(self.steps)), "percent": local_digits(percent)}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_links(self) -> list[tuple[str, str]]:
        return parse_links(self.cleaned_data["links"])

    def clean(self):
        cleaned = super().clean()
        status, percent = cleaned.get("status"), cleaned.get("percent")
        # Refused rather than quietly made 100 (the database's done_is_100 rule): the page must never show
        # a percent other than the one typed.
        if status == Status.DONE and percent is not None and percent != 100:
            self.add_error(
                "percent",
                ValidationError(
                    _(
                        "สถานะ “ดำเนินการเสร็จเรียบร้อยแล้ว” ต้องมีความก้าวหน้าร้อยละ %(full)s "
                        "แก้ร้อยละเป็น %(full)s หรือเลือกสถานะ “อยู่ระหว่างดำเนินการ”"
                    )
                    % {"full": local_digits(100)},
                    code="done_not_full",
                ),
            )
        if status == Status.DONE and not cleaned.get("by_hand"):
            self._check_steps_done()
        if status == Status.NOT_STARTED and percent:
            self.add_error("percent", _("มาตรการที่ยังไม่ดำเนินการต้องมีความก้าวหน้าร้อยละ 0"))
        if status == Status.CANCELLED and not cleaned.get("cancel_reason", "").strip():
            self.add_error("cancel_reason", _("ระบุเหตุผลที่ยกเลิกมาตรการ"))
        if cleaned.get("by_hand") and not cleaned.get("status_reason", "").strip():
            self.add_error("status_reason", _("ระบุเหตุผลที่กำหนดสถานะเองแทนการคำนวณจากขั้นตอน"))
        reported_on = cleaned.get("reported_on")
        if reported_on and reported_on > timezone.localdate():
            self.add_error("reported_on", _("วันที่รายงานต้องไม่เป็นวันในอนาคต"))
        if cleaned.get("photo"):
            cleaned["files"] = [*cleaned.get("files", []), cleaned["photo"]]
        return cleaned

    def _check_steps_done(self) -> None:
        """A status that follows the steps cannot be done while a step is open: the plan, the memo and the
        province tables would report the measure finished, and the next tick would quietly take it back."""
        open_steps = [step for step in self.steps if step.completed_on is None]
        if not open_steps:
            return
        names = ", ".join(_step_name(step) for step in open_steps)
        self.add_error(
            "status",
            ValidationError(
                _("ยังมีขั้นตอนที่ยังไม่เสร็จ: %(steps)s — บันทึกขั้นตอนให้เสร็จก่อน หรือเลือก “กำหนดสถานะเอง” พร้อมเหตุผล")
                % {"steps": names},
                code="steps_open",
            ),
        )


# A step titled only by its number (the demo's "ขั้นตอนที่ ๑") needs no title after its number.
BARE_STEP_TITLE = re.compile(r"ขั้นตอนที่\s*[0-9๐-๙]+")


def _step_name(step: MeasureStep) -> str:
    """ "ขั้นตอนที่ ๒ “title”", the number as the measure's page lists the steps; the title cut short."""
    if BARE_STEP_TITLE.fullmatch(step.title.strip()):
        return _("ขั้นตอนที่ %(n)s") % {"n": local_digits(step.order)}
    return _("ขั้นตอนที่ %(n)s “%(title)s”") % {"n": local_digits(step.order), "title": Truncator(step.title).chars(60)}


def parse_links(text: str) -> list[tuple[str, str]]:
    """One link a line, then its description: [(url, description)], or a Thai error naming the line."""
    links = []
    validate = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(text.splitlines(), start=1):
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
