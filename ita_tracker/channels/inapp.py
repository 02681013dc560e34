"""The in-app channel: one ``Notification`` row per active recipient who has not turned the kind off; rows of a
kind the person takes as a daily digest are marked for the digest mail (``ita_tracker.reminders``)."""

from ita_tracker.models import Delivery, Notification
from ita_tracker.notify import deliveries


def send(message: dict) -> None:
    choices = deliveries(message["kind"], message["recipients"])
    Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=message["kind"][:50],
            title=message["title"][:200],
            body=message["body"][:5000],
            url=message["url"][:500],
            in_digest=choice == Delivery.DIGEST,
        )
        for pk, choice in sorted(choices.items())
        if choice != Delivery.OFF
    )
