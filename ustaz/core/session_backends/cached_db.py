"""SESSION_ENGINE for the scaled deployment (sessions in Redis, written through to the database)."""

from ustaz.core.sessions import CachedSessionStore as SessionStore  # noqa: F401
