from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from agencies.accounts import ThrottledPasswordResetView
from agencies.views import dashboard_view, privacy_notice
from reports import api

admin.site.site_header = _("ITA Tracker – ผู้ดูแลระบบ")
admin.site.site_title = _("ITA Tracker")
admin.site.index_title = _("จัดการข้อมูล")

urlpatterns = [
    path("", dashboard_view, name="dashboard"),
    # Django's own auth views and URL names (login, logout, password_change, password_reset, …),
    # with Thai templates in templates/registration/.
    # Password reset mails are throttled by address, account and client (agencies.accounts); listed first so it
    # takes the URL name of Django's own view.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # What personal data is kept and why (PDPA), readable without an account.
    path("privacy/", privacy_notice, name="privacy"),
    path("agencies/", include("agencies.urls")),
    path("assessments/", include("assessments.urls")),
    path("measures/", include("measures.urls")),
    path("reports/", include("reports.urls")),
    path("public/oit/", include("measures.oit.public_urls")),
    path("public/", include("reports.public_urls")),
    # Anyone checks a sealed memo by the code printed on it (reports/verify.py).
    path("verify/", include("reports.verify_urls")),
    path("jobs/", include("ita_tracker.job_urls")),
    path("notifications/", include("ita_tracker.notification_urls")),
    path("admin/", admin.site.urls),
    # The read-only JSON API (token per person; reports/api.py), its OpenAPI description at /api/v1/openapi.json.
    path("api/v1/", api.urls()),
]
