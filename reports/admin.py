from django.contrib import admin

from ita_tracker.paginator import CappedCountPaginator
from reports.models import ApprovalChain, ApprovalChainStep, Memo, MemoEvent, MemoStep


class ApprovalChainStepInline(admin.StackedInline):
    model = ApprovalChainStep
    extra = 0
    # By id: two selection lists of every membership in the country per step did not finish in 240 s at
    # 8,000 agencies (issue 17).
    raw_id_fields = ["approvers", "acting_approvers"]


@admin.register(ApprovalChain)
class ApprovalChainAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "is_default"]
    list_select_related = ["agency"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
    inlines = [ApprovalChainStepInline]


class MemoStepInline(admin.TabularInline):
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

    def has_add_permission(self, request, obj=None):
        return False


class MemoEventInline(admin.TabularInline):
    model = MemoEvent
    extra = 0
    readonly_fields = ["actor", "action", "from_status", "to_status", "from_step", "to_step", "comment", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    """Read-mostly: memos move only through their route (reports.services), which keeps the audit trail."""

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

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Memo.Status.DRAFT

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_editable
