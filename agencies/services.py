"""Writes to agencies, departments and memberships. Each runs in one transaction and validates
the whole object before saving, so a failed write leaves nothing half-saved."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import ROLE_FIELDS, Agency, Department, Membership

User = get_user_model()


def temporary_password() -> str:
    """A password to hand over once; the person changes it after logging in."""
    return secrets.token_urlsafe(9)


@transaction.atomic
def person_add(
    *,
    agency: Agency,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    department: Department | None,
    position_title: str,
    roles: list[str],
    password: str,
) -> Membership:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership(user=user, agency=agency, department=department, position_title=position_title)
    for role, field_name in ROLE_FIELDS.items():
        setattr(membership, field_name, role in roles)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_save(*, membership: Membership) -> Membership:
    membership.full_clean()
    membership.save()
    return membership
