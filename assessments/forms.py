from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, FrameworkEdition, TargetBands
from ita_tracker.textlimits import limit_of
from ita_tracker.thai import arabic_digits, local_digits


class ScoreField(forms.DecimalField):
    """A score from 0 to 100 with at most two decimals. Its errors name the field, because the entry
    page has forty of them and "Enter a number" alone does not say which one is wrong."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            min_value=Decimal("0"),
            max_value=Decimal("100"),
            max_digits=5,
            decimal_places=2,
            **kwargs,
        )
        self.error_messages = {
            **self.error_messages,
            "invalid": _("%(label)s: “%%(value)s” ไม่ใช่ตัวเลข (ใช้ตัวเลข เช่น 85.50)") % {"label": label},
            "min_value": _("%(label)s: คะแนนต้องไม่ต่ำกว่า 0") % {"label": label},
            "max_value": _("%(label)s: คะแนนต้องไม่เกิน 100") % {"label": label},
            "max_decimal_places": _("%(label)s: ทศนิยมไม่เกิน 2 ตำแหน่ง") % {"label": label},
            "max_digits": _("%(label)s: คะแนนต้องอยู่ระหว่าง 0 ถึง 100") % {"label": label},
            "required": _("%(label)s: กรุณากรอกคะแนน") % {"label": label},
        }
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "class": "score-input"})

    def to_python(self, value):
        if isinstance(value, str):
            value = arabic_digits(value.strip())
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            if error.code == "invalid":
                raise forms.ValidationError(
                    self.error_messages["invalid"] % {"value": value}, code="invalid"
                ) from None
            raise


def indicator_field_name(number: int) -> str:
    return f"ind{number}"


def item_field_name(code: str) -> str:
    return f"item_{code}"


class AssessmentForm(forms.Form):
    """The scores of one agency-year, with a field per indicator and per item of that year's edition.
    ``version`` carries the assessment's version when the form was opened (0 for a new one), so a save over
    someone else's later save is refused (``assessments.services.StaleScores``)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    published_level = forms.ChoiceField(label=gettext_lazy("ระดับที่ประกาศ (ถ้ามี)"), required=False)
    note = forms.CharField(
        label=gettext_lazy("หมายเหตุ"),
        required=False,
        max_length=limit_of(Assessment, "note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, edition: FrameworkEdition, *args, assessment: Assessment | None = None, **kwargs):
        self.edition = edition
        self.assessment = assessment
        initial = kwargs.pop("initial", None) or {}
        initial["version"] = assessment.version if assessment is not None else 0
        if assessment is not None:
            initial.update(
                {
                    "published_total": assessment.published_total,
                    "published_level": assessment.published_level,
                    "note": assessment.note,
                }
            )
            for score in assessment.indicator_scores.all():
                initial[indicator_field_name(score.indicator.number)] = score.score
            for score in assessment.item_scores.all():
                initial[item_field_name(score.item.code)] = score.score
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["published_total"] = ScoreField(label=_("คะแนนรวมที่ประกาศ (ถ้ามี)"), required=False)
        self.fields["published_level"].choices = [("", "—")] + [
            (rule.label, rule.label) for rule in edition.level_rules.all()
        ]
        self.indicators = list(edition.indicators.all())
        self.items = list(edition.items.select_related("indicator"))
        for indicator in self.indicators:
            self.fields[indicator_field_name(indicator.number)] = ScoreField(
                label=_("ตัวชี้วัดที่ %(number)s %(name)s") % {"number": indicator.number, "name": indicator.name_th},
                required=False,
            )
        for item in self.items:
            self.fields[item_field_name(item.code)] = ScoreField(
                label=_("ข้อ %(code)s") % {"code": item.code}, required=False
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(indicator_field_name(i.number)) for i in self.indicators]
        if all(score is None for score in given) and cleaned.get("published_total") is None:
            raise forms.ValidationError(_("กรอกคะแนนรายตัวชี้วัด หรือคะแนนรวมที่ประกาศ อย่างน้อยอย่างใดอย่างหนึ่ง"), code="empty")
        if any(score is None for score in given) and any(score is not None for score in given):
            missing = [str(i.number) for i in self.indicators if cleaned.get(indicator_field_name(i.number)) is None]
            raise forms.ValidationError(
                _("กรอกคะแนนให้ครบทั้ง %(count)s ตัวชี้วัด (ยังขาดตัวชี้วัดที่ %(numbers)s) หรือเว้นว่างทั้งหมดเมื่อมีเพียงคะแนนรวม")
                % {"count": len(self.indicators), "numbers": ", ".join(missing)},
                code="incomplete",
            )
        return cleaned

    def expected_version(self) -> int:
        return self.cleaned_data.get("version") or 0

    def indicator_scores(self) -> dict[int, Decimal | None]:
        return {i.number: self.cleaned_data.get(indicator_field_name(i.number)) for i in self.indicators}

    def item_scores(self) -> dict[str, Decimal | None]:
        return {item.code: self.cleaned_data.get(item_field_name(item.code)) for item in self.items}

    def groups(self):
        """Fields grouped for the page: tool → indicator → its field and its items' fields."""
        items_by_indicator: dict[int, list] = {}
        for item in self.items:
            items_by_indicator.setdefault(item.indicator_id, []).append(self[item_field_name(item.code)])
        tools = []
        for tool in self.edition.tools.all():
            indicators = [
                {
                    "indicator": indicator,
                    "field": self[indicator_field_name(indicator.number)],
                    "items": items_by_indicator.get(indicator.pk, []),
                }
                for indicator in self.indicators
                if indicator.tool_id == tool.pk
            ]
            tools.append({"tool": tool, "indicators": indicators})
        return tools


class YearChoiceForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=gettext_lazy("ปีงบประมาณ"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(year, local_digits(year)) for year in years]


class TargetBandsForm(forms.ModelForm):
    class Meta:
        model = TargetBands
        fields = ["maintain_from", "raise_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        maintain, raise_ = cleaned.get("maintain_from"), cleaned.get("raise_from")
        if maintain is not None and raise_ is not None and raise_ > maintain:
            raise forms.ValidationError(_("เกณฑ์ “ยกระดับ” ต้องไม่สูงกว่าเกณฑ์ “รักษาระดับ”"), code="order")
        return cleaned
