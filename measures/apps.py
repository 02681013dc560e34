from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")

    def ready(self):
        from agencies import dashboard
        from measures import reminders
        from measures.dashboard import plan_progress

        dashboard.register(
            dashboard.Panel(key="measures", template="measures/_dashboard_panel.html", context=plan_progress, order=20)
        )
        reminders.register()
