from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import dashboard, permissions, scope, services
from agencies.audit import field_label
from agencies.forms import AgencyFilterForm, AgencySettingsForm, DepartmentForm, MembershipForm, PersonForm
from agencies.middleware import SESSION_KEY
from agencies.models import Agency, AuditEntry, Membership
from agencies.permissions import get_visible_agency_or_404, require_role
from ita_tracker.paginator import BothEndsPaginator
from ita_tracker.thai import fiscal_year


def dashboard_view(request):
    """Where the person stands in this fiscal year: the coordinator's checklist of the cycle, then each
    app's panels (staff's work due, memos waiting, one's own memos, the agencies a viewer follows)."""
    workspace = request.workspace
    today = dashboard.today(request)
    year = fiscal_year(today)
    checklist = None
    if workspace.agency is not None and workspace.has_role(*permissions.RUN_CYCLE):
        checklist = dashboard.cycle_steps(agency=workspace.agency, fiscal_year=year, today=today)
    # Live for a person of a few agencies; kept a few minutes for one who follows many (agencies.scope).
    agency_count, agency_count_as_of = scope.agency_count(request)
    panels = []
    for panel in dashboard.panels():
        context = panel.context(request)
        if context is not None:
            panels.append((panel, context))
    return render(
        request,
        "agencies/dashboard.html",
        {
            "agency": workspace.agency,
            "membership": workspace.membership,
            "panels": panels,
            "checklist": checklist,
            "overdue_count": sum(step.overdue for step in checklist or ()),
            "agency_count": agency_count,
            "agency_count_as_of": agency_count_as_of,
            "current_fiscal_year": year,
            "today": today,
        },
    )


def agency_list(request):
    """The agencies the person follows, 50 a page. The page's ids are found first (through the (province, name)
    index), then only those 50 are counted for their divisions: annotating before paginating grouped all
    8,000 agencies of a national viewer on every page (issue 17). For a person who follows many agencies the
    number of agencies (hence of pages) is kept a few minutes per person and filter (agencies.scope), and a page
    past the middle is read from the end (ita_tracker.paginator.BothEndsPaginator): the last page no longer
    walks the 7,950 rows before it."""
    form = AgencyFilterForm(request.GET or None)
    agencies = Agency.objects.visible_to(request.user)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            agencies = agencies.filter(Q(name__icontains=data["q"]) | Q(code__icontains=data["q"]))
        if data["province"]:
            agencies = agencies.filter(province__icontains=data["province"])
        if data["type"]:
            agencies = agencies.filter(type=data["type"])
        filters = {name: data[name] for name in ("q", "province", "type") if data[name]}
    count, count_as_of = scope.summary(request, "agency-list-count", agencies.count, **filters)
    ids = agencies.order_by("province", "name", "pk").values_list("pk", flat=True)
    page = BothEndsPaginator(ids, 50, count=count).get_page(request.GET.get("page"))
    page.object_list = list(
        Agency.objects.filter(pk__in=list(page.object_list))
        .annotate(department_count=Count("departments", distinct=True))
        .order_by("province", "name", "pk")
    )
    return render(request, "agencies/agency_list.html", {"form": form, "page": page, "count_as_of": count_as_of})


def agency_detail(request, pk):
    agency = get_visible_agency_or_404(request.user, pk)
    roles = permissions.roles_for(request.user, agency, request.workspace.membership)
    can_see_people = bool(roles & permissions.SEE_PEOPLE)
    members = []
    if can_see_people:
        members = (
            Membership.objects.filter(agency=agency)
            .select_related("user", "department")
            .order_by("-is_active", "department__order", "user__first_name")
        )
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "departments": agency.departments.all(),
            "members": members,
            "can_see_people": can_see_people,
            "can_manage": bool(roles & permissions.MANAGE_AGENCY),
            "roles": roles,
        },
    )


def agency_emblem(request, pk):
    agency = get_visible_agency_or_404(request.user, pk)
    if not agency.emblem:
        raise Http404("No emblem")
    return FileResponse(agency.emblem.open("rb"))


def agency_update(request, pk):
    agency = get_visible_agency_or_404(request.user, pk)
    require_role(request, agency, *permissions.MANAGE_AGENCY)
    form = AgencySettingsForm(request.POST or None, request.FILES or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("บันทึกข้อมูลหน่วยงานแล้ว"))
        return redirect(agency)
    return render(request, "agencies/agency_form.html", {"agency": agency, "form": form})


def department_edit(request, pk, department_pk=None):
    agency = get_visible_agency_or_404(request.user, pk)
    require_role(request, agency, *permissions.MANAGE_AGENCY)
    department = get_object_or_404(agency.departments, pk=department_pk) if department_pk else None
    form = DepartmentForm(agency, request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        services.department_save(department=form.instance, by=request.user)
        messages.success(request, _("บันทึกส่วนราชการ “%(name)s” แล้ว") % {"name": form.instance.name})
        return redirect(agency)
    return render(request, "agencies/department_form.html", {"agency": agency, "form": form, "department": department})


def membership_edit(request, pk, membership_pk):
    agency = get_visible_agency_or_404(request.user, pk)
    require_role(request, agency, *permissions.MANAGE_AGENCY)
    membership = get_object_or_404(Membership.objects.select_related("user"), agency=agency, pk=membership_pk)
    form = MembershipForm(agency, request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_save(membership=form.instance, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("บันทึกข้อมูลของ %(name)s แล้ว") % {"name": membership.display_name})
            return redirect(agency)
    refusal = permissions.suspend_refusal(membership=membership, by=request.user)
    return render(
        request,
        "agencies/membership_form.html",
        {
            "agency": agency,
            "form": form,
            "membership": membership,
            "can_suspend": membership.user.is_active and refusal is None,
            "in_other_agencies": refusal is not None and refusal.code == "other_agencies",
        },
    )


@require_POST
def person_suspend(request, pk, membership_pk):
    """ระงับบัญชีผู้ใช้: a person who left can no longer log in, and is logged out everywhere now."""
    agency = get_visible_agency_or_404(request.user, pk)
    require_role(request, agency, *permissions.MANAGE_AGENCY)
    membership = get_object_or_404(Membership.objects.select_related("user"), agency=agency, pk=membership_pk)
    try:
        services.person_suspend(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("agencies:membership_edit", pk=agency.pk, membership_pk=membership.pk)
    messages.success(
        request,
        _("ระงับบัญชีผู้ใช้ของ %(name)s แล้ว ชื่อในบันทึกที่ลงนามไว้ยังคงอยู่") % {"name": membership.display_name},
    )
    return redirect(agency)


def audit_list(request, pk):
    """The audit trail of one agency, newest first, for its ITA coordinators and agency admins."""
    agency = get_visible_agency_or_404(request.user, pk)
    require_role(request, agency, *permissions.READ_AUDIT)
    entries = AuditEntry.objects.filter(agency=agency).select_related("actor")
    object_type = request.GET.get("type", "")
    if object_type in AuditEntry.ObjectType.values:
        entries = entries.filter(object_type=object_type)
    else:
        object_type = ""
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.changes = [
            (field_label(key), entry.before.get(key), entry.after.get(key)) for key in {**entry.before, **entry.after}
        ]
    return render(
        request,
        "agencies/audit_list.html",
        {"agency": agency, "page": page, "object_type": object_type, "object_types": AuditEntry.ObjectType.choices},
    )


@login_not_required
def privacy_notice(request):
    """What personal data the application keeps and why (PDPA): public, so it can be read before logging in."""
    return render(request, "privacy.html")


def person_add(request, pk):
    agency = get_visible_agency_or_404(request.user, pk)
    require_role(request, agency, *permissions.MANAGE_AGENCY)
    person_form = PersonForm(request.POST or None, prefix="person")
    membership_form = MembershipForm(agency, request.POST or None, prefix="membership")
    if request.method == "POST" and person_form.is_valid() and membership_form.is_valid():
        password = services.temporary_password()
        try:
            membership = services.person_add(
                agency=agency,
                by=request.user,
                **person_form.cleaned_data,
                department=membership_form.cleaned_data["department"],
                position_title=membership_form.cleaned_data["position_title"],
                roles=membership_form.cleaned_data["roles"],
                password=password,
            )
        except ValidationError as exc:
            membership_form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("เพิ่ม %(name)s แล้ว รหัสผ่านชั่วคราวคือ %(password)s (แจ้งให้เปลี่ยนรหัสผ่านหลังเข้าสู่ระบบ)")
                % {"name": membership.display_name, "password": password},
            )
            return redirect(agency)
    return render(
        request,
        "agencies/person_form.html",
        {"agency": agency, "person_form": person_form, "membership_form": membership_form},
    )


@require_POST
def switch_agency(request):
    agency = get_visible_agency_or_404(request.user, request.POST.get("agency"))
    request.session[SESSION_KEY] = agency.pk
    messages.info(request, _("กำลังทำงานในหน่วยงาน %(agency)s") % {"agency": agency.name})
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect(reverse("dashboard"))
