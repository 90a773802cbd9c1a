"""Resumable uploads (the tus protocol's storage side): each PATCH's bytes are streamed to a temporary file
(never held whole in memory), then kept in storage as a chunk; the upload's offset moves only in a short
transaction that checks it, so a chunk at a wrong offset is refused and nothing stored is lost. When the last
byte arrives the chunks are joined, streaming, into the final file (local disk or S3 alike, any process)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.accounts.models import User
from ustaz.core.sniff import HEAD_BYTES, sniff

from .models import Assignment, Upload

READ_SIZE = 64 * 1024


class OffsetConflict(Exception):
    """The client's Upload-Offset is not where the upload stands (tus: 409)."""

    def __init__(self, offset: int):
        super().__init__(offset)
        self.offset = offset


class UnsupportedContent(ValidationError):
    pass


def limit_bytes(assignment: Assignment) -> int:
    return min(assignment.max_size_mb, settings.ASSIGNMENT_MAX_UPLOAD_MB) * 1024 * 1024


def upload_create(*, assignment: Assignment, user: User, length: int, filename: str) -> Upload:
    if length <= 0:
        raise ValidationError(_("The file is empty."))
    limit = limit_bytes(assignment)
    if length > limit:
        raise ValidationError(
            _("The file is %(size)s MB; this assignment takes files up to %(limit)d MB.")
            % {"size": round(length / 1024 / 1024, 1), "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    name = (filename or "file").replace("/", "_").replace("\\", "_").strip()[-200:] or "file"
    return Upload.objects.create(assignment=assignment, user=user, length=length, filename=name)


def _receive(stream, expected: int) -> tuple[tempfile.SpooledTemporaryFile, int, bool]:
    """Read up to `expected` bytes into a temporary file (in memory up to 1 MB, then on disk). A connection
    that drops keeps what arrived: (file, bytes, complete)."""
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)
    received = 0
    complete = True
    try:
        while received < expected:
            block = stream.read(min(READ_SIZE, expected - received))
            if not block:
                complete = received == expected
                break
            spool.write(block)
            received += len(block)
    except OSError:  # the client went away mid-chunk: what arrived is kept
        complete = False
    spool.seek(0)
    return spool, received, complete


def upload_append(*, upload: Upload, user: User, offset: int, stream, length: int) -> Upload:
    """Append a chunk that the client says starts at `offset` (tus PATCH)."""
    if upload.user_id != user.pk:
        raise PermissionDenied
    if upload.completed_at is not None or offset != upload.offset:
        raise OffsetConflict(upload.offset)
    expected = min(length, upload.length - offset)
    spool, received, _complete = _receive(stream, expected)
    if received == 0:
        return upload
    if offset == 0:
        kind = sniff(spool.read(HEAD_BYTES))
        spool.seek(0)
        accepted = upload.assignment.accepts
        if kind is None or kind.category not in accepted:
            upload_delete(upload)
            raise UnsupportedContent(
                _("“%(name)s” is not a file this assignment takes (its content is not %(kinds)s).")
                % {"name": upload.filename, "kinds": ", ".join(_category_label(c) for c in accepted)},
                code="unsupported",
            )
        upload.category, upload.content_type = kind.category, kind.content_type
    chunk_name = default_storage.save(f"uploads/{upload.pk}/{offset:015d}", File(spool, name="chunk"))
    with transaction.atomic():
        current = Upload.objects.select_for_update().get(pk=upload.pk)
        if current.offset != offset:  # another request appended meanwhile: this chunk is not needed
            default_storage.delete(chunk_name)
            raise OffsetConflict(current.offset)
        current.chunks = [*current.chunks, chunk_name]
        current.offset = offset + received
        if offset == 0:
            current.category, current.content_type = upload.category, upload.content_type
        current.save(update_fields=["chunks", "offset", "category", "content_type"])
    return upload_finish(current)


def upload_finish(upload: Upload) -> Upload:
    """Join the parts once every byte has arrived; again if an earlier join failed (a storage error after the
    last part), so that a complete upload is never stuck unjoined."""
    if upload.completed_at is None and upload.offset == upload.length:
        _join(upload)
    return upload


def _category_label(category: str) -> str:
    return {
        "audio": _("audio"),
        "video": _("video"),
        "image": _("an image"),
        "pdf": _("PDF"),
        "document": _("a text document"),
    }.get(category, category)


class _Joined(io.RawIOBase):
    """The chunks read one after the other, as one file that can only be read forwards."""

    def __init__(self, names: list[str]):
        self.names: Iterator[str] = iter(names)
        self.current = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self.current is None:
                name = next(self.names, None)
                if name is None:
                    return 0
                self.current = default_storage.open(name, "rb")
            data = self.current.read(len(buffer))
            if data:
                buffer[: len(data)] = data
                return len(data)
            self.current.close()
            self.current = None


def _join(upload: Upload) -> None:
    name = f"assignments/{upload.assignment_id}/{upload.user_id}/{upload.pk}/{upload.filename}"
    joined = io.BufferedReader(_Joined(upload.chunks), buffer_size=1024 * 1024)
    stored = default_storage.save(name, File(joined, name=upload.filename))
    Upload.objects.filter(pk=upload.pk).update(stored_name=stored, completed_at=timezone.now(), chunks=[])
    for chunk in upload.chunks:
        default_storage.delete(chunk)
    upload.stored_name, upload.completed_at, upload.chunks = stored, timezone.now(), []


def upload_delete(upload: Upload) -> None:
    """Termination: the upload and its chunks go (a joined file that was never submitted too)."""
    for chunk in upload.chunks:
        default_storage.delete(chunk)
    if upload.stored_name and not upload.used:
        default_storage.delete(upload.stored_name)
    Upload.objects.filter(pk=upload.pk).delete()


def uploads_clean(now=None, *, unfinished_days: int = 7, unused_days: int = 2) -> int:
    """The daily job: uploads never finished within a week, and finished ones never handed in within two
    days, are removed with their bytes. Returns how many."""
    import datetime

    now = now or timezone.now()
    stale = list(
        Upload.objects.filter(completed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=unfinished_days))
    ) + list(Upload.objects.filter(used=False, completed_at__lt=now - datetime.timedelta(days=unused_days)))
    for upload in stale:
        upload_delete(upload)
    return len(stale)
