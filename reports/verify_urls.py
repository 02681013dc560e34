"""The public verification of sealed memos (``reports.verify``): anyone, without an account."""

from django.urls import path

from reports import verify

app_name = "verify"

urlpatterns = [
    path("", verify.verify_lookup, name="lookup"),
    path("<str:code>/", verify.verify_record, name="record"),
]
