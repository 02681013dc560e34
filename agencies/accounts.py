"""Password reset, throttled.

Django's ``PasswordResetView`` sends a mail for every request naming a known address. Here a request is
answered the same way (the "mail sent" page, so nobody learns which addresses exist or that a limit was hit),
but mail goes out only while, within ``PASSWORD_RESET_WINDOW`` seconds, that address has had fewer than
``PASSWORD_RESET_PER_ADDRESS`` mails, that account fewer than ``PASSWORD_RESET_PER_ACCOUNT`` and that client
address (``ita_tracker.clientip``) fewer than ``PASSWORD_RESET_PER_CLIENT`` requests. Counts live in the
database, so every gunicorn worker sees the same numbers.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone

from agencies.models import PasswordResetRequest
from ita_tracker.clientip import client_ip

logger = logging.getLogger(__name__)


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def reset_allowed(*, email: str, users: list, ip: str | None) -> bool:
    """Whether one more reset mail may go out now; records the request when it may."""
    now = timezone.now()
    since = now - timedelta(seconds=_limit("PASSWORD_RESET_WINDOW", 3600))
    PasswordResetRequest.objects.filter(created_at__lt=since).delete()
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    if ip and recent.filter(ip_address=ip).count() >= _limit("PASSWORD_RESET_PER_CLIENT", 10):
        return False
    if recent.filter(email__iexact=email).count() >= _limit("PASSWORD_RESET_PER_ADDRESS", 3):
        return False
    per_account = _limit("PASSWORD_RESET_PER_ACCOUNT", 3)
    if any(recent.filter(user=user).count() >= per_account for user in users):
        return False
    PasswordResetRequest.objects.bulk_create(
        [PasswordResetRequest(email=email, user=user, ip_address=ip, created_at=now) for user in users]
        or [PasswordResetRequest(email=email, ip_address=ip, created_at=now)]
    )
    return True


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        email = form.cleaned_data["email"]
        with transaction.atomic():
            allowed = reset_allowed(email=email, users=list(form.get_users(email)), ip=client_ip(self.request))
        if not allowed:
            logger.warning("password reset throttled for %s from %s", email, client_ip(self.request))
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
