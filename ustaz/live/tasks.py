"""Background work of classes: picking up BigBlueButton recordings once the server has processed them."""

from __future__ import annotations

import logging

from django_tasks import task

from . import providers, services
from .models import LiveClass

log = logging.getLogger(__name__)


@task()
def recordings_fetch(class_pk: int) -> int:
    live_class = LiveClass.objects.select_related("course").filter(pk=class_pk).first()
    if live_class is None:
        return 0
    try:
        return len(services.recordings_fetch(live_class))
    except providers.ConferenceError as error:
        log.warning("recordings of class %s not fetched: %s", class_pk, error)
        return 0
