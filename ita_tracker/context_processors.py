"""The person's unread notification count for the navigation: one COUNT on the ``notification_unread`` index,
made only when a page renders it."""

from ita_tracker.models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def unread_count() -> int:
        if "n" not in cache:
            cache["n"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        return cache["n"]

    return {"unread_notifications": unread_count}
