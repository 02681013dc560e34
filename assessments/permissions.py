"""Who may do what with scores, in one place: the views ask here before showing a form, and the services
ask again when they write (rights are checked at the moment of acting, not only when the page was opened).

Seeing follows ``agencies.access``: an assessment of an agency the user cannot see is a 404
(``Assessment.objects.visible_to``). Doing, inside an agency the user can see, is a 403.

* Scores (entry page, import rows, target bands) are written by the agency's ITA coordinators; superusers
  may write any agency's.
* The import page is open to anyone who coordinates at least one agency; each row of the file is then
  checked against the agency it names (:func:`importable_agency_ids`).
* Creating agencies from an import is for superusers and the command line only: for anyone else it would
  reveal which agency names exist elsewhere.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from agencies.access import roles_for
from agencies.models import Agency, Membership, Role

SCORE_EDITOR_ROLES = (Role.COORDINATOR,)


def can_edit_scores(user, agency: Agency | None, membership: Membership | None = None) -> bool:
    """Whether ``user`` may write the scores (and target bands) of ``agency``, read now."""
    if agency is None or user is None:
        return False
    return bool(roles_for(user, agency, membership).intersection(SCORE_EDITOR_ROLES))


def require_score_editor(request: HttpRequest, agency: Agency) -> None:
    """403 unless the requesting user may write the scores of ``agency`` (which they can see)."""
    workspace = getattr(request, "workspace", None)
    membership = workspace.membership if workspace is not None else None
    if not can_edit_scores(request.user, agency, membership):
        raise PermissionDenied("missing role")


def check_score_writer(by, agency: Agency) -> None:
    """For services: ``by`` (``None`` for a management command or the system) may write ``agency``'s scores."""
    if by is not None and not can_edit_scores(by, agency):
        raise PermissionDenied("missing role")


def can_import(user) -> bool:
    """May open the import page: a superuser or the coordinator of at least one agency."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Agency.objects.with_role(user, Role.COORDINATOR).exists()


def require_importer(user) -> None:
    if not can_import(user):
        raise PermissionDenied("missing role")


def importable_agency_ids(user) -> set[int] | None:
    """The agencies whose scores ``user`` may import (one query), or ``None`` for any (superusers and the
    command line)."""
    if user is None or user.is_superuser:
        return None
    if not user.is_active:
        return set()
    return set(Agency.objects.with_role(user, Role.COORDINATOR).values_list("pk", flat=True))


def may_create_agencies(user, requested: bool) -> bool:
    return requested and (user is None or user.is_superuser)
