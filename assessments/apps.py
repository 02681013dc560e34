from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("ผลการประเมิน ITA")

    def ready(self):
        from agencies import dashboard
        from assessments import jobs, reminders
        from assessments.dashboard import cycle_steps, latest_results
        from assessments.editions import install_missing_editions

        # Framework editions are reference data: every migrated database (and test database) has them.
        post_migrate.connect(install_missing_editions, sender=self, dispatch_uid="assessments_install_editions")

        jobs.register()
        reminders.register()

        from django.db.models.signals import post_delete

        from assessments.averages import rebuild_after_delete
        from assessments.models import Assessment

        post_delete.connect(rebuild_after_delete, sender=Assessment, dispatch_uid="assessments_averages_after_delete")

        dashboard.register(
            dashboard.Panel(
                key="assessments", template="assessments/_dashboard_panel.html", context=latest_results, order=10
            )
        )
        dashboard.register_steps("assessments", cycle_steps)
