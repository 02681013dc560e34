"""Import and export of scores on the web: thin wrappers around ``assessments.transfer``, which the
management commands call alike."""

from __future__ import annotations

import io
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.models import Agency, Role
from assessments import permissions, transfer
from assessments.jobs import EXPORT_SCORES, IMPORT_SCORES, export_filename
from assessments.models import Assessment, FrameworkEdition
from assessments.transfer import template as transfer_template
from ita_tracker.job_views import job_started_redirect
from ita_tracker.jobs import job_start
from ita_tracker.thai import arabic_digits, in_local_digits, local_digits

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ERRORS_SHOWN = 500  # a wrong national file can have thousands; the command line lists them all
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SecondarySubmit(Submit):
    """A submit button in the outline style. Submit's own classes are ``btn btn-primary``, and adding
    ``btn-outline-secondary`` to them drew grey text on blue (1.04:1): the classes are replaced, not added to."""

    field_classes = "btn btn-outline-secondary"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ไฟล์ผลคะแนน (.csv หรือ .xlsx)"),
        help_text=in_local_digits(gettext_lazy("ขนาดไม่เกิน ๕ MB")),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    create_agencies = forms.BooleanField(
        label=gettext_lazy("สร้างหน่วยงานที่ยังไม่มีในระบบ"),
        help_text=gettext_lazy("ต้องมีคอลัมน์ agency_type สำหรับหน่วยงานที่จะสร้าง"),
        required=False,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Creating agencies would tell a coordinator which names exist elsewhere: administrators only.
        if not user.is_superuser:
            del self.fields["create_agencies"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("ตรวจสอบและนำเข้า")))
        # A national file takes a while to save: the job queue can do it in the background.
        self.helper.add_input(
            SecondarySubmit(
                "background",
                _("นำเข้าเป็นงานเบื้องหลัง (ไฟล์ใหญ่)"),
                formaction=reverse("assessments:import_background"),
            )
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(local_digits(_("ไฟล์ต้องมีขนาดไม่เกิน ๕ MB กรุณาแบ่งเป็นหลายไฟล์")), code="too_large")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("รองรับเฉพาะไฟล์ .csv และ .xlsx"), code="file_type")
        return upload


def _template_edition(year: str | None) -> FrameworkEdition | None:
    """The edition whose header the page and the template show: the year asked for, else the latest."""
    editions = FrameworkEdition.objects.prefetch_related("indicators").order_by("-fiscal_year")
    text = arabic_digits((year or "").strip())
    if text.isdigit():
        chosen = editions.filter(fiscal_year=int(text)).first()
        if chosen is not None:
            return chosen
    return editions.first()


def _header_line(edition: FrameworkEdition | None) -> list[str]:
    if edition is None:
        return [*transfer.BASE_COLUMNS, *transfer.OPTIONAL_COLUMNS]
    return transfer.import_header(edition)


def _template_url() -> str | None:
    try:
        return reverse("assessments:import_template")
    except NoReverseMatch:
        return None


def import_view(request):
    permissions.require_importer(request.user)
    if request.method == "POST":
        form = ImportForm(request.user, request.POST, request.FILES)
    else:
        form = ImportForm(request.user)
    plan = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        plan = transfer.check_file(
            upload,
            upload.name,
            user=request.user,
            create_agencies=bool(form.cleaned_data.get("create_agencies")),
        )
        if plan.ok:
            try:
                summary = transfer.apply_plan(plan, by=request.user)
            except (ValidationError, PermissionDenied, transfer.ImportRefused) as exc:
                form.add_error(None, str(exc) if not isinstance(exc, ValidationError) else exc)
            else:
                messages.success(
                    request,
                    _(
                        "นำเข้าแล้ว: เพิ่มผลการประเมิน %(created)s รายการ ปรับปรุง %(updated)s รายการ"
                        " สร้างหน่วยงานใหม่ %(agencies)s แห่ง"
                    )
                    % {
                        "created": local_digits(summary.assessments_created),
                        "updated": local_digits(summary.assessments_updated),
                        "agencies": local_digits(summary.agencies_created),
                    },
                )
                return redirect("assessments:index")
    errors = plan.errors if plan is not None else []
    edition = _template_edition(request.GET.get("year"))
    return render(
        request,
        "assessments/import_form.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(len(errors) - MAX_ERRORS_SHOWN, 0),
            "expected_header": ",".join(_header_line(edition)),
            "header_year": edition.fiscal_year if edition is not None else None,
            "template_url": _template_url(),
            "max_errors": MAX_ERRORS_SHOWN,
        },
    )


@require_POST
def import_background_view(request):
    """A large score file, saved in the background: the upload is kept privately until the worker has checked
    and saved it (or the job could not start: then it is deleted at once)."""
    permissions.require_importer(request.user)
    form = ImportForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("assessments:import")
    upload = form.cleaned_data["file"]
    extension = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    path = default_storage.save(f"imports/{uuid.uuid4().hex}{extension}", upload)
    job = job_start(
        kind=IMPORT_SCORES,
        params={
            "path": path,
            "filename": upload.name,
            "create_agencies": bool(form.cleaned_data.get("create_agencies")) and request.user.is_superuser,
        },
        by=request.user,
    )
    return job_started_redirect(request, job)


def import_template_view(request):
    """The workbook to fill in for a year's edition (``?year=``, else the latest): Thai headers, the
    coordinator's agencies prefilled, notes and an example for every column; ``?items=1`` for item scores."""
    edition = _template_edition(request.GET.get("year"))
    if edition is None:
        return HttpResponseBadRequest(_("ยังไม่มีเกณฑ์การประเมินในระบบ"))
    agencies = list(Agency.objects.with_role(request.user, Role.COORDINATOR).order_by("province", "name")[:200])
    if request.GET.get("items"):
        data, name = transfer_template.item_template(edition, agencies), "แบบฟอร์มนำเข้าคะแนนรายข้อ-ITA"
    else:
        data, name = transfer_template.score_template(edition, agencies), "แบบฟอร์มนำเข้าผลคะแนน-ITA"
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}-{edition.fiscal_year}.xlsx")
    return response


class ExportForm(forms.Form):
    year = forms.CharField(required=False)
    format = forms.ChoiceField(choices=[("xlsx", "xlsx"), ("csv", "csv")], required=False)

    def clean_year(self) -> int | None:
        text = arabic_digits(self.cleaned_data["year"].strip())
        if not text:
            return None
        if not text.isdigit():
            raise ValidationError(_("ปีงบประมาณต้องเป็นตัวเลข พ.ศ."), code="invalid")
        return int(text)


def export_in_background(user) -> bool:
    """Whether a person's export is too big for a request: more agencies than ``EXPORT_INLINE_MAX_AGENCIES``
    (a national viewer follows 8,000; the file of a province's 100 agencies × 7 years takes well under a
    second). One COUNT over the person's memberships."""
    return Agency.objects.visible_to(user).count() > settings.EXPORT_INLINE_MAX_AGENCIES


def export_view(request):
    """The scores of every agency the user can see, one row per agency and year.

    A GET answers with the file when the person follows few agencies. Over the limit, and for every POST, the
    file is built by a job (``assessments.jobs.EXPORT_SCORES``) and the person lands on its page: no national
    work inside a request (issue 17)."""
    form = ExportForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("ปีงบประมาณหรือรูปแบบไฟล์ไม่ถูกต้อง"))
    year = form.cleaned_data["year"]
    kind = form.cleaned_data["format"] or "xlsx"
    if request.method == "POST":
        job = job_start(kind=EXPORT_SCORES, params={"year": year, "format": kind}, by=request.user)
        return job_started_redirect(request, job)
    if export_in_background(request.user):
        messages.info(request, _('หน่วยงานที่ติดตามมีจำนวนมาก ไฟล์จึงสร้างในเบื้องหลัง: กดปุ่ม "ส่งออก Excel" อีกครั้ง'))
        return redirect("assessments:index")
    assessments = Assessment.objects.visible_to(request.user)
    if year is not None:
        assessments = assessments.for_year(year)
    rows = transfer.export_rows(assessments)
    filename = export_filename(year, kind)
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        transfer.write_csv(rows, response)
        return response
    buffer = io.BytesIO()
    transfer.write_xlsx(rows, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
