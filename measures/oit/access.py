"""Who sees and does what on the OIT checklist.

Seeing follows the agency, except that a person who is only staff (เจ้าหน้าที่ผู้รายงานผล) sees only the items of
their own division: another division's item is a 404 for them, as another agency's is. Preparing an item (evidence,
sending it for review) is for the coordinator and the staff of the item's division; assigning and reviewing are the
coordinator's. Services ask again, inside their transaction, at the moment of acting.
"""

from __future__ import annotations

from django.db.models import Q

from agencies.access import roles_for
from agencies.models import ROLE_FIELDS, Agency, Membership, Role
from measures.oit.models import OitEntry

# Roles that see every item of their agency's checklist.
WHOLE_LIST_ROLES = (Role.COORDINATOR, Role.AGENCY_ADMIN, Role.APPROVER, Role.VIEWER)


def visible_entries(user):
    """The entries ``user`` may see (a queryset: one semi-join per rule, no per-row checks)."""
    entries = OitEntry.objects.all()
    if not user.is_authenticated or not user.is_active:
        return entries.none()
    if user.is_superuser:
        return entries
    mine = Membership.objects.filter(user=user, is_active=True)
    whole = Q()
    for role in WHOLE_LIST_ROLES:
        whole |= Q(**{ROLE_FIELDS[role]: True})
    whole_agencies = mine.filter(whole).values("agency_id")
    own_divisions = mine.filter(is_staff_member=True, department__isnull=False).values("department_id")
    return entries.filter(Q(checklist__agency_id__in=whole_agencies) | Q(department_id__in=own_divisions))


def sees_whole_list(user, agency: Agency, membership: Membership | None = None) -> bool:
    return bool(roles_for(user, agency, membership).intersection(WHOLE_LIST_ROLES))


def can_manage(user, agency: Agency, membership: Membership | None = None) -> bool:
    """Open the checklist, assign items, set due dates, review."""
    return Role.COORDINATOR in roles_for(user, agency, membership)


def can_prepare(user, entry: OitEntry, membership: Membership | None = None) -> bool:
    agency = entry.checklist.agency
    roles = roles_for(user, agency, membership)
    if Role.COORDINATOR in roles:
        return True
    if Role.STAFF not in roles or entry.department_id is None:
        return False
    if membership is None or membership.agency_id != agency.pk:
        membership = Membership.objects.active().filter(user=user, agency=agency).first()
    return membership is not None and membership.department_id == entry.department_id


def division_staff(entry: OitEntry):
    """The people told about an item: the active staff of its division."""
    if entry.department_id is None:
        return []
    return [
        m.user
        for m in Membership.objects.active()
        .filter(agency_id=entry.checklist.agency_id, department_id=entry.department_id, is_staff_member=True)
        .select_related("user")
    ]


def coordinators(agency_id: int):
    return [
        m.user
        for m in Membership.objects.active().filter(agency_id=agency_id, is_coordinator=True).select_related("user")
    ]
