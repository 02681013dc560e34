"""Import and export of scores on the web: thin wrappers around ``assessments.transfer``, which the
management commands call alike."""

from __future__ import annotations

import csv
import io

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Role
from assessments import transfer
from assessments.models import Assessment
from ita_tracker.thai import arabic_digits

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
        help_text=gettext_lazy("ขนาดไม่เกิน 5 MB"),
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
        # A national file takes a while to save: the job queue (reports) can do it in the background.
        self.helper.add_input(
            SecondarySubmit(
                "background",
                _("นำเข้าเป็นงานเบื้องหลัง (ไฟล์ใหญ่)"),
                formaction=reverse("reports:job_import_scores"),
            )
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("ไฟล์ต้องมีขนาดไม่เกิน 5 MB กรุณาแบ่งเป็นหลายไฟล์"), code="too_large")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("รองรับเฉพาะไฟล์ .csv และ .xlsx"), code="file_type")
        return upload


def require_coordinator_somewhere(user) -> None:
    """The import page is for people who may write scores: ITA coordinators (of any of their agencies;
    each row is then checked against the agency it names)."""
    if user.is_superuser:
        return  # may also create the file's agencies, so needs none to start with
    if not Agency.objects.with_role(user, Role.COORDINATOR).exists():
        raise PermissionDenied("missing role")


def _template_url() -> str | None:
    try:
        return reverse("assessments:import_template")
    except NoReverseMatch:
        return None


def import_view(request):
    require_coordinator_somewhere(request.user)
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
            create_agencies=bool(form.cleaned_data.get("create_agencies")) and request.user.is_superuser,
        )
        if plan.ok:
            try:
                summary = transfer.apply_plan(plan, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "นำเข้าแล้ว: เพิ่มผลการประเมิน %(created)s รายการ ปรับปรุง %(updated)s รายการ"
                        " สร้างหน่วยงานใหม่ %(agencies)s แห่ง"
                    )
                    % {
                        "created": summary.assessments_created,
                        "updated": summary.assessments_updated,
                        "agencies": summary.agencies_created,
                    },
                )
                return redirect("assessments:index")
    errors = plan.errors if plan is not None else []
    return render(
        request,
        "assessments/import_form.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(len(errors) - MAX_ERRORS_SHOWN, 0),
            "expected_header": ",".join((*transfer.IMPORT_HEADER, *transfer.OPTIONAL_COLUMNS)),
            "template_url": _template_url(),
            "max_errors": MAX_ERRORS_SHOWN,
        },
    )


def import_template_view(request):
    """An empty CSV with the header line, to fill in with Excel."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "แบบฟอร์มนำเข้าผลคะแนน-ITA.csv")
    response.write("\ufeff")
    csv.writer(response).writerow([*transfer.IMPORT_HEADER, *transfer.OPTIONAL_COLUMNS])
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


def export_view(request):
    """The scores of every agency the user can see, one row per agency and year."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("ปีงบประมาณหรือรูปแบบไฟล์ไม่ถูกต้อง"))
    year = form.cleaned_data["year"]
    kind = form.cleaned_data["format"] or "xlsx"
    assessments = Assessment.objects.visible_to(request.user)
    if year is not None:
        assessments = assessments.for_year(year)
    filename = _("ผลการประเมิน-ITA-%(year)s") % {"year": year if year is not None else _("ทุกปี")}
    rows = transfer.export_rows(assessments)
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
        transfer.write_csv(rows, response)
        return response
    buffer = io.BytesIO()
    transfer.write_xlsx(rows, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
