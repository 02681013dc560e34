"""Figures over every agency a person follows, kept a few minutes in the shared cache (issue 17).

A national viewer follows 8,000 agencies: counting their plans by state, ranking their totals or averaging their
scores reads every row of the year on each request (50–150 ms at 8,000 agencies, about 1 ms at 80). Those figures
are the same for every request of the next few minutes, so a page computes them once and keeps them in Django's
cache (Redis in production, shared by every worker; local memory under ``make run``) under a key naming the person
and what they filtered on. The page says how old its figures are (``Kept.as_of``); the rows it lists stay live.

Why a time limit rather than invalidation on every write: at national size an agency somewhere saves something
every few seconds, so a cache dropped on each write would almost never be read. Five minutes is what the
comparison's charts and count have used since the first round; a person's own agency's pages never go through here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from django.core.cache import cache
from django.utils import timezone

SUMMARY_SECONDS = 300

T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    value: T
    as_of: datetime


def kept(key: str, compute: Callable[[], T], *, seconds: int = SUMMARY_SECONDS) -> Kept[T]:
    """``compute()``'s value under ``key`` (prefixed ``ita:summary:``), computed at most once per ``seconds``.

    ``key`` must name everything the value depends on: the person (their scope) and their filters. ``compute``
    must return something picklable; ``None`` is kept too."""
    full_key = f"ita:summary:{key}"
    found = cache.get(full_key)
    if found is not None:
        return found
    result = Kept(compute(), timezone.now())
    cache.set(full_key, result, seconds)
    return result


def kept_for(user, name: str, compute: Callable[[], T], **filters) -> Kept[T]:
    """:func:`kept` under a key naming the figure, the person and every filter it depends on (hashed: a search
    term may be long or hold anything), so one person's figures are never shown to another, nor one filter's to
    another."""
    key = f"{name}:user={user.pk}"
    if filters:
        text = json.dumps(filters, sort_keys=True, ensure_ascii=False, default=str)
        key += ":" + hashlib.sha256(text.encode()).hexdigest()[:32]
    return kept(key, compute)
