"""Private files: never under a public URL; every response comes from a view that checked permission."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

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


def serve_private_file(
    field_file: FieldFile, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
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
        response = FileResponse(storage.open(field_file.name, "rb"), content_type=content_type)
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
