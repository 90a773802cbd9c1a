"""Background work of status orders (queued by `manage.py clock`, settings.SCHEDULE)."""

from __future__ import annotations

from django_tasks import task


@task()
def orders_apply_due() -> int:
    """The daily job, just after midnight: issued orders whose date has come are applied."""
    from .services import orders_apply_due

    return orders_apply_due()
