from django.contrib import admin

from agencies.admin import ReadOnlyAdminMixin
from ita_tracker.paginator import CappedCountPaginator
from measures.models import Evidence, Measure, MeasurePlan, MeasureStep, ProgressUpdate


class MeasureStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MeasureStep
    extra = 0
    raw_id_fields = ["department"]  # a select would list every division in the country on every row


class EvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Evidence is uploaded through the progress form, which checks the file's content and the quotas."""

    model = Evidence
    extra = 0


@admin.register(MeasurePlan)
class MeasurePlanAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "title"]
    list_filter = ["fiscal_year"]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "title"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["assessment"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Measures and their steps change through ``measures.services`` (the plan's pages), which keep the audit
    trail and the edit version."""

    list_display = ["plan", "number", "title", "status", "percent", "starts", "ends"]
    list_filter = ["status", "plan__fiscal_year"]
    list_select_related = ["plan__agency"]
    search_fields = ["title", "plan__agency__name"]
    # Divisions and people by id: a selection list of every membership in the country made this page take
    # 208 s and 137,630 queries at 8,000 agencies (issue 17). Indicators and items stay lists: they are per
    # edition, not per agency.
    raw_id_fields = ["plan", "departments", "responsible_people"]
    filter_horizontal = ["indicators", "items"]
    # Flat at national size (issue 17): no full COUNT(*) of the table (ita_tracker.paginator).
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = ["version"]
    inlines = [MeasureStepInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Progress is recorded through ``measures.services.progress_record`` (audited; it also moves the
    measure's status)."""

    list_display = ["measure", "reported_on", "status", "percent", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["measure__plan__agency", "created_by"]
    raw_id_fields = ["measure", "created_by"]
    # Flat at national size (issue 17): no full COUNT(*) of the table (ita_tracker.paginator).
    show_full_result_count = False
    paginator = CappedCountPaginator
    inlines = [EvidenceInline]


# The OIT checklist registers its own models.
import measures.oit.admin  # noqa: E402, F401
