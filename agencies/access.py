"""Who may see and do what, in one place.

Two answers, kept apart on purpose:

* *Seeing*: an object of an agency the user cannot see does not exist for them. Views fetch through
  :func:`get_visible_agency_or_404` or a queryset's ``visible_to(user)``, so they answer 404 and never
  confirm that another agency's object exists.
* *Doing*: inside an agency the user can see, a missing role is a 403 (:func:`require_role`): they
  know the agency; they may not act in it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from agencies.models import ROLE_FIELDS, Agency, Membership

ALL_ROLES = frozenset(ROLE_FIELDS)


def membership_for(user, agency: Agency) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.active().select_related("department").filter(user=user, agency=agency).first()


def roles_for(user, agency: Agency | None, membership: Membership | None = None) -> frozenset[str]:
    """The roles ``user`` holds in ``agency``. Superusers hold every role everywhere."""
    if agency is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    if membership is None or membership.agency_id != agency.pk:
        membership = membership_for(user, agency)
    return frozenset(membership.roles) if membership else frozenset()


def get_visible_agency_or_404(user, pk) -> Agency:
    try:
        return Agency.objects.visible_to(user).get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such agency") from exc


def require_role(request: HttpRequest, agency: Agency, *roles: str) -> frozenset[str]:
    """Raise 403 unless the user holds one of ``roles`` in ``agency`` (which they can see)."""
    workspace = getattr(request, "workspace", None)
    membership = workspace.membership if workspace is not None else None
    held = roles_for(request.user, agency, membership)
    if not held.intersection(roles):
        raise PermissionDenied("missing role")
    return held
