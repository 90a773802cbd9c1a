"""Conversation on the platform (§2.3, §2.6): a chat room per course and per group of a course, direct
messages between two people, each message numbered in its room so that a client that reconnects asks for
what came after the last number it saw and gets each message exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.academics.models import Course, StudyGroup
from ustaz.core.files import generated_name


class RoomKind(models.TextChoices):
    COURSE = "course", _("course chat")
    GROUP = "group", _("group chat")
    DIRECT = "direct", _("direct messages")


class Room(models.Model):
    # The viewer's view of the room, set by discussions.access and selectors (not stored).
    can_moderate: bool = False
    other: object = None
    unread: int = 0

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
    # Stored under a generated name; the name the file came with is kept (cleaned) in `name`.
    return f"chat/{instance.room_id}/{generated_name(filename)}"


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


# --- Forums ------------------------------------------------------------------------------------------------


class ForumKind(models.TextChoices):
    DISCUSSION = "discussion", _("discussion forum")
    ANNOUNCEMENTS = "announcements", _("announcements")


class Forum(models.Model):
    """A course's discussion forum or its announcements (only its teachers and the office start threads there,
    and every person of the course is told); with no course, the University's announcements."""

    # The viewer's rights, set by discussions.access (not stored).
    can_moderate: bool = False
    can_reply: bool = False
    can_start: bool = False

    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind.choices)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.UniqueConstraint(fields=["kind", "course"], name="forum_one_per_kind_and_course"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(course__isnull=True), name="forum_one_university_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Thread(models.Model):
    # The viewer's right to reply, set by discussions.access (not stored).
    can_reply: bool = False

    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post"), db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["forum", "-is_pinned", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("text"), max_length=20000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"


def post_file_upload_to(instance: PostFile, filename: str) -> str:
    return f"forum/{instance.post.thread_id}/{generated_name(filename)}"


class PostFile(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=post_file_upload_to, max_length=255)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("attached file")
        verbose_name_plural = _("attached files")

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A person told of new posts: in a whole forum (thread empty) or in one thread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="subscriptions")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="subscription_thread_once"),
            models.UniqueConstraint(
                fields=["user", "forum"], condition=models.Q(thread__isnull=True), name="subscription_forum_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.thread_id or self.forum_id}"
