"""The demo's OIT checklists: this fiscal year's list for every seed agency, items in every state, loaded once."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ita_tracker.thai import fiscal_year
from measures.oit.models import OitChecklist, OitEntry, OitEvidence, OitState

pytestmark = pytest.mark.django_db


def test_the_demo_has_this_years_checklists_with_items_in_every_state(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    year = fiscal_year(timezone.localdate())
    assert "Demo OIT: 5 checklists" in out.getvalue()
    checklists = OitChecklist.objects.filter(edition__fiscal_year=year)
    assert sorted(c.agency.code for c in checklists) == ["bangkao", "bangpu", "chorakha", "nongsamet", "satengnok"]
    bangpu = checklists.get(agency__code="bangpu")
    states = set(OitEntry.objects.filter(checklist=bangpu).values_list("state", flat=True))
    assert states == set(OitState.values)
    assert OitEvidence.objects.filter(entry__checklist=bangpu, standing=True, kind="file").count() == 1
    sent_back = OitEntry.objects.filter(checklist=bangpu, state=OitState.NEEDS_FIX).first()
    assert sent_back.review_comment
    public = client.get(reverse("oit_public:list", args=["bangpu", year]))
    assert len(public.context["entries"]) == 10
    call_command("load_demo", stdout=io.StringIO())
    assert OitChecklist.objects.filter(edition__fiscal_year=year).count() == 5
    assert OitEvidence.objects.filter(entry__checklist=bangpu).count() == 20
