"""The chat's WebSocket: /ws/chat/<room>/?after=<last number seen>.

On connecting, the client gets every message after the number it gives (then the numbers of recently deleted
ones); afterwards each new message as it is committed, in order and exactly once: the connection remembers
the last number it sent, drops what it has already sent, and fills a gap (a message whose broadcast has not
arrived yet) from the database. The client sends:
  {"type": "send", "client_id": uuid, "body": text, "attachments": [ids]}  -> {"type": "ack", ...} or "error"
  {"type": "sync", "after": n}     {"type": "read", "seq": n}
  {"type": "delete", "seq": n}     {"type": "mute", "user": id, "minutes": m}  (moderators)
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from ustaz.accounts import access as accounts_access
from ustaz.accounts.models import User

from . import access, selectors, services
from .models import Room

log = logging.getLogger(__name__)
BATCH = 200
# Actions that change something: each is checked against the account policy first.
WRITES = frozenset({"send", "read", "delete", "mute"})


class ChatConsumer(AsyncJsonWebsocketConsumer):
    room: Room
    last_sent: int = 0

    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=4401)
            return
        try:
            self.room = await database_sync_to_async(access.get_room_for)(
                user, int(self.scope["url_route"]["kwargs"]["pk"])
            )
        except (Http404, PermissionDenied):
            await self.close(code=4404)
            return
        self.user = user
        self.language = user.language or None
        self.can_write = await database_sync_to_async(access.can_write)(user, getattr(self.room, "course", None))
        await self.channel_layer.group_add(self.room.group_name, self.channel_name)
        await self.accept()
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            after = max(0, int(query.get("after", ["0"])[0]))
        except ValueError:
            after = 0
        # A number past the room's last (a client from before a restore) would silence the room: clamp it.
        after = min(after, self.room.last_seq)
        self.last_sent = after
        await self.catch_up(after, with_deleted=True)

    async def disconnect(self, code):
        if getattr(self, "room", None) is not None:
            await self.channel_layer.group_discard(self.room.group_name, self.channel_name)

    # --- from the client ---------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # A frame that is not JSON text (binary, broken JSON) gets an error frame; the connection stays.
        try:
            content = await self.decode_json(text_data) if text_data is not None else None
        except ValueError:
            content = None
        if content is None:
            with translation.override(self.language):
                await self.send_json({"type": "error", "message": _("The request could not be read.")})
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        handler = (
            {
                "send": self.on_send,
                "sync": self.on_sync,
                "read": self.on_read,
                "delete": self.on_delete,
                "mute": self.on_mute,
            }.get(kind)
            if isinstance(kind, str)
            else None
        )
        client_id = content.get("client_id") if isinstance(content, dict) else None
        with translation.override(self.language):
            if handler is None:
                await self.send_json({"type": "error", "message": _("The request could not be read.")})
                return
            try:
                if kind in WRITES:
                    await self.check_account_policy()
                await handler(content)
            except (ValidationError, PermissionDenied) as error:
                message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                await self.send_json({"type": "error", "client_id": client_id, "message": message or _("Not allowed.")})
            except (TypeError, ValueError, KeyError, OverflowError, ObjectDoesNotExist, DataError):
                # A frame with wrong types, a number out of range, or naming a message or person that is not
                # there: an error frame, and the connection goes on.
                await self.send_json(
                    {"type": "error", "client_id": client_id, "message": _("The request could not be read.")}
                )

    async def check_account_policy(self) -> None:
        """The account policy again before each write: an open connection outlives a password reset."""
        step = await database_sync_to_async(self._policy_step)()
        if step == accounts_access.CHANGE_PASSWORD:
            raise PermissionDenied(_("Change your one-time password first: reload the page."))
        if step is not None:
            raise PermissionDenied(_("Turn on two-factor authentication first: reload the page."))

    def _policy_step(self) -> str | None:
        return accounts_access.account_policy_step(User.objects.get(pk=self.user.pk))

    async def on_send(self, content):
        if not self.can_write:
            raise PermissionDenied(_("You can read this chat but not write in it."))
        attachments = content.get("attachments") or []
        if not isinstance(attachments, list):
            raise ValueError
        message, created = await database_sync_to_async(services.message_post)(
            room=self.room,
            author=self.user,
            body=str(content.get("body", "")),
            client_id=content.get("client_id"),
            attachment_ids=attachments,
        )
        await self.send_json({"type": "ack", "client_id": content.get("client_id"), "seq": message.seq})
        if not created:
            # A retry of a message already stored: this connection may not have sent it yet.
            await self.deliver_upto(message.seq)

    async def on_sync(self, content):
        await self.catch_up(min(int(content.get("after", self.last_sent)), self.last_sent), with_deleted=True)

    async def on_read(self, content):
        await database_sync_to_async(services.mark_read)(room=self.room, user=self.user, seq=int(content["seq"]))

    async def on_delete(self, content):
        await database_sync_to_async(services.message_delete)(room=self.room, seq=int(content["seq"]), by=self.user)

    async def on_mute(self, content):
        if isinstance(content["user"], bool) or isinstance(content.get("minutes"), bool):
            raise TypeError
        target = await database_sync_to_async(User.objects.get)(pk=int(content["user"]))
        await database_sync_to_async(services.mute)(
            room=self.room, user=target, by=self.user, minutes=int(content.get("minutes", 60))
        )

    # --- to the client -----------------------------------------------------------------------------------

    async def catch_up(self, after: int, *, with_deleted: bool = False) -> None:
        """Everything after `after` (already-sent numbers again only when the client asks from earlier)."""
        self.last_sent = min(self.last_sent, after)
        while True:
            batch = await database_sync_to_async(self._serialized_after)(self.last_sent)
            for message in batch:
                await self.send_json({"type": "message", "message": message})
                self.last_sent = message["seq"]
            if len(batch) < BATCH:
                break
        if with_deleted:
            deleted = await database_sync_to_async(selectors.deleted_seqs)(self.room, self.last_sent)
            await self.send_json({"type": "synced", "upto": self.last_sent, "deleted": deleted})

    def _serialized_after(self, after: int) -> list[dict]:
        return [services.serialize(m) for m in selectors.messages_after(self.room, after, BATCH)]

    def _serialized_between(self, after: int, upto: int) -> list[dict]:
        return [services.serialize(m) for m in selectors.messages_between(self.room, after, upto)]

    async def deliver_upto(self, seq: int) -> None:
        if seq <= self.last_sent:
            return
        for message in await database_sync_to_async(self._serialized_between)(self.last_sent, seq):
            await self.send_json({"type": "message", "message": message})
            self.last_sent = message["seq"]

    async def chat_message(self, event):
        message = event["message"]
        seq = message["seq"]
        if seq <= self.last_sent:
            return  # already sent (from the catch-up, or twice)
        if seq == self.last_sent + 1:
            await self.send_json({"type": "message", "message": message})
            self.last_sent = seq
        else:
            await self.deliver_upto(seq)  # an earlier message's broadcast is late or lost: read them in order

    async def chat_deleted(self, event):
        await self.send_json({"type": "deleted", "seq": event["seq"]})

    async def chat_muted(self, event):
        await self.send_json({"type": "muted", "user": event["user"], "until": event["until"]})
