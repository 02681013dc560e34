from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("หน่วยงานและบุคลากร")

    def ready(self):
        from agencies.line import line_targets
        from ita_tracker import notify
        from ita_tracker.channels import line

        line.set_token_source(line_targets)
        notify.register_channel("line", line.send)
