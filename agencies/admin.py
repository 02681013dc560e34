from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, AuditEntry, Department, Membership
from ita_tracker.paginator import CappedCountPaginator, LookaheadAutocompleteMixin


class ReadOnlyAdminMixin:
    """For models the audit trail covers: shown in the admin, changed only through their services (the
    agency's own pages), which write the trail in the same transaction. A change made here would bypass it.

    Works for ``ModelAdmin`` and inlines alike; a POST to a change page answers 403 and changes nothing.
    """

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DepartmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Department
    extra = 0
    fields = ["name", "letter_code", "phone", "email", "order"]


@admin.register(Agency)
class AgencyAdmin(LookaheadAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "type", "district", "province", "code"]
    list_filter = ["type", "province"]
    # Thai has no letter case: names, provinces and districts are matched as typed (LIKE), not through UPPER()
    # of every row, which made the agency autocomplete scan 8,000 agencies in 40 ms (issue 17); the code is Latin.
    search_fields = ["name__contains", "code__icontains", "province__contains", "district__contains"]
    inlines = [DepartmentInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        """An agency with records (anything another app keeps for it: results, plans, memos, …) is not deleted
        here: the records are kept, and the confirmation page collected and listed every row of its years (4 s and
        over 200 queries for one generated agency of five years)."""
        if obj is not None and has_records(obj):
            return False
        return super().has_delete_permission(request, obj)


def has_records(agency: Agency) -> bool:
    """Whether a table of another app has a row of ``agency`` (one ``EXISTS`` a table, up to the first found)."""
    for relation in agency._meta.related_objects:
        model = relation.related_model
        if relation.one_to_many and model._meta.app_label != Agency._meta.app_label:
            if model._base_manager.filter(**{relation.field.name: agency}).exists():
                return True
    return False


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdminMixin, LookaheadAutocompleteMixin, admin.ModelAdmin):
    """Divisions are edited on the agency's page (``agencies.services.department_save``, audited)."""

    list_display = ["name", "agency", "letter_code", "phone"]
    list_select_related = ["agency"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """People and roles are managed on the agency's page (``agencies.services``, audited); superusers hold every
    role there."""

    list_display = ["user", "agency", "department", "position_title", "roles_display", "is_active"]
    list_filter = ["is_active", "is_staff_member", "is_coordinator", "is_approver", "is_agency_admin", "is_viewer"]
    list_select_related = ["user", "agency", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name", "position_title"]
    autocomplete_fields = ["user", "agency", "department"]
    # Flat at national size (issue 17): no full COUNT(*) of the table (ita_tracker.paginator).
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        # str(membership) names the person and the agency: joined here, so the autocomplete lists of other
        # pages (20 memberships a page) make one query instead of two per option.
        # (Django applies list_select_related only to a queryset without select_related: name them all here.)
        return super().get_queryset(request).select_related("user", "agency", "department")

    @admin.display(description=_("บทบาท"))
    def roles_display(self, obj: Membership) -> str:
        return ", ".join(str(label) for label in obj.get_roles_display())


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is written by the services in the same transaction as the change, never by hand."""

    list_display = ["created_at", "agency", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["object_type", "action"]
    list_select_related = ["agency", "actor"]
    search_fields = ["summary", "agency__name", "actor__username"]
    # Flat at national size (issue 17): no full COUNT(*) of the table (ita_tracker.paginator); no date_hierarchy: its
    # DISTINCT over every row's date made this list ×16.5 at 8,000 agencies.
    show_full_result_count = False
    paginator = CappedCountPaginator

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# ---------------------------------------------------------------- second factor (agencies.identity)
# django-otp's own admin for authenticators adds pages that show a device's secret and QR code. Here a superuser
# only sees who has one and deletes it (a person who lost both their phone and their recovery codes sets up again).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
