"""Sessions saved when it matters, not on every request (issue 17).

With ``SESSION_SAVE_EVERY_REQUEST`` every page wrote its session row (an ``UPDATE`` per request, and a table
of every visit's session never cleared). Sessions still end after ``SESSION_COOKIE_AGE`` without activity
(shared office computers), but the expiry is pushed ahead only when less than ``SESSION_COOKIE_AGE -
SESSION_TOUCH_SECONDS`` remains: at most one write per person every ``SESSION_TOUCH_SECONDS`` (5 minutes), so the
idle limit is between 55 and 60 minutes. This store remembers the stored expiry it read, so deciding costs no
query; ``ita_tracker.middleware.SessionMiddleware`` decides. Expired rows are deleted by ``clearsessions`` from
the workers' housekeeping (``ita_tracker.housekeeping``).
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    stored_expiry = None  # when the row read for this request expires; None: not read, or a new session

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session is not None else None
        return session
