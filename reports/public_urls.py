"""Addresses anyone may open without logging in: the OIT evidence of an agency-year."""

from django.urls import path

from reports import downloads

app_name = "public"

urlpatterns = [
    path("<slug:code>/<int:year>/", downloads.public_evidence, name="evidence"),
    path("<slug:code>/<int:year>/memo-<int:pk>.pdf", downloads.public_memo_pdf, name="memo_pdf"),
]
