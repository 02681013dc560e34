from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("บันทึกข้อความและรายงาน")

    def ready(self):
        from reports import hooks, jobs, oit

        jobs.register()
        hooks.register()
        oit.register()
