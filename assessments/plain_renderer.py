"""A form renderer that writes the common widgets (inputs, selects, text areas, checkboxes) in Python.

The framework editor's item page has about 115 rows of eight fields: Django's template renderer includes one
template per widget and one more per ``<option>``, about 10,000 template renders a page (1.2 s of CPU per request
at the largest year). The HTML here is what Django's own widget templates write, character for character
(``django/forms/widgets/input.html``, ``attrs.html``, ``select.html``, ``select_option.html``, ``textarea.html``);
any other template (labels, errors, a form's own layout) goes to the template renderer as before."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "checkbox", "time")
}


def _attrs(attrs: dict) -> str:
    # As attrs.html: False leaves the attribute out, True writes its bare name, anything else str(value) escaped.
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _option(option: dict) -> str:
    label = conditional_escape(option["label"])
    return f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + _option(option) + "\n")  # select_option.html ends with a line break
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


WRITERS = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/textarea.html": _textarea,
    **dict.fromkeys(INPUTS, _input),
}


class PlainWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is None or "widget" not in context:
            return super().render(template_name, context, request=request)
        return mark_safe(writer(context["widget"]))


RENDERER = PlainWidgetRenderer()
