from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("หน่วยงานและบุคลากร")

    def ready(self):
        from ita_tracker.housekeeping import register_housekeeping

        register_housekeeping(prune_audit_past_retention)


def prune_audit_past_retention() -> None:
    """Housekeeping: delete audit entries older than ``AUDIT_RETENTION_DAYS`` when an installation sets one."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.AUDIT_RETENTION_DAYS:
        call_command("prune_audit", older_than=settings.AUDIT_RETENTION_DAYS, verbosity=0)
