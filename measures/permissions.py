"""Who may act on a measure, in one place for the views and the services. Seeing follows the agency
(``Measure.objects.visible_to``); acting needs a role there, and reporting progress is limited to the divisions
that answer for the measure. The services check again at the moment of acting, so a role taken away between
opening a form and sending it counts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from agencies.models import Membership, Role
from agencies.permissions import roles_for
from measures.models import Measure

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
