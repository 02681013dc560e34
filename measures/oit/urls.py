"""The OIT checklist's pages, included under ``measures/oit/`` in the ``measures`` namespace."""

from django.urls import path

from measures.oit import views

urlpatterns = [
    path("oit/", views.index, name="oit_index"),
    path("oit/open/", views.checklist_open, name="oit_open"),
    path("oit/overview/", views.overview, name="oit_overview"),
    path("oit/overview.xlsx", views.overview_export, name="oit_overview_export"),
    path("oit/<int:pk>/", views.checklist_detail, name="oit_checklist"),
    path("oit/<int:pk>/due/", views.checklist_due, name="oit_due"),
    path("oit/<int:pk>/itas.<str:fmt>", views.itas_export, name="oit_itas"),
    path("oit/items/<int:pk>/", views.entry_detail, name="oit_entry"),
    path("oit/items/<int:pk>/assign/", views.entry_assign, name="oit_assign"),
    path("oit/items/<int:pk>/evidence/", views.evidence_add, name="oit_evidence_add"),
    path("oit/items/<int:pk>/submit/", views.entry_submit, name="oit_submit"),
    path("oit/items/<int:pk>/review/", views.entry_review, name="oit_review"),
    path("oit/evidence/<int:pk>/", views.evidence_download, name="oit_evidence"),
    path("oit/evidence/<int:pk>/remove/", views.evidence_remove, name="oit_evidence_remove"),
    path("oit/evidence/<int:pk>/keep/", views.evidence_keep, name="oit_evidence_keep"),
]
