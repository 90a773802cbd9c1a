"""Resumable uploads (the tus protocol's storage side): each PATCH's bytes are streamed to a temporary file
(never held whole in memory), then kept in storage as a chunk; the upload's offset moves only in a short
transaction that checks it, so a chunk at a wrong offset is refused and nothing stored is lost. When the last
byte arrives the chunks are joined, streaming, into the final file (local disk or S3 alike, any process): in a
background task, claimed by one conditional update so that only one join runs however often the client asks,
under a generated name (the name the file came with is only shown)."""

from __future__ import annotations

import datetime
import io
import logging
import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ustaz.accounts.models import User
from ustaz.core.files import check_filename, generated_name
from ustaz.core.sniff import HEAD_BYTES, extension_for, sniff

from .models import Assignment, SubmissionFile, Upload

log = logging.getLogger(__name__)

READ_SIZE = 64 * 1024
# A join that has not finished in this time is taken for dead (its worker stopped) and may be claimed again.
JOIN_STALE = datetime.timedelta(minutes=30)


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
    name = check_filename(filename) if filename else "file"
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
    """Once every byte has arrived, have the parts joined (in a task); again if an earlier join failed or
    died, so that a complete upload is never stuck unjoined. Cheap and safe to call on every request."""
    if upload.completed_at is None and upload.offset == upload.length and upload.length > 0:
        join_request(upload)
    return upload


def upload_state(upload: Upload) -> str:
    """'receiving', 'joining' (every byte is here, the file is being put together) or 'complete'."""
    if upload.completed_at is not None:
        return "complete"
    return "joining" if upload.offset == upload.length else "receiving"


def join_request(upload: Upload) -> bool:
    """Claim the join of a complete upload and queue it; False when another join holds it (or it is done).
    The claim is one conditional UPDATE, so two requests (a retried HEAD, a hand-in) never both join."""
    now = timezone.now()
    planned = upload.stored_name or (
        f"assignments/{upload.assignment_id}/{upload.user_id}/{upload.pk}/"
        f"{generated_name(extension_for(upload.content_type))}"
    )
    claimed = (
        Upload.objects.filter(pk=upload.pk, completed_at__isnull=True, offset=F("length"))
        .filter(Q(join_started_at__isnull=True) | Q(join_started_at__lt=now - JOIN_STALE))
        .update(join_started_at=now, stored_name=planned, join_failure="")
    )
    if not claimed:
        return False
    upload.join_started_at, upload.stored_name, upload.join_failure = now, planned, ""
    from . import tasks

    transaction.on_commit(lambda: tasks.upload_join.enqueue(str(upload.pk)))
    return True


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


def upload_join(upload_pk) -> str:
    """The task: join the parts of a claimed upload into its planned stored name. A join that fails leaves the
    parts and clears its claim, so the upload can be joined again; the file handed in meanwhile is prepared
    once the join is done."""
    upload = Upload.objects.filter(pk=upload_pk).first()
    if upload is None:
        return "gone"
    if upload.completed_at is not None:
        return "complete"
    if upload.join_started_at is None or upload.offset != upload.length:
        return "not claimed"
    try:
        joined = io.BufferedReader(_Joined(upload.chunks), buffer_size=1024 * 1024)
        stored = default_storage.save(upload.stored_name, File(joined, name=upload.stored_name.rsplit("/", 1)[-1]))
    except Exception as error:  # noqa: BLE001 - any storage failure: the parts stay, the join may run again
        log.warning("upload %s could not be joined: %s", upload.pk, error)
        Upload.objects.filter(pk=upload.pk, join_started_at=upload.join_started_at).update(
            join_started_at=None, join_failure=type(error).__name__
        )
        return "failed"
    with transaction.atomic():
        current = Upload.objects.select_for_update().filter(pk=upload.pk).first()
        if current is None:  # terminated while being joined
            default_storage.delete(stored)
            return "gone"
        if current.completed_at is not None:  # joined meanwhile by a claim taken for dead: keep that one
            if stored != current.stored_name:
                default_storage.delete(stored)
            return "complete"
        Upload.objects.filter(pk=upload.pk).update(
            stored_name=stored, completed_at=timezone.now(), chunks=[], join_started_at=None
        )
        if current.used:
            # Handed in while being joined: the submission's file is prepared now.
            files = list(SubmissionFile.objects.filter(file=current.stored_name))
            if stored != current.stored_name:
                SubmissionFile.objects.filter(pk__in=[f.pk for f in files]).update(file=stored)
            from . import tasks

            for item in files:
                transaction.on_commit(lambda pk=item.pk: tasks.file_process.enqueue(pk))
    for chunk in upload.chunks:
        default_storage.delete(chunk)
    return "complete"


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
    now = now or timezone.now()
    stale = list(
        Upload.objects.filter(
            used=False, completed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=unfinished_days)
        )
    ) + list(Upload.objects.filter(used=False, completed_at__lt=now - datetime.timedelta(days=unused_days)))
    for upload in stale:
        upload_delete(upload)
    # Handed in, but its join failed or died: joined again.
    for upload in Upload.objects.filter(used=True, completed_at__isnull=True, offset=F("length")):
        upload_finish(upload)
    return len(stale)
