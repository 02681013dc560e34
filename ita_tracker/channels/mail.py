"""The mail channel: one message to the active recipients that have an address. The subject is forced onto one
line (a line break in a header is ``BadHeaderError``); errors are raised so the queue retries them. Only the
people who want the kind "now" get it (the digest mail gathers the others, ``ita_tracker.reminders``)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage

from ita_tracker.models import Delivery
from ita_tracker.notify import single_line, wanting


def send(message: dict) -> None:
    addresses = list(
        get_user_model()
        .objects.filter(pk__in=wanting(message, Delivery.NOW))
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    if not addresses:
        return
    EmailMessage(
        subject=single_line(message["title"]),
        body=message["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
    ).send(fail_silently=False)
