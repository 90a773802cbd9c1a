"""Conversation on the platform (§2.3, §2.6): a chat room per course and per group of a course, direct
messages between two people, each message numbered in its room so that a client that reconnects asks for
what came after the last number it saw and gets each message exactly once."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course, StudyGroup


class RoomKind(models.TextChoices):
    COURSE = "course", _("course chat")
    GROUP = "group", _("group chat")
    DIRECT = "direct", _("direct messages")


class Room(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=RoomKind.choices)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        StudyGroup, verbose_name=_("group"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A direct conversation: the two people, the smaller id first.
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")
        constraints = [
            models.UniqueConstraint(fields=["course"], condition=models.Q(kind="course"), name="room_one_per_course"),
            models.UniqueConstraint(
                fields=["course", "group"], condition=models.Q(kind="group"), name="room_one_per_course_group"
            ),
            models.UniqueConstraint(
                fields=["user_low", "user_high"], condition=models.Q(kind="direct"), name="room_one_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def group_name(self) -> str:
        return f"chat.room.{self.pk}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"chat/{instance.room_id}/{uuid.uuid4().hex}/{filename[-100:]}"


class Message(models.Model):
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.UUIDField(null=True, blank=True)
    body = models.TextField(_("text"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="message_seq_unique"),
            # A client's retry of the same message (same id) is the same message.
            models.UniqueConstraint(fields=["room", "author", "client_id"], name="message_client_id_once"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq}"


class Attachment(models.Model):
    """A file uploaded for a message (over HTTP), attached when the message is sent (over the WebSocket)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=attachment_upload_to, max_length=255)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ReadState(models.Model):
    """How far a person has read a room, and whether a moderator has muted them in it."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_seq = models.PositiveBigIntegerField(default=0)
    muted_until = models.DateTimeField(_("muted until"), null=True, blank=True)
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="read_state_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.room_id}: {self.last_read_seq}"
