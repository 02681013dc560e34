from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")

    def ready(self):
        from agencies import dashboard
        from measures.dashboard import plan_progress
        from measures.oit.dashboard import oit_panel

        dashboard.register(
            dashboard.Panel(key="measures", template="measures/_dashboard_panel.html", context=plan_progress, order=20)
        )
        dashboard.register(
            dashboard.Panel(key="oit", template="measures/oit/_dashboard_panel.html", context=oit_panel, order=25)
        )
