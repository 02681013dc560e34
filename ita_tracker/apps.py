"""The foundation: ``ita_tracker`` is the project package *and* an installed app below ``agencies``.

Why the project package rather than a separate ``core`` app: it already held what every app shares (Thai
calendar helpers, the BE date field, template filters, backups), and the machinery added here (background
jobs, notifications, the Excel workbook base, action hooks) is of the same kind: it knows nothing of
agencies, scores, measures or memos. Later apps fill its registries in their ``AppConfig.ready()``, as the
admin autodiscovers ``admin.py``: ``ita_tracker.jobs.register_job_kind``, ``ita_tracker.notify.register_channel``
and ``ita_tracker.hooks.register_action``. So the foundation imports no app, and any app may import it.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItaTrackerConfig(AppConfig):
    name = "ita_tracker"
    label = "ita_tracker"
    verbose_name = _("ระบบกลาง (งานเบื้องหลังและการแจ้งเตือน)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ita_tracker import notify

        notify.register_builtin_channels()
