from django.contrib import admin

from measures.models import Evidence, Measure, MeasurePlan, MeasureStep, ProgressUpdate


class MeasureStepInline(admin.TabularInline):
    model = MeasureStep
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["kind", "file", "original_name", "content_type", "size", "url", "title"]

    def has_add_permission(self, request, obj=None):
        # Evidence is uploaded through the progress form, which checks the file's content.
        return False


@admin.register(MeasurePlan)
class MeasurePlanAdmin(admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "title"]
    list_filter = ["fiscal_year"]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "title"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["assessment"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "title", "status", "percent", "starts", "ends"]
    list_filter = ["status", "plan__fiscal_year"]
    list_select_related = ["plan__agency"]
    search_fields = ["title", "plan__agency__name"]
    raw_id_fields = ["plan"]
    filter_horizontal = ["departments", "responsible_people", "indicators", "items"]
    readonly_fields = ["version"]
    inlines = [MeasureStepInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["measure", "reported_on", "status", "percent", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["measure__plan__agency", "created_by"]
    raw_id_fields = ["measure", "created_by"]
    inlines = [EvidenceInline]


# The OIT checklist registers its own models.
import measures.oit.admin  # noqa: E402, F401
