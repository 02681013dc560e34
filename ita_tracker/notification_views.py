"""A minimal list of a person's in-app notifications (the unread count in the menu is a later task)."""

from urllib.parse import urlsplit

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ita_tracker.models import Notification

SHOWN = 100


def notification_list(request):
    notifications = list(Notification.objects.filter(recipient=request.user)[:SHOWN])
    return render(request, "ita_tracker/notification_list.html", {"notifications": notifications})


@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to what it is about (only an address of this site)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    path = urlsplit(target).path if target else ""
    return redirect(path if path.startswith("/") else reverse("notifications:list"))
