from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("หน่วยงานและบุคลากร")

    def ready(self):
        from PIL import Image

        from ita_tracker import images

        # Pillow's decompression-bomb guard at the uploads' limit, for every image anything opens (WeasyPrint
        # included): above it Pillow warns, above twice it refuses.
        Image.MAX_IMAGE_PIXELS = images.max_pixels()

        from agencies.line import line_targets
        from ita_tracker import notify
        from ita_tracker.channels import line

        line.set_token_source(line_targets)
        notify.register_channel("line", line.send)

        from ita_tracker.housekeeping import register_housekeeping

        register_housekeeping(prune_audit_past_retention)


def prune_audit_past_retention() -> None:
    """Housekeeping: delete audit entries older than ``AUDIT_RETENTION_DAYS`` when an installation sets one."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.AUDIT_RETENTION_DAYS:
        call_command("prune_audit", older_than=settings.AUDIT_RETENTION_DAYS, verbosity=0)
