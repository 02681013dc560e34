"""Who may see and do what in an agency, in one place: views and services ask these functions and role sets,
so no rule is written twice (``agencies.access`` re-exports the helpers for older imports).

Two answers, kept apart on purpose:

* *Seeing*: an object of an agency the user cannot see does not exist for them. Views fetch through
  :func:`get_visible_agency_or_404` or a queryset's ``visible_to(user)``, so they answer 404 and never
  confirm that another agency's object exists.
* *Doing*: inside an agency the user can see, a missing role is a 403 (:func:`require_role`): they
  know the agency; they may not act in it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Max
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from agencies.models import ROLE_FIELDS, Agency, Membership, Role

ALL_ROLES = frozenset(ROLE_FIELDS)

# Who may do what in an agency: the roles, any one of which suffices.
MANAGE_AGENCY = frozenset({Role.AGENCY_ADMIN})  # settings, divisions, people, suspending accounts
SEE_PEOPLE = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})  # the list of people on the agency's page
READ_AUDIT = frozenset({Role.AGENCY_ADMIN, Role.COORDINATOR})  # the audit trail
RUN_CYCLE = frozenset({Role.COORDINATOR})  # the checklist of the year's ITA cycle on the home page


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
    """Raise 403 unless the user holds one of ``roles`` in ``agency`` (which they can see). ``roles`` are role
    names or the role sets above (``require_role(request, agency, *MANAGE_AGENCY)``)."""
    workspace = getattr(request, "workspace", None)
    membership = workspace.membership if workspace is not None else None
    held = roles_for(request.user, agency, membership)
    if not held.intersection(roles):
        raise PermissionDenied("missing role")
    return held


def has_any(user, agency: Agency, roles: frozenset[str], membership: Membership | None = None) -> bool:
    return bool(roles_for(user, agency, membership) & roles)


def suspend_refusal(*, membership: Membership, by) -> ValidationError | None:
    """Why ``by`` may not suspend ``membership``'s account (``None`` when they may): the person still works in
    another agency (one agency's admin may not lock them out of it), it is ``by``'s own account, or an
    installation administrator's. The suspend service raises it; the page hides the button when it is set."""
    user = membership.user
    if user.pk == by.pk:
        return ValidationError(_("ระงับบัญชีของตนเองไม่ได้"), code="self")
    if user.is_superuser:
        return ValidationError(_("บัญชีผู้ดูแลระบบระงับได้เฉพาะในหน้าผู้ดูแลระบบ"), code="superuser")
    if Membership.objects.filter(user=user, is_active=True).exclude(pk=membership.pk).exists():
        return ValidationError(
            _("บุคคลนี้ยังเป็นบุคลากรของหน่วยงานอื่น จึงระงับบัญชีไม่ได้ ยกเลิก “ใช้งานอยู่” เพื่อนำออกจากหน่วยงานนี้"),
            code="other_agencies",
        )
    return None


def sees_every_agency(user, *, upto: int) -> bool:
    """Whether ``user`` sees every agency up to id ``upto`` (every agency there was when a file was made).

    Two counts, each read from one index whatever the number of agencies: the agencies up to ``upto``, and the
    person's active memberships among them (one membership per person and agency, and an active membership is
    what makes an agency visible: ``AgencyQuerySet.visible_to``). A national viewer's check costs no more than a
    provincial one's (issue 17)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    followed = Membership.objects.filter(user=user, is_active=True, agency_id__lte=upto).count()
    return followed == Agency.objects.filter(pk__lte=upto).count()


def agency_coverage(user, agencies) -> dict:
    """What a file made for ``user`` from ``agencies`` (agencies they see) covers, for the job's parameters:
    ``{"every_agency_upto": id}`` when they see every agency in the country (a national viewer: their next looks
    check that they still do, :func:`sees_every_agency`), else ``{"agencies": [ids]}``. Taken after the file is
    built, so that no agency in it is newer than ``id``."""
    upto = Agency.objects.aggregate(upto=Max("pk"))["upto"]
    if upto is not None and sees_every_agency(user, upto=upto):
        return {"every_agency_upto": upto}
    return {"agencies": list(agencies.order_by().values_list("pk", flat=True).distinct())}


# The ids a job's ``params["agencies"]`` lists, read inside the database (the job row is never sent back to
# Python for it): PostgreSQL stores the parameters as jsonb, SQLite as JSON text.
_LISTED_AGENCIES_SQL = {
    "postgresql": (
        "SELECT (listed.value)::bigint FROM {job}, jsonb_array_elements_text({job}.params -> 'agencies') AS listed"
        " WHERE {job}.id = %s"
    ),
    "sqlite": "SELECT listed.value FROM {job}, json_each({job}.params, '$.agencies') AS listed WHERE {job}.id = %s",
}


def sees_every_agency_of_job(user, job) -> bool:
    """Whether ``user`` still sees every agency the job's file covers, as its run recorded it
    (:func:`agency_coverage`; nothing recorded: nothing of anybody's to protect). Asked at every look at the job
    and every download, since rights are checked at the moment of acting.

    A file of every agency checks that the person still sees every agency up to the newest it held
    (:func:`sees_every_agency`). A list of agencies is compared in the database: the person's visible agencies
    among those it names, counted against its length (an agency deleted since counts as not seen); 8,000 ids
    sent as query parameters and read back cost the job's pages 70 ms at 8,000 agencies (issue 17)."""
    upto = job.params.get("every_agency_upto")
    if upto is not None:
        return sees_every_agency(user, upto=upto)
    listed = len(set(job.params.get("agencies") or ()))
    if not listed:
        return True
    visible = Agency.objects.visible_to(user)
    sql = _LISTED_AGENCIES_SQL.get(connection.vendor)
    if sql is None:  # another database: the ids go through Python
        ids = set(job.params["agencies"])
        return ids <= set(visible.filter(pk__in=ids).values_list("pk", flat=True))
    job_table = connection.ops.quote_name(job._meta.db_table)
    return visible.filter(pk__in=RawSQL(sql.format(job=job_table), [job.pk])).count() == listed
