"""Forms of the framework editor. They turn what the administrator typed into edition data in the shape of a
fixture file (:func:`assessments.editions.edition_to_data`); the checks that concern the whole edition (weights
adding up to 100, unknown tools, duplicates) are those of :mod:`assessments.frameworks`, run when saving."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.frameworks import CALENDAR_DATES
from assessments.models import Certainty, FrameworkEdition, Item, ResponsibleKind
from assessments.plain_renderer import RENDERER

# A blank first choice: an empty extra row then sends nothing but blanks and counts as unchanged (not as a row
# to validate and refuse).
BLANK = [("", "—")]
CERTAINTY_CHOICES = [*BLANK, *Certainty.choices]
SMALL = {"class": "form-control form-control-sm"}
SMALL_SELECT = {"class": "form-select form-select-sm"}


def _decimal(label, *, required=True, max_digits=5, decimal_places=2):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        max_digits=max_digits,
        decimal_places=decimal_places,
        widget=forms.TextInput(attrs={**SMALL, "inputmode": "decimal"}),
    )


class EditionForm(forms.ModelForm):
    """The edition's own fields and its calendar. ``version`` is the edition's version when the page was opened."""

    default_renderer = RENDERER
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = FrameworkEdition
        fields = [
            "name",
            "level_system",
            "national_average",
            "certainty",
            "notes",
            "registration_starts",
            "registration_ends",
            "registration_certainty",
            "oit_deadline",
            "oit_deadline_certainty",
            "survey_starts",
            "survey_ends",
            "survey_certainty",
            "results_date",
            "results_certainty",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
            **{
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in (
                    "registration_starts",
                    "registration_ends",
                    "oit_deadline",
                    "survey_starts",
                    "survey_ends",
                    "results_date",
                )
            },
        }

    def clean_notes(self):
        notes = self.cleaned_data["notes"]
        if len(notes) > 4000:
            raise forms.ValidationError(_("หมายเหตุยาวเกิน 4,000 ตัวอักษร"), code="too_long")
        return notes

    def to_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("name", "level_system", "national_average", "certainty")}
        data["notes"] = self.cleaned_data["notes"]
        data["calendar"] = {}
        for key, fields in CALENDAR_DATES.items():
            names = ("starts", "ends") if len(fields) == 2 else ("date",)
            entry = {name: self.cleaned_data[f] for f, name in zip(fields, names, strict=True)}
            entry["certainty"] = self.cleaned_data[f"{key}_certainty"]
            data["calendar"][key] = entry
        return data


class ToolForm(forms.Form):
    code = forms.CharField(label=_("รหัส"), max_length=3, widget=forms.TextInput(attrs={**SMALL, "size": 4}))
    name_th = forms.CharField(label=_("ชื่อภาษาไทย"), max_length=200, widget=forms.TextInput(attrs=SMALL))
    name_en = forms.CharField(
        label=_("ชื่อภาษาอังกฤษ"), max_length=200, required=False, widget=forms.TextInput(attrs=SMALL)
    )
    weight = _decimal(_("น้ำหนัก (ร้อยละ)"))
    certainty = forms.ChoiceField(
        label=_("ความแน่นอน"), choices=CERTAINTY_CHOICES, widget=forms.Select(attrs=SMALL_SELECT)
    )


class IndicatorForm(forms.Form):
    number = forms.IntegerField(label=_("ตัวชี้วัดที่"), min_value=1, max_value=99, widget=forms.NumberInput(attrs=SMALL))
    tool = forms.ChoiceField(label=_("เครื่องมือ"), widget=forms.Select(attrs=SMALL_SELECT))
    name_th = forms.CharField(label=_("ชื่อภาษาไทย"), max_length=200, widget=forms.TextInput(attrs=SMALL))
    name_en = forms.CharField(
        label=_("ชื่อภาษาอังกฤษ"), max_length=200, required=False, widget=forms.TextInput(attrs=SMALL)
    )
    aliases = forms.CharField(
        label=_("ชื่ออื่น (คั่นด้วย |)"), max_length=500, required=False, widget=forms.TextInput(attrs=SMALL)
    )
    weight = _decimal(_("น้ำหนักในเครื่องมือ (ร้อยละ)"), max_digits=6, decimal_places=3)
    certainty = forms.ChoiceField(
        label=_("ความแน่นอน"), choices=CERTAINTY_CHOICES, widget=forms.Select(attrs=SMALL_SELECT)
    )

    def __init__(self, *args, tool_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tool"].choices = [*BLANK, *((code, code) for code in tool_codes)]


class LevelForm(forms.Form):
    order = forms.IntegerField(
        label=_("ลำดับการตรวจ"), min_value=1, max_value=99, widget=forms.NumberInput(attrs=SMALL)
    )
    label = forms.CharField(label=_("ระดับ"), max_length=50, widget=forms.TextInput(attrs=SMALL))
    min_total = _decimal(_("คะแนนรวมขั้นต่ำ"))
    min_each_tool = _decimal(_("ขั้นต่ำทุกเครื่องมือ"), required=False)
    passes = forms.BooleanField(label=_("ผ่านเกณฑ์"), required=False)
    certainty = forms.ChoiceField(
        label=_("ความแน่นอน"), choices=CERTAINTY_CHOICES, widget=forms.Select(attrs=SMALL_SELECT)
    )


class ItemForm(forms.Form):
    code = forms.CharField(label=_("รหัสข้อ"), max_length=8, widget=forms.TextInput(attrs={**SMALL, "size": 5}))
    indicator = forms.TypedChoiceField(label=_("ตัวชี้วัด"), coerce=int, widget=forms.Select(attrs=SMALL_SELECT))
    title = forms.CharField(label=_("ข้อคำถาม"), max_length=500, required=False, widget=forms.TextInput(attrs=SMALL))
    sub_indicator = forms.CharField(
        label=_("ตัวชี้วัดย่อย"), max_length=100, required=False, widget=forms.TextInput(attrs=SMALL)
    )
    criteria = forms.CharField(
        label=_("เกณฑ์การพิจารณา"),
        max_length=Item._meta.get_field("criteria").max_length,
        required=False,
        widget=forms.Textarea(attrs={**SMALL, "rows": 2}),
    )
    responsible_kind = forms.ChoiceField(
        label=_("ส่วนราชการที่มักรับผิดชอบ"),
        choices=[("", "—"), *ResponsibleKind.choices],
        required=False,
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    certainty = forms.ChoiceField(
        label=_("ความแน่นอน"), choices=CERTAINTY_CHOICES, widget=forms.Select(attrs=SMALL_SELECT)
    )

    def __init__(self, *args, indicator_numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [*BLANK, *((n, n) for n in indicator_numbers)]


def _formset(form, extra: int, max_num: int):
    # The plain renderer writes the widgets without a template each (the items page has about 1,000 of them).
    return forms.formset_factory(
        form, extra=extra, can_delete=True, max_num=max_num, validate_max=True, renderer=RENDERER
    )


ToolFormSet = _formset(ToolForm, 1, 10)
IndicatorFormSet = _formset(IndicatorForm, 1, 30)
LevelFormSet = _formset(LevelForm, 1, 15)
# Eight inputs a row: 115 rows stay under Django's 1,000-field limit for one request (the largest year has 88).
ItemFormSet = _formset(ItemForm, 3, 115)


def rows(formset) -> list[dict]:
    """The rows kept: filled in and not marked for deletion, in the order shown."""
    kept = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue  # an empty extra row
        if form.cleaned_data.get("DELETE"):
            continue
        kept.append({k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
    return kept
