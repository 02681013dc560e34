"""Every free text has a maximum in the form and in the database (issue 11, item 8).

The introspection tests walk every model of the project's apps: a TextField added later without a ``max_length``
and its ``<app>_<model>_<field>_max_length`` constraint fails here, which is the point.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from ita_tracker.textlimits import TextLengthConstraint, text_limits
from ita_tracker.thai import agency_digits
from measures.models import ProgressUpdate
from measures.services import progress_record
from reports.models import Memo, MemoEvent, MemoStep
from reports.services import chain_save, memo_create
from reports.workflow import memo_transition
from tests.factories import DepartmentFactory, MembershipFactory
from tests.measures.conftest import make_measure

PROJECT_APPS = ["agencies", "assessments", "measures", "reports", "ita_tracker"]
THAI = "สรุปผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรม"  # three bytes a character in UTF-8
KB300 = (THAI * 10_000)[:300_000]


def text(length: int) -> str:
    return (THAI * (length // len(THAI) + 1))[:length]


def text_fields(app_label: str):
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                yield model, field


def test_project_apps_are_all_checked():
    """The list above is every app of ours: a new app is walked too, not forgotten."""
    root = str(settings.BASE_DIR) + "/"
    ours = {
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(root) and ".venv" not in config.path
    }
    assert ours == set(PROJECT_APPS)


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_every_text_field_has_a_limit_in_form_and_database(app_label):
    fields = list(text_fields(app_label))
    assert fields  # every app of ours has free text today; the walk below must not pass on nothing
    for model, field in fields:
        where = f"{model._meta.label}.{field.name}"
        assert field.max_length, f"{where} has no max_length"
        assert field.formfield().widget.attrs.get("maxlength") == str(field.max_length), where
        name = f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_max_length"
        matching = [c for c in model._meta.constraints if c.name == name]
        assert matching, f"{where} has no constraint {name}"
        assert isinstance(matching[0], TextLengthConstraint)
        assert (matching[0].field, matching[0].limit) == (field.name, field.max_length), where


def test_the_longest_seed_paragraph_fits_every_long_text_field():
    """The limits leave room for what agencies really write: the seeds' longest paragraph is ~2,000 characters."""
    assert ProgressUpdate._meta.get_field("summary").max_length >= 4_000
    assert Memo._meta.get_field("body").max_length >= 10_000
    assert min(f.max_length for _m, f in text_fields("measures")) >= 1_000


# ---------------------------------------------------------------- the 300 KB progress summary


@pytest.fixture
def measure(agency_a):
    from measures.services import plan_create

    return make_measure(plan_create(agency=agency_a, fiscal_year=2564), all_departments=True)


def progress(**extra):
    return {"reported_on": "15/3/2564", "status": "in_progress", "percent": "40", "summary": "ร่างแล้ว", **extra}


@pytest.mark.django_db
def test_progress_form_refuses_300_kb_summary_in_thai(client, staff_a, measure):
    client.force_login(staff_a)
    url = reverse("measures:progress_create", args=[measure.pk])
    page = client.get(url).content.decode()
    assert 'maxlength="4000"' in page
    response = client.post(url, progress(summary=KB300))
    assert response.status_code == 200
    assert "ข้อความนี้ต้องมีไม่เกิน ๔๐๐๐ ตัวอักษร (ขณะนี้มี ๓๐๐๐๐๐ ตัวอักษร)" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    # At the limit it is taken, counted in characters (Thai is three bytes each in UTF-8).
    assert client.post(url, progress(summary=text(4_000))).status_code == 302
    assert len(ProgressUpdate.objects.get().summary) == 4_000


@pytest.mark.django_db
def test_database_refuses_300_kb_summary_saved_past_the_form(staff_a, measure):
    fields = {"measure": measure, "reported_on": date(2021, 3, 1), "status": "in_progress", "percent": 10}
    ProgressUpdate.objects.create(**fields, summary=text(4_000), created_by=staff_a)
    for summary in (text(4_001), KB300):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgressUpdate.objects.create(**fields, summary=summary, created_by=staff_a)
    assert ProgressUpdate.objects.count() == 1


@pytest.mark.django_db
def test_service_refuses_with_a_thai_message_naming_field_and_limit(staff_a, measure):
    with pytest.raises(ValidationError) as raised:
        progress_record(
            measure=measure, by=staff_a, reported_on=date(2021, 3, 1), status="in_progress", percent=40, summary=KB300
        )
    assert raised.value.message_dict == {"summary": ["สรุปผลการดำเนินงานยาวเกินกำหนด (ไม่เกิน ๔,๐๐๐ ตัวอักษร)"]}
    # In an agency that chose Arabic digits, the limit is written in them.
    with agency_digits(False), pytest.raises(ValidationError) as raised:
        progress_record(
            measure=measure, by=staff_a, reported_on=date(2021, 3, 1), status="in_progress", percent=40, summary=KB300
        )
    assert raised.value.message_dict == {"summary": ["สรุปผลการดำเนินงานยาวเกินกำหนด (ไม่เกิน 4,000 ตัวอักษร)"]}
    assert not ProgressUpdate.objects.exists()
    measure.refresh_from_db()
    assert measure.percent == 0


def test_the_constraint_message_is_english_in_english():
    from django.utils import translation

    constraint = TextLengthConstraint(field="summary", limit=4_000)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        constraint.validate(ProgressUpdate, ProgressUpdate(summary=text(4_001)))
    assert raised.value.message_dict == {"summary": ["Summary of work done is too long (at most 4,000 characters)"]}


def test_text_limits_names_each_constraint_after_its_field():
    assert [c.name for c in text_limits(summary=4, outcome=5)] == [
        "%(app_label)s_%(class)s_summary_max_length",
        "%(app_label)s_%(class)s_outcome_max_length",
    ]
    # Skipped for a field the caller excludes (as full_clean excludes fields that already failed).
    TextLengthConstraint(field="summary", limit=4).validate(
        ProgressUpdate, ProgressUpdate(summary="x" * 9), ["summary"]
    )


@pytest.mark.django_db
def test_a_long_decision_comment_is_refused_before_anything_moves(agency_a):
    office = DepartmentFactory(agency=agency_a, letter_code="ปน 1")
    head = MembershipFactory(agency=agency_a, department=office, is_approver=True, position_title="หัวหน้า")
    author = MembershipFactory(agency=agency_a, department=office, is_coordinator=True).user
    chain = chain_save(
        agency=agency_a, name="สาย", is_default=True, steps=[{"position_title": "หัวหน้า", "approvers": [head]}]
    )
    memo = memo_create(
        agency=agency_a,
        author=author,
        fields={
            "kind": "free",
            "department": office,
            "chain": chain,
            "subject": "เรื่อง",
            "addressee": "นายก",
            "body": "ก",
        },
    )
    memo = memo_transition(memo=memo, action="submit", by=author)
    events = MemoEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        memo_transition(memo=memo, action="return", by=head.user, step=1, comment=text(2_001))
    assert raised.value.message_dict == {"comment": ["ความเห็นยาวเกินกำหนด (ไม่เกิน ๒,๐๐๐ ตัวอักษร)"]}
    assert MemoEvent.objects.count() == events
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.PENDING
    assert MemoStep.objects.get(memo=memo, order=1).decision == ""
