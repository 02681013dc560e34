"""The in-app channel: one ``Notification`` row per active recipient."""

from django.contrib.auth import get_user_model

from ita_tracker.models import Notification


def send(message: dict) -> None:
    users = get_user_model().objects.filter(pk__in=message["recipients"], is_active=True).values_list("pk", flat=True)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=message["kind"][:50],
            title=message["title"][:200],
            body=message["body"][:5000],
            url=message["url"][:500],
        )
        for pk in users
    )
