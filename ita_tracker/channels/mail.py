"""The mail channel: one message to the active recipients that have an address. The subject is forced onto one
line (a line break in a header is ``BadHeaderError``); errors are raised so the queue retries them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage

from ita_tracker.notify import single_line


def send(message: dict) -> None:
    addresses = list(
        get_user_model()
        .objects.filter(pk__in=message["recipients"], is_active=True)
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
