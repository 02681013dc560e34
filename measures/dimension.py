"""The measure page's small "มิติและงบประมาณ" form: the anti-corruption dimension and the budget a measure
carries as a project of the anti-corruption action plan (O23/O24). A form of its own, posted to its own view,
so the main measure form stays as it is; the lead may fold these two fields into it later. Rights are those of
editing a measure (coordinators), checked again by ``services.measure_update`` under the measure's lock, which
also refuses an edit made from a stale version and writes the audit entry."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from measures import permissions, selectors, services
from measures.models import AntiCorruptionDimension


class DimensionBudgetForm(forms.Form):
    anticorruption_dimension = forms.ChoiceField(
        label=gettext_lazy("มิติของแผนปฏิบัติการป้องกันการทุจริต"),
        choices=[("", gettext_lazy("— ไม่อยู่ในแผนปฏิบัติการป้องกันการทุจริต —")), *AntiCorruptionDimension.choices],
        required=False,
    )
    budget = forms.DecimalField(
        label=gettext_lazy("งบประมาณ (บาท)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={
            "invalid": gettext_lazy("งบประมาณต้องเป็นตัวเลข (บาท)"),
            "min_value": gettext_lazy("งบประมาณต้องไม่ติดลบ"),
            "max_digits": gettext_lazy("งบประมาณมีจำนวนหลักมากเกินไป"),
            "max_decimal_places": gettext_lazy("งบประมาณมีทศนิยมได้ไม่เกิน ๒ ตำแหน่ง"),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_measure(cls, measure) -> DimensionBudgetForm:
        return cls(
            initial={
                "anticorruption_dimension": measure.anticorruption_dimension,
                "budget": measure.budget,
                "version": measure.version,
            }
        )


@require_POST
def measure_dimension(request, pk):
    measure = selectors.visible_measure_or_404(request.user, pk)
    if not permissions.can_edit_plan(request.user, measure.plan.agency):
        raise PermissionDenied("coordinators edit measures")
    form = DimensionBudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(measure)
    try:
        services.measure_update(
            measure=measure,
            expected_version=form.cleaned_data["version"],
            fields={
                "anticorruption_dimension": form.cleaned_data["anticorruption_dimension"],
                "budget": form.cleaned_data["budget"],
            },
            by=request.user,
        )
    except services.StaleEdit:
        messages.error(request, _("มีผู้อื่นแก้ไขมาตรการนี้ระหว่างที่ท่านแก้ไข โปรดตรวจสอบแล้วบันทึกอีกครั้ง"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("บันทึกมิติและงบประมาณแล้ว"))
    return redirect(measure)
