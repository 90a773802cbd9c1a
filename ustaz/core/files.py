"""Private files: never under a public URL; every response comes from a view that checked permission."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.translation import gettext as _

# Types a browser may show in the page itself; anything else (HTML, SVG, scripts...) is downloaded,
# so an uploaded file can never run in the platform's origin.
INLINE_SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "audio/wav",
        "audio/x-wav",
        "audio/flac",
        "audio/webm",
        "video/mp4",
        "video/webm",
        "video/ogg",
        "text/plain",
    }
)


def guess_content_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


# --- Names people give their files ------------------------------------------------------------------------
# A file is stored under a generated name (stored_name); the name it came with is only shown, once cleaned:
# Unicode NFC, no control, format (bidi overrides, zero-width) or unassigned characters, no path separators,
# at most NAME_MAX_BYTES of UTF-8 with its extension kept, never empty.

NAME_MAX_BYTES = 180  # fits the 200-character name columns, and every file system's 255-byte names
_SAFE_EXTENSION = re.compile(r"[a-z0-9]{1,10}")


class BadFileName(ValidationError):
    pass


def _visible(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char in "/\\":
            kept.append("_")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        elif category == "Zs":
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def _cut(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` bytes of UTF-8, never splitting a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def clean_filename(name: str, *, fallback: str = "file", max_bytes: int = NAME_MAX_BYTES) -> str:
    """The name to show and to give back on download (see above); `fallback` when nothing is left."""
    name = _visible(name or "").strip(" .")
    if not name:
        return fallback
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension.isalnum() or len(extension.encode()) > 16:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    stem = _cut(stem, max_bytes - len(suffix.encode())).rstrip(" .")
    return f"{stem}{suffix}" if stem else fallback


def check_filename(name: str) -> str:
    """A name given when an upload starts, cleaned; refused (BadFileName) when it is not a name at all: one
    with a NUL byte, only dots, or nothing left once cleaned."""
    if "\x00" in (name or ""):
        raise BadFileName(_("The file name contains a NUL character; rename the file."), code="bad_name")
    visible = _visible(name or "").strip()
    if not visible.strip("."):
        raise BadFileName(_("The file has no usable name; rename the file."), code="bad_name")
    return clean_filename(name)


def safe_extension(name_or_extension: str) -> str:
    """A lower-case ASCII extension, letters and digits only, from a name or an extension; "" if none."""
    extension = (name_or_extension or "").rpartition(".")[2].lower()
    return extension if _SAFE_EXTENSION.fullmatch(extension) else ""


def generated_name(extension: str = "") -> str:
    """A stored file's leaf name: random, with a safe extension (from the detected content when known)."""
    extension = safe_extension(extension)
    return f"{uuid.uuid4().hex}.{extension}" if extension else uuid.uuid4().hex


def content_disposition(filename: str, *, inline: bool) -> str:
    """RFC 6266: an ASCII filename for old clients and the exact one as filename* (RFC 5987, UTF-8)."""
    kind = "inline" if inline else "attachment"
    filename = clean_filename(filename)  # names stored before names were cleaned, too
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9 ._()\-]", "", stem.encode("ascii", "ignore").decode()).strip(" .") or "file"
    ascii_extension = safe_extension(extension)
    ascii_name = f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first range of a Range header as (start, end) inclusive, or None when it cannot be served."""
    match = RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None
    if match.group(1):
        start = int(match.group(1))
        end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
    else:  # the last N bytes
        start, end = max(0, size - int(match.group(2))), size - 1
    return (start, end) if start <= end < size else None


def _ranged(handle, start: int, end: int, block: int = 256 * 1024):
    try:
        handle.seek(start)
        left = end - start + 1
        while left > 0:
            data = handle.read(min(block, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        handle.close()


def serve_private_file(
    field_file: FieldFile,
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
    request: HttpRequest | None = None,
) -> HttpResponse:
    """The file, after the caller has checked permission. With the request, a Range header is honoured
    (206 Partial Content), so that players can seek in long recordings."""
    inline = inline and content_type in INLINE_SAFE_TYPES
    disposition = content_disposition(filename, inline=inline)
    storage = field_file.storage
    if getattr(storage, "querystring_auth", False):
        # S3-compatible storage: a short-lived signed URL, with the headers the bucket must send back.
        url = storage.url(
            field_file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
        )
        return HttpResponseRedirect(url)
    if settings.FILE_SERVING == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.X_ACCEL_PREFIX + quote(field_file.name)
    else:
        requested = request.headers.get("Range", "") if request is not None else ""
        span = _byte_range(requested, storage.size(field_file.name)) if requested else None
        if span is not None:
            size = storage.size(field_file.name)
            start, end = span
            response = StreamingHttpResponse(
                _ranged(storage.open(field_file.name, "rb"), start, end), status=206, content_type=content_type
            )
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
        elif requested:
            response = HttpResponse(status=416, content_type="text/plain")
            response["Content-Range"] = f"bytes */{storage.size(field_file.name)}"
        else:
            response = FileResponse(storage.open(field_file.name, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def storage_is_healthy() -> bool:
    probe = default_storage.save("health/probe.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(probe, "rb") as handle:
            return handle.read() == b"ok"
    finally:
        default_storage.delete(probe)
