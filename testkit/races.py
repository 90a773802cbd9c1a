"""Races between requests, as a real installation runs them."""

from __future__ import annotations

import contextlib
import threading

from django.db import connections


@contextlib.contextmanager
def writers_queue_as_in_production(tmp_path):
    """SQLite's in-memory test database (shared cache) refuses a second writer at once ("table is locked")
    where the file database of a real installation makes it wait (WAL, busy_timeout, IMMEDIATE transactions).
    On SQLite the race runs on a file copy of the test database; PostgreSQL needs nothing."""
    connection = connections["default"]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "race.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    settings_dict = connections.settings["default"]
    memory_name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)  # new connections (each thread's) open the file
    try:
        yield
    finally:
        settings_dict["NAME"] = memory_name


def in_thread(function):
    """Run function in a thread of its own (its own database connection), closing the connection after."""
    result: list = []

    def target():
        try:
            result.append(function())
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result[0]
