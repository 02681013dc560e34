"""The agency a person is working in, as ``request.workspace``.

People who belong to several agencies choose one with the agency switcher; the choice is kept in
the session and checked against what they may see on every request, so a stale or forged id falls
back to one of their own agencies.

Numbers on the pages of a request follow that agency's choice of digits (``Agency.use_thai_digits``, on Thai pages;
English pages keep Arabic digits): ``ita_tracker.thai.agency_digits``, asked only when a page formats a number.
A public page of an agency (its OIT list, its published memos) follows that agency instead: ``digits_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from agencies.models import Agency, Membership
from agencies.permissions import roles_for
from ita_tracker.thai import agency_digits

SESSION_KEY = "current_agency_id"


@dataclass(frozen=True)
class Workspace:
    """The current agency (``None`` for someone with no agency), the user's membership there and
    the roles they hold in it."""

    agency: Agency | None = None
    membership: Membership | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def build_workspace(request) -> Workspace:
    user = request.user
    if not user.is_authenticated:
        return Workspace()
    memberships = Membership.objects.active().filter(user=user).select_related("agency", "department")
    membership = None
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        membership = memberships.filter(agency_id=chosen).first()
        if membership is None and user.is_superuser:
            agency = Agency.objects.filter(pk=chosen).first()
            if agency is not None:
                return Workspace(agency=agency, roles=roles_for(user, agency))
    if membership is None:
        membership = memberships.order_by("created_at", "pk").first()
    if membership is not None:
        return Workspace(
            agency=membership.agency, membership=membership, roles=roles_for(user, membership.agency, membership)
        )
    if user.is_superuser:
        agency = Agency.objects.order_by("pk").first()
        return Workspace(agency=agency, roles=roles_for(user, agency))
    return Workspace()


class CurrentAgencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Lazy: static files, the login page and public pages never pay for the lookups.
        request.workspace = SimpleLazyObject(lambda: build_workspace(request))
        with agency_digits(lambda: _prefers_thai(request)):
            return self.get_response(request)


def _prefers_thai(request) -> bool | None:
    agency = request.workspace.agency
    return None if agency is None else agency.use_thai_digits


def digits_of(agency: Agency):
    """``with digits_of(agency):`` the digits of that agency's choice, for a page about it that anyone may open."""
    return agency_digits(agency.use_thai_digits)
