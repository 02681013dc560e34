"""Who may act on a measure, in one place for the views and the services. Seeing follows the agency
(``Measure.objects.visible_to``); acting needs a role there, and reporting progress is limited to the divisions
that answer for the measure. The services check again at the moment of acting, so a role taken away between
opening a form and sending it counts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from agencies.models import Membership, Role
from agencies.permissions import roles_for
from measures.models import Measure, MeasureStep

EDIT_PLAN = frozenset({Role.COORDINATOR})  # plans, measures, steps, drafting from the analysis


def can_edit_plan(user, agency, membership: Membership | None = None) -> bool:
    return bool(roles_for(user, agency, membership) & EDIT_PLAN)


def check_edit_plan(user, agency) -> None:
    """For the services: 403 unless ``user`` may edit ``agency``'s plans (``None``: a command or the demo)."""
    if user is not None and not can_edit_plan(user, agency):
        raise PermissionDenied("coordinators edit plans and measures")


def check_report_progress(user, measure: Measure) -> None:
    if not can_report_progress(user, measure):
        raise PermissionDenied("this person does not report on this measure")


def can_report_progress(user, measure: Measure, membership: Membership | None = None) -> bool:
    """Coordinators for any measure of their agency; staff for their own division's measures (or those
    given to every division, ทุกกอง). Viewers and approvers report nothing."""
    agency = measure.plan.agency
    roles = roles_for(user, agency, membership)
    if Role.COORDINATOR in roles:
        return True
    if Role.STAFF not in roles:
        return False
    if membership is None or membership.agency_id != agency.pk:
        membership = Membership.objects.active().filter(user=user, agency=agency).first()
    if membership is None or membership.department_id is None:
        return False
    if measure.all_departments:
        return True
    return measure.departments.filter(pk=membership.department_id).exists()


def step_memberships(user, agency_id: int) -> list[Membership]:
    """The person's active memberships in an agency, read now (one query for a whole list of steps)."""
    if not user.is_authenticated:
        return []
    return list(Membership.objects.active().filter(user=user, agency_id=agency_id))


def can_complete_step(user, step: MeasureStep, memberships: list[Membership] | None = None) -> bool:
    """Staff of the step's division, or the person the step names. The membership is read again here, so a
    role or a division changed a second ago counts (rights are checked at the moment of acting); a page
    listing many steps passes ``memberships`` read once for them all."""
    if memberships is None:
        memberships = step_memberships(user, step.measure.plan.agency_id)
    for membership in memberships:
        if step.owner_person_id == membership.pk:
            return True
        if membership.is_staff_member and step.department_id and membership.department_id == step.department_id:
            return True
    return False


def may_own(membership: Membership, agency_id: int) -> bool:
    """Whether a person may be named owner of a measure or step of ``agency_id``: what :func:`staff_choices`
    offers, checked again by the services when they save."""
    return membership.agency_id == agency_id and (membership.is_staff_member or membership.is_coordinator)


def staff_choices(agency):
    """Who may own a measure or a step: the agency's active staff and coordinators, never its viewers or
    approvers who are not staff, never anyone of another agency."""
    return (
        Membership.objects.active()
        .filter(agency=agency)
        .filter(Q(is_staff_member=True) | Q(is_coordinator=True))
        .select_related("user", "department")
    )
