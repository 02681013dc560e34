from django.contrib import admin

from agencies.admin import ReadOnlyAdminMixin
from ita_tracker.paginator import CappedCountPaginator
from reports.models import ApprovalChain, ApprovalChainStep, DocumentText, Memo, MemoEvent, MemoStep


class ApprovalChainStepInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = ApprovalChainStep
    extra = 0
    # By id: two selection lists of every membership in the country per step did not finish in 240 s at
    # 8,000 agencies (issue 17).
    raw_id_fields = ["approvers", "acting_approvers"]


@admin.register(ApprovalChain)
class ApprovalChainAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Chains are edited on the agency's chain page (``reports.services.chain_save``, audited)."""

    list_display = ["name", "agency", "is_default"]
    list_select_related = ["agency"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
    inlines = [ApprovalChainStepInline]


class MemoStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MemoStep
    extra = 0
    fields = [
        "order",
        "position_title",
        "decision",
        "comment",
        "signer_name",
        "signer_position",
        "acting",
        "decided_at",
    ]
    readonly_fields = fields


class MemoEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MemoEvent
    extra = 0
    readonly_fields = ["actor", "action", "from_status", "to_status", "from_step", "to_step", "comment", "created_at"]


@admin.register(Memo)
class MemoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: memos are written and move only through their services (reports.services), which keep the
    audit trail and the memo's events."""

    list_display = ["subject", "agency", "number", "status", "date"]
    list_filter = ["status", "kind"]
    list_select_related = ["agency"]
    search_fields = ["subject", "agency__name"]
    readonly_fields = ["status", "current_step", "running_number", "number_year", "table", "version"]
    raw_id_fields = ["agency", "department", "plan", "assessment", "chain", "author"]
    # Flat at national size (issue 17): no full COUNT(*) of the table (ita_tracker.paginator).
    show_full_result_count = False
    paginator = CappedCountPaginator
    inlines = [MemoStepInline, MemoEventInline]


@admin.register(DocumentText)
class DocumentTextAdmin(admin.ModelAdmin):
    """The agency's own wording of its annual documents (reports.texts), one part per row."""

    list_display = ["agency", "fiscal_year", "document", "key"]
    list_filter = ["document", "fiscal_year"]
    list_select_related = ["agency"]
    # A select of every agency in the country made the add page 0.98 s at 8,000 agencies (bench, issue 17).
    autocomplete_fields = ["agency"]
    search_fields = ["agency__name", "key", "text"]
