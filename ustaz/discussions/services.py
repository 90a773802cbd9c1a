"""Writes of conversation: rooms made on first use, messages numbered in their room (one writer at a time per
room: the number comes from an UPDATE of the room's counter, which holds the row until the transaction
commits), a retried message (same client id) stored once, deletions and mutes by moderators, read marks,
mentions and direct messages told through notices, and every change broadcast to the room's connections
once committed (Channels' layer: Redis when configured, so that every web process hears it)."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics.models import Course, Enrolment, StudyGroup
from ustaz.academics.selectors import taking_part
from ustaz.accounts.models import User
from ustaz.core.files import clean_filename, guess_content_type
from ustaz.notifications import services as notifications

from .apps import DIRECT_MESSAGE, MENTIONED
from .models import Attachment, Message, ReadState, Room, RoomKind

MAX_BODY = 4000
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{2,150})")


# --- Rooms -------------------------------------------------------------------------------------------------


def _get_or_create(**lookup) -> Room:
    try:
        with transaction.atomic():
            return Room.objects.get_or_create(**lookup)[0]
    except IntegrityError:  # made at the same moment by another request
        return Room.objects.get(**lookup)


def course_room(course: Course) -> Room:
    return _get_or_create(kind=RoomKind.COURSE, course=course)


def group_room(course: Course, group: StudyGroup) -> Room:
    return _get_or_create(kind=RoomKind.GROUP, course=course, group=group)


def direct_room(user: User, other: User) -> Room:
    low, high = sorted([user, other], key=lambda u: u.pk)
    return _get_or_create(kind=RoomKind.DIRECT, user_low=low, user_high=high)


def room_members(room: Room) -> list[User]:
    """The people of the room (for mentions and notices)."""
    if room.kind == RoomKind.DIRECT:
        return [u for u in (room.user_low, room.user_high) if u is not None]
    enrolled = Enrolment.objects.filter(course_id=room.course_id)
    if room.kind == RoomKind.GROUP:
        enrolled = enrolled.filter(student__student_record__group_id=room.group_id)
    students = User.objects.filter(pk__in=enrolled.values("student_id")).filter(taking_part())
    teachers = User.objects.filter(courses_taught=room.course_id)
    return list(students.union(teachers))


# --- Messages ----------------------------------------------------------------------------------------------


def serialize(message: Message, attachments: Iterable[Attachment] | None = None) -> dict:
    author = message.author
    deleted = message.deleted_at is not None
    files = [] if deleted else list(message.attachments.all() if attachments is None else attachments)
    return {
        "seq": message.seq,
        "author": {"id": author.pk, "name": author.full_name or author.username, "username": author.username}
        if author
        else None,
        "body": "" if deleted else message.body,
        "at": message.created_at.isoformat(),
        "deleted": deleted,
        "client_id": str(message.client_id) if message.client_id else None,
        "attachments": [
            {
                "name": a.name,
                "size": a.size,
                "type": a.content_type,
                "url": reverse("discussions:attachment", args=[a.pk]),
            }
            for a in files
        ],
    }


def broadcast(room_id: int, event: dict) -> None:
    """Send to every connection of the room, in every process (after the caller's transaction commits)."""
    layer = get_channel_layer()
    if layer is None:
        return
    group = f"chat.room.{room_id}"
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(group, event))


def _muted(room: Room, user: User) -> bool:
    return ReadState.objects.filter(room=room, user=user, muted_until__gt=timezone.now()).exists()


def message_post(
    *,
    room: Room,
    author: User,
    body: str,
    client_id: str | uuid.UUID | None = None,
    attachment_ids: Iterable[int] = (),
) -> tuple[Message, bool]:
    """Store a message (or find the one this client already sent with that id); returns (message, created)."""
    body = (body or "").strip()
    attachment_ids = [int(a) for a in attachment_ids]
    if client_id is not None:
        try:
            client_id = uuid.UUID(str(client_id))
        except ValueError:
            raise ValidationError(_("The message could not be read; reload the page.")) from None
        existing = Message.objects.filter(room=room, author=author, client_id=client_id).first()
        if existing is not None:
            return existing, False
    if not body and not attachment_ids:
        raise ValidationError(_("Write a message or attach a file."))
    if "\x00" in body:  # PostgreSQL cannot store it; refused as Django's forms refuse it
        raise ValidationError(_("Null characters are not allowed."))
    if len(body) > MAX_BODY:
        raise ValidationError(_("A message is at most %(count)d characters.") % {"count": MAX_BODY})
    if _muted(room, author):
        raise PermissionDenied(_("A moderator has muted you in this chat for now."))
    try:
        return _store(room, author, body, client_id, attachment_ids), True
    except IntegrityError:
        # The same client id won a race in another process: that message stands (this number was given back).
        existing = Message.objects.filter(room=room, author=author, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False


def _store(room: Room, author: User, body: str, client_id: uuid.UUID | None, attachment_ids: list[int]) -> Message:
    now = timezone.now()
    with transaction.atomic():
        Room.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + 1, last_message_at=now)
        seq = Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).get()
        message = Message.objects.create(room=room, seq=seq, author=author, client_id=client_id, body=body)
        files = []
        if attachment_ids:
            files = list(
                Attachment.objects.select_for_update().filter(
                    pk__in=attachment_ids, room=room, uploaded_by=author, message__isnull=True
                )
            )
            if len(files) != len(set(attachment_ids)):
                raise ValidationError(_("An attached file is no longer there; attach it again."))
            Attachment.objects.filter(pk__in=[f.pk for f in files]).update(message=message)
        # The author has read their own message (one UPDATE; a row the first time they write).
        if not ReadState.objects.filter(room=room, user=author).update(last_read_seq=seq):
            ReadState.objects.create(room=room, user=author, last_read_seq=seq)
        message.author = author
        broadcast(room.pk, {"type": "chat.message", "message": serialize(message, files)})
        _tell(room, message, author)
    return message


def _tell(room: Room, message: Message, author: User) -> None:
    url = reverse("discussions:room", args=[room.pk])
    preview = message.body[:200]
    if room.kind == RoomKind.DIRECT:
        other = room.user_high if author.pk == room.user_low_id else room.user_low
        notifications.notify(
            users=[other],
            kind=DIRECT_MESSAGE,
            title=gettext_lazy("A message from %(name)s"),
            body=preview,
            params={"name": author.full_name or author.username},
            url=url,
        )
        return
    usernames = {m.lower() for m in MENTION.findall(message.body)}
    if not usernames:
        return
    mentioned = [u for u in room_members(room) if u.username.lower() in usernames and u.pk != author.pk]
    notifications.notify(
        users=mentioned,
        kind=MENTIONED,
        title=gettext_lazy("%(name)s mentioned you in a chat"),
        body=preview,
        params={"name": author.full_name or author.username},
        url=url,
    )


def attachment_add(*, room: Room, user: User, upload: UploadedFile) -> Attachment:
    limit = settings.CHAT_MAX_ATTACHMENT_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; a chat attachment is at most %(limit)d MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": settings.CHAT_MAX_ATTACHMENT_MB}
        )
    if _muted(room, user):
        raise PermissionDenied(_("A moderator has muted you in this chat for now."))
    name = clean_filename(upload.name)
    attachment = Attachment(
        room=room, uploaded_by=user, name=name, content_type=guess_content_type(name), size=upload.size
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def message_delete(*, room: Room, seq: int, by: User) -> Message:
    message = Message.objects.select_for_update().get(room=room, seq=seq)
    if message.author_id != by.pk and not getattr(room, "can_moderate", False):
        raise PermissionDenied(_("Only its author or a moderator deletes a message."))
    if message.deleted_at is None:
        message.deleted_at, message.deleted_by = timezone.now(), by
        message.save(update_fields=["deleted_at", "deleted_by"])
        broadcast(room.pk, {"type": "chat.deleted", "seq": message.seq})
    return message


@transaction.atomic
def mute(*, room: Room, user: User, by: User, minutes: int) -> ReadState:
    if not getattr(room, "can_moderate", False) or room.kind == RoomKind.DIRECT:
        raise PermissionDenied(_("Only a moderator mutes."))
    until = timezone.now() + datetime.timedelta(minutes=minutes) if minutes > 0 else None
    state, _created = ReadState.objects.update_or_create(
        room=room, user=user, defaults={"muted_until": until, "muted_by": by if until else None}
    )
    broadcast(room.pk, {"type": "chat.muted", "user": user.pk, "until": until.isoformat() if until else None})
    return state


def mark_read(*, room: Room, user: User, seq: int) -> None:
    seq = min(int(seq), Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).get())
    updated = ReadState.objects.filter(room=room, user=user, last_read_seq__lt=seq).update(last_read_seq=seq)
    if not updated:
        ReadState.objects.get_or_create(room=room, user=user, defaults={"last_read_seq": seq})
