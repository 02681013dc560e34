"""Administration of the yearly frameworks and of agencies' results.

Framework editions are data an administrator corrects against each year's NACC manual: every row shows
its certainty, so what still has to be checked is visible and filterable. Choices of indicators and items
are limited to the edition at hand, so a 2566 score cannot point at a 2564 indicator.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.admin import ReadOnlyAdminMixin
from assessments.frameworks import edition_copy
from assessments.models import (
    AnalysisIssue,
    Assessment,
    CitedItemScore,
    Finding,
    FrameworkEdition,
    Indicator,
    IndicatorScore,
    Item,
    LevelRule,
    TargetBands,
    Tool,
)
from ita_tracker.paginator import CappedCountPaginator


def _object_id(request) -> str | None:
    """The primary key in the URL of the change page being shown, if any."""
    match = request.resolver_match
    object_id = match.kwargs.get("object_id") if match else None
    if object_id is None:
        return None
    object_id = unquote(object_id)
    return object_id if object_id.isdigit() else None


def _indicator_label(indicator: Indicator) -> str:
    return f"ITA {indicator.edition.fiscal_year} – {indicator}"


# --- framework editions ---------------------------------------------------------------------------------------


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0
    fields = ["order", "code", "name_th", "name_en", "weight", "certainty"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "tool", "name_th", "name_en", "aliases", "weight", "certainty"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "tool":
            edition_id = _object_id(request)
            kwargs["queryset"] = Tool.objects.filter(edition_id=edition_id) if edition_id else Tool.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LevelRuleInline(admin.TabularInline):
    model = LevelRule
    extra = 0
    fields = ["order", "label", "min_total", "min_each_tool", "passes", "certainty"]


@admin.register(FrameworkEdition)
class FrameworkEditionAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "name", "level_system", "national_average", "item_count", "certainty"]
    list_display_links = ["fiscal_year", "name"]
    list_filter = ["level_system", "certainty"]
    search_fields = ["name", "fiscal_year"]
    fields = ["fiscal_year", "name", "level_system", "national_average", "certainty", "notes"]
    inlines = [ToolInline, IndicatorInline, LevelRuleInline]
    actions = ["copy_to_next_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items", distinct=True))

    def has_delete_permission(self, request, obj=None) -> bool:
        """An edition with results is not deleted (its assessments protect it): asking would make the confirmation
        page collect and list every assessment, score and item score of the year, 8,000 agencies' worth."""
        if obj is not None and obj.assessments.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("จำนวนข้อคำถาม"), ordering="item_count")
    def item_count(self, obj: FrameworkEdition) -> int:
        return obj.item_count

    @admin.action(description=_("คัดลอกเป็นปีถัดไป"))
    def copy_to_next_year(self, request, queryset):
        for source in queryset.order_by("fiscal_year"):
            year = source.fiscal_year + 1
            try:
                edition_copy(source=source, fiscal_year=year)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("คัดลอกปี %(source)s ไม่ได้: %(error)s")
                    % {"source": source.fiscal_year, "error": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext("คัดลอกกรอบการประเมินปี %(source)s เป็นปี %(year)s แล้ว ต้องตรวจสอบกับคู่มือของปี %(year)s")
                    % {"source": source.fiscal_year, "year": year},
                    messages.SUCCESS,
                )


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["edition", "indicator", "code", "title", "sub_indicator", "order", "certainty"]

    def clean(self):
        cleaned = super().clean()
        edition, indicator = cleaned.get("edition"), cleaned.get("indicator")
        if edition and indicator and indicator.edition_id != edition.pk:
            self.add_error(
                "indicator", gettext("ตัวชี้วัดนี้ไม่ได้อยู่ในกรอบการประเมินปี %(year)s") % {"year": edition.fiscal_year}
            )
        return cleaned


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemForm
    list_display = ["code", "edition", "indicator", "sub_indicator", "title", "certainty"]
    list_filter = ["edition", "indicator__number", "certainty"]
    list_select_related = ["edition", "indicator"]
    search_fields = ["code", "title", "sub_indicator"]
    ordering = ["-edition__fiscal_year", "order"]
    list_per_page = 100

    def has_delete_permission(self, request, obj=None) -> bool:
        """An item with scores is not deleted (they protect it): the confirmation page would list one protected
        score per agency of the year."""
        if obj is not None and obj.scores.exists():
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            queryset = Indicator.objects.select_related("edition").order_by("-edition__fiscal_year", "number")
            item_id = _object_id(request)
            if item_id:
                queryset = queryset.filter(edition__items__pk=item_id)
            kwargs["queryset"] = queryset
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = _indicator_label
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- agencies' results ----------------------------------------------------------------------------------------


class IndicatorScoreInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = IndicatorScore
    extra = 0
    fields = ["indicator", "score"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            assessment_id = _object_id(request)
            kwargs["queryset"] = (
                Indicator.objects.filter(edition__assessments__pk=assessment_id)
                if assessment_id
                else Indicator.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: scores change through ``assessments.services.assessment_save`` (the score page and the import),
    which recomputes the totals and keeps the audit trail."""

    list_display = ["agency", "fiscal_year", "total", "level", "published_total", "published_level"]
    list_select_related = ["agency", "edition"]
    list_filter = ["edition"]
    search_fields = ["agency__name"]
    autocomplete_fields = ["agency"]
    # Flat at national size (issue 17): no full COUNT(*) of the table (ita_tracker.paginator).
    show_full_result_count = False
    paginator = CappedCountPaginator
    readonly_fields = ["tool_scores_shown", "total", "level", "created_at", "updated_at"]
    fields = [
        "agency",
        "edition",
        "published_total",
        "published_level",
        "tool_scores_shown",
        "total",
        "level",
        "note",
        "created_at",
        "updated_at",
    ]
    inlines = [IndicatorScoreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "edition")

    @admin.display(
        description=FrameworkEdition._meta.get_field("fiscal_year").verbose_name, ordering="edition__fiscal_year"
    )
    def fiscal_year(self, obj: Assessment) -> int:
        return obj.edition.fiscal_year

    @admin.display(description=_("คะแนนรายเครื่องมือ"))
    def tool_scores_shown(self, obj: Assessment) -> str:
        if obj.pk is None:
            return "—"
        return ", ".join(f"{code} {score}" for code, score in obj.tool_scores_by_code().items()) or "—"


@admin.register(TargetBands)
class TargetBandsAdmin(admin.ModelAdmin):
    list_display = ["agency", "maintain_from", "raise_from"]
    list_select_related = ["agency"]
    search_fields = ["agency__name"]
    autocomplete_fields = ["agency"]


class CitedItemScoreInline(admin.TabularInline):
    """Where the agency's analysis prints another figure for an item in this issue (CitedItemScore)."""

    model = CitedItemScore
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(AnalysisIssue)
class AnalysisIssueAdmin(admin.ModelAdmin):
    inlines = [CitedItemScoreInline]
    list_display = ["number", "title", "assessment"]
    list_display_links = ["number", "title"]
    list_select_related = ["assessment__agency", "assessment__edition"]
    list_filter = ["assessment__edition"]
    search_fields = ["title", "assessment__agency__name"]
    autocomplete_fields = ["assessment"]
    filter_horizontal = ["items"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "items":
            queryset = Item.objects.select_related("edition").order_by("-edition__fiscal_year", "order")
            issue_id = _object_id(request)
            if issue_id:
                queryset = queryset.filter(edition__assessments__issues__pk=issue_id)
            kwargs["queryset"] = queryset
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = lambda item: (
                f"ITA {item.edition.fiscal_year} – {item.code} {item.title}".strip()
            )
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "issue"]
    list_select_related = ["assessment__agency", "assessment__edition", "indicator", "issue"]
    list_filter = ["assessment__edition"]
    search_fields = ["assessment__agency__name", "strengths", "weaknesses", "improvements"]
    autocomplete_fields = ["assessment"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        finding_id = _object_id(request)
        if db_field.name == "indicator":
            queryset = Indicator.objects.select_related("edition").order_by("-edition__fiscal_year", "number")
            if finding_id:
                queryset = queryset.filter(edition__assessments__findings__pk=finding_id)
            kwargs["queryset"] = queryset
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = _indicator_label
            return field
        if db_field.name == "issue" and finding_id:
            kwargs["queryset"] = AnalysisIssue.objects.filter(assessment__findings__pk=finding_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
