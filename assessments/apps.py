from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("ผลการประเมิน ITA")

    def ready(self):
        from agencies import dashboard
        from assessments.dashboard import cycle_steps, latest_results

        dashboard.register(
            dashboard.Panel(
                key="assessments", template="assessments/_dashboard_panel.html", context=latest_results, order=10
            )
        )
        dashboard.register_steps("assessments", cycle_steps)
