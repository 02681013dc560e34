from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")

    def ready(self):
        from django.db.models.signals import post_migrate

        from agencies import dashboard
        from measures import reminders
        from measures.dashboard import cycle_steps, my_work, plan_progress
        from measures.library import install_library

        post_migrate.connect(install_library, sender=self, dispatch_uid="measures_install_library")
        from measures.oit.dashboard import oit_panel

        dashboard.register(
            dashboard.Panel(key="measures", template="measures/_dashboard_panel.html", context=plan_progress, order=20)
        )
        dashboard.register(
            dashboard.Panel(key="my_work", template="measures/_my_work_panel.html", context=my_work, order=5)
        )
        dashboard.register_steps("measures", cycle_steps)
        reminders.register()
        from measures.oit import jobs as oit_jobs

        oit_jobs.register()
        dashboard.register(
            dashboard.Panel(key="oit", template="measures/oit/_dashboard_panel.html", context=oit_panel, order=25)
        )
