"""The client's address, read only where the deployment says it can be trusted.

Behind a reverse proxy every request arrives from the proxy, so ``REMOTE_ADDR`` is the proxy's address and a
login lockout keyed on it locks one user name for everybody. The real address is in a header the proxy sets
(``X-Forwarded-For``, ``X-Real-IP``), but a client can send those headers too: a header is believed only when
the deployment names it in ``TRUSTED_PROXY_HEADER`` (its ``request.META`` key, e.g. ``HTTP_X_REAL_IP``), which
it must only do when the proxy overwrites (or appends to) that header on every request. Without the setting the
address is ``REMOTE_ADDR`` and every such header is ignored.

django-axes reads the address through :func:`client_ip` (``AXES_CLIENT_IP_CALLABLE``), and so does the
password-reset throttle.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The configured trusted header's address (for a list, the last one: the entry our proxy appended), or
    ``REMOTE_ADDR``. A malformed header value falls back to ``REMOTE_ADDR`` rather than to what the client
    wrote."""
    remote = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if not header:
        return remote
    value = request.META.get(header, "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return remote
