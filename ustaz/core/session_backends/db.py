"""SESSION_ENGINE for the embedded default (sessions in the database)."""

from ustaz.core.sessions import SessionStore  # noqa: F401
