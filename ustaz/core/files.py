"""Private files: never under a public URL; every response comes from a view that checked permission."""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse

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


def content_disposition(filename: str, *, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "file"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


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
