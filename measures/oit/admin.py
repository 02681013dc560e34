"""The OIT checklist in the Django admin: for looking things up and correcting by hand, not for daily work."""

from django import forms
from django.contrib import admin

from agencies.models import Department
from measures.oit.models import OitChecklist, OitEntry, OitEvidence


class OitEntryForm(forms.ModelForm):
    """A row offers the divisions of the checklist's own agency: the default select listed every division of the
    country on each of the 26 rows (about 38,000 options a row at 8,000 agencies)."""

    class Meta:
        model = OitEntry
        fields = ("department", "due", "state")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency_id = self.instance.checklist.agency_id if self.instance.checklist_id else None
        self.fields["department"].queryset = Department.objects.filter(agency_id=agency_id).order_by("order", "name")


class OitEntryInline(admin.TabularInline):
    model = OitEntry
    form = OitEntryForm
    fields = ("item", "department", "due", "state")
    readonly_fields = ("item",)
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "checklist")


@admin.register(OitChecklist)
class OitChecklistAdmin(admin.ModelAdmin):
    list_display = ("agency", "edition", "due")
    list_filter = ("edition",)
    search_fields = ("agency__name", "agency__code")
    list_select_related = ("agency", "edition")
    raw_id_fields = ("agency",)
    inlines = [OitEntryInline]


@admin.register(OitEvidence)
class OitEvidenceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "entry", "kind", "standing", "proposed", "created_at")
    list_filter = ("kind", "standing", "proposed")
    raw_id_fields = ("entry", "added_by")
