"""The tus 1.0.0 resumable-upload protocol (core, creation, termination): https://tus.io/protocols/resumable-upload

    OPTIONS .../uploads/            what the server supports
    POST    .../uploads/            Upload-Length, Upload-Metadata (filename) -> 201 Location
    HEAD    .../uploads/<id>/       -> Upload-Offset, Upload-Length
    PATCH   .../uploads/<id>/       Upload-Offset, application/offset+octet-stream body -> 204 Upload-Offset
    DELETE  .../uploads/<id>/       termination

Any tus client works (the page's own, tus-js-client, tuspy...). The session and CSRF token are the page's.
"""

from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access, services, uploads

VERSION = "1.0.0"


def _response(status: int, message: str = "", **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _metadata(header: str) -> dict[str, str | None]:
    """Upload-Metadata's pairs; a value that is not base64 of UTF-8 is None."""
    values: dict[str, str | None] = {}
    for pair in header.split(","):
        parts = pair.strip().split(" ", 1)
        if not parts[0]:
            continue
        try:
            values[parts[0]] = base64.b64decode(parts[1], validate=True).decode() if len(parts) == 2 else ""
        except (ValueError, UnicodeDecodeError):
            values[parts[0]] = None
    return values


def _int_header(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.headers.get(name, ""))
    except ValueError:
        return None
    return value if value >= 0 else None


@login_required
def collection(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = access.get_assignment_for(request.user, pk, assignment_pk)
    if request.method == "OPTIONS":
        return _response(
            204,
            Tus_Version=VERSION,
            Tus_Extension="creation,termination",
            Tus_Max_Size=uploads.limit_bytes(assignment),
        )
    if request.method != "POST":
        return _response(405, Allow="OPTIONS, POST")
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, "Tus-Resumable 1.0.0 is required", Tus_Version=VERSION)
    state = services.submit_state(assignment, request.user)
    if state != "open":
        return _response(403, services.state_message(state))
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _response(400, "Upload-Length is required")
    filename = _metadata(request.headers.get("Upload-Metadata", "")).get("filename", "")
    if filename is None:
        return _response(400, _("The file name could not be read; rename the file."))
    try:
        upload = uploads.upload_create(assignment=assignment, user=request.user, length=length, filename=filename)
    except ValidationError as error:
        status = 413 if getattr(error, "code", "") == "too_large" else 400
        return _response(status, " ".join(error.messages))
    location = reverse("assignments:upload", args=[pk, assignment_pk, upload.pk])
    return _response(201, Location=request.build_absolute_uri(location))


@login_required
def resource(request: HttpRequest, pk: int, assignment_pk: int, upload_id) -> HttpResponse:
    upload = access.get_upload_for(request.user, upload_id)
    if upload.assignment_id != assignment_pk or upload.assignment.course_id != pk:
        return _response(404)
    if request.method == "HEAD":
        # Every byte here: the join runs in a task (claimed once, however often this is asked).
        uploads.upload_finish(upload)
        state = uploads.upload_state(upload)
        return _response(200, Upload_Offset=upload.offset, Upload_Length=upload.length, Ustaz_Upload_State=state)
    if request.headers.get("Tus-Resumable") != VERSION:
        return _response(412, "Tus-Resumable 1.0.0 is required", Tus_Version=VERSION)
    if request.method == "DELETE":
        if upload.used:
            return _response(403, "a submitted file stays")
        uploads.upload_delete(upload)
        return _response(204)
    if request.method != "PATCH":
        return _response(405, Allow="HEAD, PATCH, DELETE")
    if request.content_type != "application/offset+octet-stream":
        return _response(415, "Content-Type must be application/offset+octet-stream")
    offset = _int_header(request, "Upload-Offset")
    length = _int_header(request, "Content-Length")
    if offset is None or length is None:
        return _response(400, "Upload-Offset and Content-Length are required")
    try:
        upload = uploads.upload_append(upload=upload, user=request.user, offset=offset, stream=request, length=length)
    except uploads.OffsetConflict as conflict:
        return _response(409, "Upload-Offset does not match", Upload_Offset=conflict.offset)
    except uploads.UnsupportedContent as error:
        return _response(415, " ".join(error.messages))
    except PermissionDenied:
        return _response(404)
    return _response(204, Upload_Offset=upload.offset, Ustaz_Upload_State=uploads.upload_state(upload))
