"""Form pieces shared by every app: a date field that speaks the Buddhist era, and choices that say they are Thai.

Staff type dates the way they write them on paper, ``3/5/2564``. A browser's native
``<input type="date">`` shows CE years (and its display format follows the browser's locale, not
the page), so it cannot be the visible field; it is kept hidden and used only as a picker, and
``static/js/be-date.js`` copies the picked day back into the text field in BE.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from ita_tracker.templatetags.thai import _THAI_SCRIPT, _page_is_thai
from ita_tracker.thai import local_date, parse_be_date, to_be

__all__ = ["BEDateField", "BEDateInput", "mark_thai_choices"]


def _be_text(value: date) -> str:
    # Arabic digits whatever the page language: this is what people type back, and what
    # parse_be_date reads without surprises.
    return f"{value.day}/{value.month}/{to_be(value.year)}"


class BEDateInput(forms.TextInput):
    """A text input for d/m/yyyy (BE) with a calendar button beside it.

    The markup is a Bootstrap 5 ``input-group``: the text input, a visually hidden native date
    input the button opens, and the button. The script finds its parts through ``data-be-date*``
    attributes and delegated events, so widgets added later (formsets) work without set-up.
    """

    template_name = "ita_tracker/widgets/be_date.html"

    class Media:
        js = ["js/be-date.js"]

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults: dict[str, Any] = {
            "placeholder": "วว/ดด/ปปปป (พ.ศ.)",
            "inputmode": "numeric",
            # The browser's memory of earlier entries would offer CE dates from other sites.
            "autocomplete": "off",
            "data-be-date": True,
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        """Show a date in BE; show anything else (what the person typed) exactly as typed."""
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return _be_text(local_date(value))
        return str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        # Open the picker on the day already in the field, when there is a valid one.
        widget["native_value"] = self._native_value(value)
        # Crispy puts the error text after the whole input group, where Bootstrap's
        # ".is-invalid ~ .invalid-feedback" rule would not see an invalid input nested inside;
        # marking the group too keeps the message visible.
        widget_attrs = widget["attrs"]
        marked_invalid = "is-invalid" in str(widget_attrs.get("class", "")).split()
        widget["invalid"] = marked_invalid or widget_attrs.get("aria-invalid") in (True, "true")
        widget["locked"] = bool(widget_attrs.get("disabled") or widget_attrs.get("readonly"))
        return context

    @staticmethod
    def _native_value(value: Any) -> str:
        if isinstance(value, date):
            return local_date(value).isoformat()
        if isinstance(value, str) and value.strip():
            try:
                return parse_be_date(value).isoformat()
            except ValueError:
                return ""
        return ""


class BEDateField(forms.DateField):
    """A date field that reads BE dates (see ``parse_be_date``) and explains its refusals in Thai.

    Django's own DateField would read ``3/5/2564`` as the year 2564 CE, so parsing is replaced
    entirely rather than configured through ``input_formats``.
    """

    widget = BEDateInput
    default_error_messages = {
        "invalid": "กรุณาระบุวันที่ในรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 3/5/2564",
    }

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return local_date(value)
        if isinstance(value, date):
            return value
        try:
            return parse_be_date(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class ThaiChoicesMixin:
    """Choices whose label is Thai data (a department, a person, an indicator) marked ``lang="th"`` on a page in
    another language, as ``lang_th`` marks Thai data in templates: on the ``<option>``, or on the check box and
    its label. On Thai pages, and for labels without Thai letters, the choice is left as it is."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if _page_is_thai() or not _THAI_SCRIPT.search(str(label)):
            return option
        option["attrs"] = {**option["attrs"], "lang": "th"}
        if self.input_type in ("checkbox", "radio"):
            option["label"] = format_html('<span lang="th">{}</span>', label)
        return option


_THAI_CHOICE_WIDGETS: dict[type, type] = {}


def mark_thai_choices(*fields: forms.Field) -> None:
    """Make the choice widgets of these (bound form's) fields mark their Thai labels: ``ThaiChoicesMixin``."""
    for field in fields:
        base = type(field.widget)
        if issubclass(base, ThaiChoicesMixin):
            continue
        if base not in _THAI_CHOICE_WIDGETS:
            # The same name: crispy puts the widget's class name on it as a CSS class (``select``).
            _THAI_CHOICE_WIDGETS[base] = type(base.__name__, (ThaiChoicesMixin, base), {})
        field.widget.__class__ = _THAI_CHOICE_WIDGETS[base]
