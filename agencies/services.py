"""Writes to agencies, departments and memberships. Each runs in one transaction and validates
the whole object before saving, so a failed write leaves nothing half-saved."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_diff, audit_record
from agencies.models import ROLE_FIELDS, Agency, AuditEntry, Department, Membership
from agencies.permissions import suspend_refusal

User = get_user_model()


def temporary_password() -> str:
    """A password to hand over once; the person changes it after logging in."""
    return secrets.token_urlsafe(9)


@transaction.atomic
def person_add(
    *,
    by=None,
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
    _audit_membership(membership, by, AuditEntry.Action.CREATE, {}, _membership_state(membership))
    return membership


@transaction.atomic
def membership_save(*, membership: Membership, by=None) -> Membership:
    """Save a person's division, position, roles and whether they still work here, with an audit entry of
    what changed (a role given or taken away decides who may approve memos)."""
    before = {}
    if membership.pk:
        before = _membership_state(
            Membership.objects.select_for_update(of=("self",)).select_related("department").get(pk=membership.pk)
        )
    membership.full_clean()
    membership.save()
    before, after = audit_diff(before, _membership_state(membership))
    if after or not before:
        action = AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE
        _audit_membership(membership, by, action, before, after)
    return membership


def _membership_state(membership: Membership) -> dict:
    return {
        "department": membership.department,
        "position_title": membership.position_title,
        "roles": sorted(str(label) for label in membership.get_roles_display()),
        "is_active": membership.is_active,
    }


def _audit_membership(membership: Membership, by, action: str, before: dict, after: dict) -> None:
    audit_record(
        agency=membership.agency_id,
        actor=by,
        action=action,
        obj_type=AuditEntry.ObjectType.MEMBERSHIP,
        obj_id=membership.pk,
        summary=_("บุคลากร %(name)s") % {"name": membership.display_name},
        before=before,
        after=after,
    )


DEPARTMENT_FIELDS = ("name", "letter_code", "phone", "email", "order")


def _department_state(department: Department) -> dict:
    return {name: getattr(department, name) for name in DEPARTMENT_FIELDS}


def _audit_department(department: Department, by, action: str, before: dict, after: dict) -> None:
    audit_record(
        agency=department.agency_id,
        actor=by,
        action=action,
        obj_type=AuditEntry.ObjectType.DEPARTMENT,
        obj_id=department.pk,
        summary=_("ส่วนราชการ %(name)s") % {"name": department.name},
        before=before,
        after=after,
    )


@transaction.atomic
def department_save(*, department: Department, by=None) -> Department:
    """Create or update a division. Its name and letter code are printed on memos, so every change is in the
    audit trail."""
    before = {}
    if department.pk:
        before = _department_state(Department.objects.select_for_update().get(pk=department.pk))
    department.full_clean()
    department.save()
    before, after = audit_diff(before, _department_state(department))
    if after or not before:
        action = AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE
        _audit_department(department, by, action, before, after)
    return department


@transaction.atomic
def department_delete(*, department: Department, by=None) -> None:
    """Delete a division nothing refers to any more; refused (``ValidationError``) while memos, measures or
    people still name it."""
    state, pk = _department_state(department), department.pk
    try:
        with transaction.atomic():
            department.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("ลบส่วนราชการ “%(name)s” ไม่ได้ เพราะยังมีข้อมูลที่อ้างถึง") % {"name": department.name}, code="in_use"
        ) from exc
    department.pk = pk
    _audit_department(department, by, AuditEntry.Action.DELETE, state, {})


@transaction.atomic
def person_suspend(*, membership: Membership, by) -> int:
    """Close the account of a person who has left: their membership here, their login, and every session they
    hold, at once. Returns the number of sessions ended.

    Nothing is deleted. Memos keep the names they were written and signed with (``Memo.author_name`` and
    ``MemoStep.signer_name`` are copies), and the audit trail keeps its entries. Refused (``ValidationError``)
    for someone who still works in another agency, since one agency's admin may not lock a person out of
    another, for the admin's own account, and for the installation's administrators.
    """
    refusal = suspend_refusal(membership=membership, by=by)
    if refusal is not None:
        raise refusal
    user = membership.user
    before = {"is_active": membership.is_active, "user_is_active": user.is_active}
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = sessions_end(user)
    audit_record(
        agency=membership.agency_id,
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj_type=AuditEntry.ObjectType.MEMBERSHIP,
        obj_id=membership.pk,
        summary=_("ระงับบัญชีผู้ใช้ของ %(name)s") % {"name": membership.display_name},
        before=before,
        after={"is_active": False, "user_is_active": False},
    )
    return ended


def sessions_end(user) -> int:
    """Delete every live session of ``user``, so they are logged out on their next request.

    The database session store keeps the user id only inside the encoded data, so this reads every unexpired
    session: O(sessions), acceptable for an agency-sized installation and an action taken a few times a year. (An
    inactive user is refused by the authentication backend on the next request anyway; this also ends sessions
    that a custom backend might accept, and frees the rows.)
    """
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)
