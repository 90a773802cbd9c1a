"""A person sees and marks only their own notices."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ustaz.accounts.models import User

from .models import Notification


def get_notification_for(user: User, pk: int) -> Notification:
    """The person's own notice; 404 for anybody else's."""
    return get_object_or_404(Notification, pk=pk, user=user)
