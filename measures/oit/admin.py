"""The OIT checklist in the Django admin: for looking things up and correcting by hand, not for daily work."""

from django.contrib import admin

from measures.oit.models import OitChecklist, OitEntry, OitEvidence


class OitEntryInline(admin.TabularInline):
    model = OitEntry
    fields = ("item", "department", "due", "state")
    readonly_fields = ("item",)
    extra = 0
    can_delete = False


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
