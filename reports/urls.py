from django.urls import path

from reports import attachment_views, downloads, views, wording

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("memos/new/", views.memo_start, name="memo_start"),
    path("memos/<int:pk>/", views.memo_detail, name="memo_detail"),
    path("memos/<int:pk>/edit/", views.memo_edit, name="memo_edit"),
    path("memos/<int:pk>/submit/", views.memo_submit, name="memo_submit"),
    path("memos/<int:pk>/decide/", views.memo_decide, name="memo_decide"),
    path("memos/<int:pk>/withdraw/", views.memo_withdraw, name="memo_withdraw"),
    path("memos/<int:pk>/reassign/", views.memo_reassign, name="memo_reassign"),
    path("memos/<int:pk>/delete/", views.memo_delete, name="memo_delete"),
    path("memos/<int:pk>/publish/", views.memo_publish, name="memo_publish"),
    path("memos/<int:pk>/attachments/", attachment_views.attachment_add, name="memo_attachment_add"),
    path(
        "memos/<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachment_views.attachment_remove,
        name="memo_attachment_remove",
    ),
    path("wording/<str:code>/<int:year>/", wording.wording_list, name="wording_list"),
    path("wording/<str:code>/<int:year>/<str:document>/<str:key>/", wording.wording_edit, name="wording_edit"),
    path("oversight/", views.oversight_view, name="oversight"),
    path("chains/", views.chain_list, name="chain_list"),
    path("chains/new/", views.chain_edit, name="chain_create"),
    path("chains/<int:pk>/edit/", views.chain_edit, name="chain_edit"),
]

urlpatterns += [
    path("memos/<int:pk>/document.<str:fmt>", downloads.memo_document, name="memo_document"),
    path("plans/<int:pk>/plan.<str:fmt>", downloads.plan_document, name="plan_document"),
    path("plans/<int:pk>/results.<str:fmt>", downloads.results_document, name="results_document"),
    path("plans/<int:pk>/o23.<str:fmt>", downloads.anticorruption_plan_document, name="anticorruption_plan_document"),
    path(
        "plans/<int:pk>/o24.<str:fmt>", downloads.anticorruption_report_document, name="anticorruption_report_document"
    ),
    path("assessments/<int:pk>/analysis.<str:fmt>", downloads.analysis_document, name="analysis_document"),
    path("scores.xlsx", downloads.score_table, name="score_table"),
    path("jobs/plan-<int:pk>/documents/", downloads.job_agency_documents, name="job_agency_documents"),
    path("jobs/scores/", downloads.job_score_table, name="job_score_table"),
    path("jobs/pack/", downloads.job_documents_pack, name="job_documents_pack"),
]
