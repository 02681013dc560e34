"""The framework editor's forms write their widgets in Python (assessments.plain_renderer): the page must be the
same HTML Django's widget templates write, escaping, selected options, errors and check boxes included."""

from decimal import Decimal

from django import forms
from django.forms.renderers import DjangoTemplates

from assessments.editor_forms import EditionForm, IndicatorFormSet, ItemFormSet, LevelFormSet
from assessments.plain_renderer import RENDERER


def _both(make):
    """The same form rendered by Django's template renderer and by the plain one."""
    return str(make(DjangoTemplates())), str(make(RENDERER))


def test_item_rows_same_html_as_django_templates():
    initial = [
        {"code": 'i1"<x>', "indicator": 2, "title": "ข้อ <b>หนึ่ง</b> & 'สอง'", "criteria": "บรรทัด\n<เกณฑ์>"},
        {"code": "i2", "indicator": 1, "responsible_kind": "", "certainty": "confirmed"},
    ]

    def make(renderer):
        formset = ItemFormSet(prefix="items", initial=initial, form_kwargs={"indicator_numbers": [1, 2, 3]})
        formset.renderer = renderer
        for form in formset.forms:
            form.renderer = renderer
        return "".join(str(field) for form in formset.forms for field in form)

    django_html, plain_html = _both(make)
    assert 'value="2" selected' in plain_html
    assert "&lt;เกณฑ์&gt;" in plain_html
    assert plain_html == django_html


def test_bound_rows_with_errors_and_checkboxes_same_html():
    data = {
        "levels-TOTAL_FORMS": "2",
        "levels-INITIAL_FORMS": "0",
        "levels-0-order": "x",
        "levels-0-label": "A",
        "levels-0-min_total": "200",
        "levels-0-passes": "on",
        "levels-0-certainty": "nope",
        "levels-1-DELETE": "on",
    }

    def make(renderer):
        formset = LevelFormSet(data, prefix="levels")
        formset.is_valid()
        formset.renderer = renderer
        for form in formset.forms:
            form.renderer = renderer
        return "".join(str(field) for form in formset.forms for field in form)

    django_html, plain_html = _both(make)
    assert 'aria-invalid="true"' in plain_html
    assert "checked" in plain_html
    assert plain_html == django_html


def test_indicators_and_edition_form_same_html():
    def make(renderer):
        formset = IndicatorFormSet(
            prefix="indicators",
            initial=[{"number": 1, "tool": "IIT", "name_th": "ก", "weight": Decimal("12.500"), "aliases": "a|b"}],
            form_kwargs={"tool_codes": ["IIT", "EIT"]},
        )
        formset.renderer = renderer
        for form in formset.forms:
            form.renderer = renderer
        edition = EditionForm(initial={"version": 3, "notes": "<หมายเหตุ>"}, renderer=renderer)
        return "".join(str(f) for f in [*edition, *(field for form in formset.forms for field in form)])

    django_html, plain_html = _both(make)
    assert plain_html == django_html


def test_other_templates_go_to_the_template_renderer():
    class Radio(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    assert str(Radio(renderer=RENDERER)["pick"]) == str(Radio(renderer=DjangoTemplates())["pick"])
