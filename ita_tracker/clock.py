"""Today's date, in one place, so that a demo or a test can set it.

The cycle (results, analysis, plan, 6- and 12-month reports) is read against the calendar: the dashboard,
"my measures" and the demo all ask :func:`today`. ``ITA_TODAY`` (``YYYY-MM-DD``, honoured only with
``DEBUG``) makes a development server live on another day, e.g. the day a demo was loaded for with
``load_demo --today 2027-03-15``; tests set ``settings.ITA_TODAY`` to a ``date``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    value = getattr(settings, "ITA_TODAY", None)
    if isinstance(value, date):
        return value
    if value:
        return date.fromisoformat(str(value))
    return timezone.localdate()
