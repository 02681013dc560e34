"""Tokens for the read-only JSON API (issue 17): one or more per person, stored hashed, shown once.

The API itself lives in the last app it reads from (``reports/api.py``); this module knows no domain: it turns
an ``Authorization: Bearer <key>`` header into the person, who must still be active, and the API scopes every
answer with the same ``visible_to(user)`` rules as the pages.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer

from ita_tracker.models import ApiToken

KEY_BYTES = 32
LAST_USED_EVERY = timedelta(minutes=5)  # write last_used_at at most this often per key


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new key for ``user``; returns the row and the key, which is not stored and cannot be shown again."""
    key = "ita_" + secrets.token_urlsafe(KEY_BYTES)
    token = ApiToken(user=user, name=name.strip()[:100] or "API", key_hash=_hash(key), prefix=key[4:12])
    token.full_clean(exclude=["key_hash", "prefix"])
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_for_key(key: str):
    """The active person a key belongs to, or None (unknown, revoked, or the person is deactivated)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_key(token)
        if user is not None:
            request.user = user  # what visible_to() and the API's queries read
        return user
