"""Server-rendered accessibility marks (issue 18) that need no browser: Thai data marked on English pages, the
skip link, the current menu item, selects with their own button, the shared error summary, the login error."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from ita_tracker.forms import mark_thai_choices
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_lang_th_marks_thai_text_only_on_pages_in_another_language():
    with translation.override("en"):
        assert render("{{ v|lang_th }}", v="เทศบาลตำบลบางปู") == '<span lang="th">เทศบาลตำบลบางปู</span>'
        assert render("{{ v|lang_th }}", v="Bangpu <b>") == "Bangpu &lt;b&gt;"  # no Thai letters: no mark
        assert (
            render("{{ v|lang_th }}", v="<script>ก</script>")
            == '<span lang="th">&lt;script&gt;ก&lt;/script&gt;</span>'
        )
        assert render("<td{% lang_th_attr %}>", v="") == '<td lang="th">'
        assert render("{{ v|lang_th }}", v=None) == ""
    with translation.override("th"):
        assert render("{{ v|lang_th }}", v="เทศบาลตำบลบางปู") == "เทศบาลตำบลบางปู"
        assert render("<td{% lang_th_attr %}>") == "<td>"


@pytest.fixture
def member(client):
    membership = MembershipFactory(agency=AgencyFactory(name="เทศบาลตำบลทดสอบ"))
    client.force_login(membership.user)
    return membership


def test_skip_link_comes_first_and_the_current_menu_item_is_marked(client, member):
    html = client.get(reverse("measures:index")).content.decode()
    body = html[html.index("<body") :]
    first_link = body[body.index("<a ") : body.index("</a>")]
    assert 'href="#main"' in first_link and "ข้ามไปยังเนื้อหาหลัก" in first_link
    assert 'id="main" tabindex="-1"' in html
    assert html.count('aria-current="page"') == 2  # the menu item and the breadcrumb
    assert f'aria-current="page" href="{reverse("measures:index")}"' in html


def test_language_select_has_a_button_and_does_not_submit_itself(client, member):
    html = client.get(reverse("dashboard")).content.decode()
    form = html[html.index('<form action="/i18n/setlang/"') :]
    form = form[: form.index("</form>")]
    assert "data-submit-on-enter" in form and "data-autosubmit" not in form
    assert '<button type="submit"' in form and "<noscript>" not in form


def test_english_dashboard_marks_the_agency_name_as_thai(client, member):
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    html = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="en" data-digits="arabic">' in html
    assert '<span lang="th">เทศบาลตำบลทดสอบ</span>' in html


def test_login_error_is_an_alert_that_both_fields_point_to(client):
    html = client.post(reverse("login"), {"username": "nobody", "password": "wrong"}).content.decode()
    assert 'role="alert" id="login-error"' in html
    assert html.count('aria-describedby="login-error"') == 2
    assert html.count('aria-invalid="true"') == 2


def test_password_change_error_summary_links_to_each_field(client, member):
    html = client.post(reverse("password_change"), {"old_password": "x"}).content.decode()
    assert "data-error-summary" in html and 'tabindex="-1"' in html
    assert '<a href="#id_old_password">' in html and '<a href="#id_new_password1">' in html


class _ChoiceForm(forms.Form):
    one = forms.ChoiceField(choices=[("a", "กองคลัง"), ("b", "Finance")])
    many = forms.MultipleChoiceField(choices=[("a", "กองคลัง"), ("b", "Finance")], widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_thai_choices(self.fields["one"], self.fields["many"])


def test_thai_choices_are_marked_only_on_pages_in_another_language():
    with translation.override("en"):
        form = _ChoiceForm()
        select, boxes = str(form["one"]), str(form["many"])
    assert '<option value="a" lang="th">กองคลัง</option>' in select
    assert '<option value="b">Finance</option>' in select
    assert '<span lang="th">กองคลัง</span></label>' in boxes and 'lang="th">Finance' not in boxes
    with translation.override("th"):
        form = _ChoiceForm()
        select, boxes = str(form["one"]), str(form["many"])
    assert 'lang="th"' not in select and 'lang="th"' not in boxes


def test_english_membership_page_marks_the_person_and_the_department_options_as_thai(client):
    admin = MembershipFactory(agency=AgencyFactory(name="เทศบาลตำบลทดสอบ"), is_agency_admin=True)
    other = MembershipFactory(agency=admin.agency)
    client.force_login(admin.user)
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    html = client.get(reverse("agencies:membership_edit", args=[admin.agency.pk, other.pk])).content.decode()
    assert f'<h1 class="page-title"><span lang="th">{other.display_name}</span></h1>' in html
    assert f'<option value="{other.department.pk}" selected lang="th">{other.department.name}</option>' in html
    assert 'class="select form-select"' in html  # the widget keeps its name, and crispy's class
