"""Who may act on a measure. Seeing follows the agency (``Measure.objects.visible_to``); acting needs a
role there, and reporting progress is limited to the divisions that answer for the measure."""

from __future__ import annotations

from agencies.access import roles_for
from agencies.models import Membership, Role
from measures.models import Measure


def can_edit_plan(user, agency) -> bool:
    return Role.COORDINATOR in roles_for(user, agency)


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
