from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("บันทึกข้อความและรายงาน")

    def ready(self):
        from reports import hooks, jobs
        from reports.checks import weasyprint_pin

        jobs.register()
        hooks.register()

        checks.register(weasyprint_pin, checks.Tags.compatibility, deploy=True)
