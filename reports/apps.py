from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("บันทึกข้อความและรายงาน")

    def ready(self):
        from reports import hooks, jobs, oit, reminders, seal
        from reports.checks import weasyprint_pin

        jobs.register()
        seal.register()
        hooks.register()
        oit.register()
        reminders.register()

        checks.register(weasyprint_pin, checks.Tags.compatibility, deploy=True)

        from agencies import dashboard
        from reports.dashboard import cycle_steps, my_memos, viewer_summary, waiting_for_me

        dashboard.register(
            dashboard.Panel(key="waiting", template="reports/_waiting_panel.html", context=waiting_for_me, order=1)
        )
        dashboard.register(
            dashboard.Panel(key="my_memos", template="reports/_my_memos_panel.html", context=my_memos, order=30)
        )
        dashboard.register(
            dashboard.Panel(key="oversight", template="reports/_oversight_panel.html", context=viewer_summary, order=2)
        )
        dashboard.register_steps("reports", cycle_steps)
