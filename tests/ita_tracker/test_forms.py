"""The Buddhist-era date field and widget, and the Thai template filters."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Engine
from django.utils import translation

from ita_tracker.forms import BEDateField, BEDateInput


@pytest.fixture(autouse=True)
def thai_language():
    with translation.override("th"):
        yield


class EventForm(forms.Form):
    held_on = BEDateField(label="วันที่จัด")
    follow_up = BEDateField(label="วันที่ติดตาม", required=False)


# --- BEDateField -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["3/5/2564", "03/05/2564", "๓/๕/๒๕๖๔", " 3-5-2564 "])
def test_field_cleans_be_dates(text):
    assert BEDateField().clean(text) == date(2021, 5, 3)


def test_field_accepts_date_objects_unchanged():
    field = BEDateField()
    assert field.clean(date(2021, 5, 3)) == date(2021, 5, 3)
    # An aware datetime becomes its day in Bangkok (20:00 UTC on 2 May is 3 May there).
    assert field.clean(datetime(2021, 5, 2, 20, 0, tzinfo=UTC)) == date(2021, 5, 3)


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("31/2/2564", "ไม่มีวันที่ 31"),
        ("3/5/2021", "พ.ศ."),
        ("abc", "รูปแบบ"),
        ("3/5/64", "2 หลัก"),
    ],
)
def test_field_refuses_bad_dates_with_the_reason(text, mentions):
    form = EventForm(data={"held_on": text})
    assert not form.is_valid()
    [error] = form.errors.as_data()["held_on"]
    assert error.code == "invalid"
    assert mentions in error.messages[0]


def test_field_ce_year_message_names_both_eras():
    form = EventForm(data={"held_on": "3/5/2021"})
    assert not form.is_valid()
    message = form.errors["held_on"][0]
    assert "ค.ศ." in message
    assert "พ.ศ. 2564" in message


def test_form_cleaned_data_and_optional_field():
    form = EventForm(data={"held_on": "3/5/2564", "follow_up": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"held_on": date(2021, 5, 3), "follow_up": None}


def test_required_field_left_empty():
    form = EventForm(data={"held_on": "  "})
    assert not form.is_valid()
    assert form.errors.as_data()["held_on"][0].code == "required"


def test_unchanged_initial_value_is_not_a_change():
    form = EventForm(data={"held_on": "3/5/2564"}, initial={"held_on": date(2021, 5, 3)})
    assert form.is_valid()
    assert not form.has_changed()


# --- BEDateInput -----------------------------------------------------------------------------


def test_widget_renders_be_value_and_picker():
    html = BEDateInput().render("held_on", date(2021, 5, 3), attrs={"id": "id_held_on"})
    assert 'value="3/5/2564"' in html
    assert 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in html
    assert 'inputmode="numeric"' in html
    assert "data-be-date" in html
    assert 'class="input-group' in html
    # The hidden native picker, opened on the same day in CE (what <input type="date"> needs).
    assert 'type="date"' in html
    assert 'value="2021-05-03"' in html
    assert 'aria-label="เลือกวันที่"' in html
    assert "data-be-date-button" in html
    assert "<script" not in html


def test_widget_uses_arabic_digits_even_when_documents_use_thai():
    html = BEDateInput().render("held_on", date(2021, 5, 3))
    assert 'value="3/5/2564"' in html
    assert "๒๕๖๔" not in html


def test_widget_empty_value():
    html = BEDateInput().render("held_on", None)
    assert 'name="held_on"' in html
    assert " value=" not in html


def test_widget_keeps_attrs_given_by_the_form():
    html = BEDateInput(attrs={"class": "form-control", "placeholder": "เช่น 3/5/2564"}).render("d", None)
    assert 'class="form-control"' in html
    assert 'placeholder="เช่น 3/5/2564"' in html


def test_bound_form_shows_what_was_typed_and_marks_the_group_invalid():
    form = EventForm(data={"held_on": "31/2/2564"})
    assert not form.is_valid()
    html = str(form["held_on"].as_widget(attrs={"class": "form-control is-invalid"}))
    assert 'value="31/2/2564"' in html
    assert "input-group be-date is-invalid" in html
    # An impossible date gives the native picker nothing to start from.
    assert 'type="date" class="visually-hidden" tabindex="-1" aria-hidden="true" data-be-date-native>' in html


def test_disabled_widget_disables_the_button():
    html = BEDateInput(attrs={"disabled": True}).render("d", date(2021, 5, 3))
    assert "data-be-date-button" in html
    assert html.count(" disabled") == 3


def test_widget_media_declares_the_script():
    assert "js/be-date.js" in str(EventForm().media)
    assert "js/be-date.js" in str(BEDateInput().media)


# --- Template filters ------------------------------------------------------------------------

# Settings register the filters as a builtin; an engine of our own keeps these tests about the
# filters, not about settings.
ENGINE = Engine(builtins=["ita_tracker.templatetags.thai"])


def render(source: str, **context) -> str:
    return ENGINE.from_string(source).render(Context(context))


def test_thai_date_filter():
    d = date(2021, 5, 3)
    assert render("{{ d|thai_date }}", d=d) == "๓ พฤษภาคม ๒๕๖๔"
    assert render('{{ d|thai_date:"short" }}', d=d) == "๓ พ.ค. ๖๔"
    assert render('{{ d|thai_date:"numeric" }}', d=d) == "๓/๕/๒๕๖๔"
    with translation.override("en"):
        assert render("{{ d|thai_date }}", d=d) == "3 May 2021"


def test_other_filters():
    start, end = date(2020, 10, 1), date(2021, 9, 30)
    assert render("{{ n|thai_digits }}", n=2564) == "๒๕๖๔"
    assert render("{{ d|be_year }}", d=start) == "2563"
    assert render("{{ y|be_year }}", y=2021) == "2564"
    assert render("{{ d|be_year|thai_digits }}", d=end) == "๒๕๖๔"
    assert render("{{ d|thai_month_year }}", d=start) == "ต.ค. ๖๓"
    assert render("{{ s|thai_period:e }}", s=start, e=end) == "ต.ค. ๖๓ – ก.ย. ๖๔"
    assert render("{{ s|thai_period:e }}", s=start, e=None) == "ต.ค. ๖๓"
    assert render("{{ s|thai_period:e }}", s=None, e=end) == "ก.ย. ๖๔"
    assert render("{{ d|fiscal_year }}", d=start) == "2564"
    assert render("{{ x|thai_number }}", x=Decimal("15642769.55")) == "๑๕,๖๔๒,๗๖๙.๕๕"
    assert render("{{ x|thai_number:0 }}", x=1234) == "๑,๒๓๔"


def test_filters_follow_digit_style():
    from ita_tracker.thai import digit_style

    with digit_style("arabic"):
        assert render("{{ d|thai_date }}", d=date(2021, 5, 3)) == "3 พฤษภาคม 2564"
        assert render("{{ x|thai_number }}", x=1234) == "1,234.00"


@pytest.mark.parametrize(
    "source",
    [
        "{{ v|thai_digits }}",
        "{{ v|be_year }}",
        "{{ v|thai_date }}",
        "{{ v|thai_month_year }}",
        "{{ v|thai_period:v }}",
        "{{ v|fiscal_year }}",
        "{{ v|thai_number }}",
    ],
)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_render_nothing_for_missing_values(source, value):
    assert render(source, v=value) == ""


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("{{ v|be_year }}", "ปีหน้า"),
        ("{{ v|thai_date }}", "2021-05-03"),
        ('{{ v|thai_date:"medium" }}', "2021-05-03"),
        ("{{ v|thai_month_year }}", 42),
        ("{{ v|thai_period }}", "ไม่ระบุ"),
        ("{{ v|fiscal_year }}", "ไม่ระบุ"),
        ("{{ v|thai_number }}", "ไม่ระบุ"),
        ('{{ v|thai_number:"x" }}', "12"),
    ],
)
def test_filters_hand_back_what_they_cannot_format(source, value):
    assert render(source, v=value) == str(value)


def test_bad_date_style_is_not_an_error():
    d = date(2021, 5, 3)
    # The date comes back as is and Django renders it the usual way.
    assert render('{{ d|thai_date:"medium" }}', d=d) == render("{{ d }}", d=d)


def test_filters_escape_what_they_hand_back():
    assert render("{{ v|thai_date }}", v="<b>") == "&lt;b&gt;"
