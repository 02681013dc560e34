"""The documents this app offers on the pages of earlier apps (``ita_tracker.hooks``): the plan page's document
menu, the analysis page's PDF and Excel, and the comparison table's Excel export. Registered in
``ReportsConfig.ready()``; the earlier apps' templates only say ``{% object_actions "plan" plan ... %}``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ita_tracker.hooks import Action, actions_for, register_action
from reports.documents import (
    AntiCorruptionPlanDocument,
    AntiCorruptionReportDocument,
    PlanDocument,
    ResultsDocument,
)

# The plan page's document menu: (key, label, view, format, document). The year's documents ZIP holds the
# documents of the entries this menu offers for the plan (plan_documents), so the two cannot drift apart.
PLAN_MENU = [
    ("plan_pdf", _("แผนมาตรการ (PDF)"), "reports:plan_document", "pdf", PlanDocument),
    ("plan_xlsx", _("แผนมาตรการ (Excel)"), "reports:plan_document", "xlsx", PlanDocument),
    ("results_pdf", _("รายงานผลการดำเนินการ (PDF)"), "reports:results_document", "pdf", ResultsDocument),
    ("results_xlsx", _("รายงานผลการดำเนินการ (Excel)"), "reports:results_document", "xlsx", ResultsDocument),
    (
        "o23_pdf",
        _("แผนปฏิบัติการป้องกันการทุจริต O23 (PDF)"),
        "reports:anticorruption_plan_document",
        "pdf",
        AntiCorruptionPlanDocument,
    ),
    (
        "o23_xlsx",
        _("แผนปฏิบัติการป้องกันการทุจริต O23 (Excel)"),
        "reports:anticorruption_plan_document",
        "xlsx",
        AntiCorruptionPlanDocument,
    ),
    (
        "o24_pdf",
        _("รายงานผลการป้องกันการทุจริต O24 (PDF)"),
        "reports:anticorruption_report_document",
        "pdf",
        AntiCorruptionReportDocument,
    ),
    (
        "o24_xlsx",
        _("รายงานผลการป้องกันการทุจริต O24 (Excel)"),
        "reports:anticorruption_report_document",
        "xlsx",
        AntiCorruptionReportDocument,
    ),
]


def _plan_action(key: str, label, name: str, fmt: str, order: int) -> Action:
    return Action(key=key, label=label, url=lambda plan: reverse(name, args=[plan.pk, fmt]), order=order)


def plan_documents(plan) -> list:
    """The documents the plan page's menu offers for ``plan`` (each once, in menu order): asked of the menu
    itself (``actions_for``), so an entry hidden for a plan (an action's ``visible``) leaves the ZIP too."""
    offered = {action.key for action in actions_for("plan", plan)}
    kinds = []
    for key, _label, _name, _fmt, document in PLAN_MENU:
        if key in offered and document not in kinds:
            kinds.append(document)
    return [document(plan) for document in kinds]


def register() -> None:
    for order, (key, label, name, fmt, _document) in enumerate(PLAN_MENU):
        register_action("plan", _plan_action(key, label, name, fmt, order=10 + order))
    register_action(
        "plan",
        Action(
            key="agency_documents_zip",
            label=_("เอกสารทั้งหมดของปีนี้ (ZIP, ทำงานเบื้องหลัง)"),
            url=lambda plan: reverse("reports:job_agency_documents", args=[plan.pk]),
            method="post",
            order=20,
        ),
    )
    register_action(
        "plan",
        Action(
            key="document_wording",
            label=_("ข้อความของหน่วยงานในเอกสาร"),
            url=lambda plan: reverse("reports:wording_list", args=[plan.agency.code, plan.fiscal_year]),
            order=25,
        ),
    )
    register_action(
        "plan",
        Action(
            key="public_evidence",
            label=_("หน้าเผยแพร่สาธารณะ (o42/o43)"),
            url=lambda plan: reverse("public:evidence", args=[plan.agency.code, plan.fiscal_year]),
            order=30,
            divider_before=True,
        ),
    )
    register_action(
        "analysis",
        Action(
            key="analysis_pdf",
            label="PDF",
            icon="file-earmark-pdf",
            style="btn-sm btn-outline-danger",
            url=lambda assessment: reverse("reports:analysis_document", args=[assessment.pk, "pdf"]),
            order=10,
        ),
    )
    register_action(
        "analysis",
        Action(
            key="analysis_xlsx",
            label="Excel",
            icon="file-earmark-spreadsheet",
            style="btn-sm btn-outline-success",
            url=lambda assessment: reverse("reports:analysis_document", args=[assessment.pk, "xlsx"]),
            order=20,
        ),
    )
    register_action(
        "score_table",
        Action(
            key="score_table_xlsx",
            label=_("ส่งออก Excel"),
            icon="file-earmark-spreadsheet",
            url=lambda filters: reverse("reports:job_score_table"),
            method="post",
            fields=lambda filters: {
                "year": filters.get("year", ""),
                "province": filters.get("province", ""),
                "type": filters.get("type", ""),
            },
        ),
    )
    register_action(
        "score_table",
        Action(
            key="documents_pack",
            label=_("ชุดเอกสารทุกหน่วยงาน (ZIP)"),
            icon="file-earmark-zip",
            url=lambda filters: reverse("reports:job_documents_pack"),
            method="post",
            fields=lambda filters: {
                "year": filters.get("year", ""),
                "province": filters.get("province", ""),
                "type": filters.get("type", ""),
            },
        ),
    )
