"""Jobs and notifications in the Django admin: read-only lists for the people running the installation (jobs are
made by the pages that start them, notifications by ``notify``; editing either by hand has no meaning)."""

from django.contrib import admin

from ita_tracker.models import Job, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "progress", "created_by", "created_at", "finished_at", "attempts"]
    list_filter = ["status", "kind"]
    list_select_related = ["created_by"]
    search_fields = ["created_by__username", "message"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "recipient", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "title"]
