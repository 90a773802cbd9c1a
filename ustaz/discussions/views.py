from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics import access as academics_access
from ustaz.accounts.models import User
from ustaz.core.files import serve_private_file
from ustaz.core.websocket import ws_base

from . import access, selectors, services
from .models import Attachment, RoomKind


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "discussions/inbox.html",
        {"rooms": selectors.rooms_for(request.user), "people": selectors.people_to_message(request.user)},
    )


@login_required
def course_room(request: HttpRequest, pk: int) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    return redirect("discussions:room", pk=services.course_room(course).pk)


@login_required
def group_room(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    course = access.get_group_room_course(request.user, pk, group_pk)
    return redirect("discussions:room", pk=services.group_room(course, course.groups.get(pk=group_pk)).pk)


@login_required
def direct(request: HttpRequest, user_pk: int) -> HttpResponse:
    other = get_object_or_404(User, pk=user_pk)
    if not access.can_message(request.user, other):
        raise Http404
    return redirect("discussions:room", pk=services.direct_room(request.user, other).pk)


@login_required
def room(request: HttpRequest, pk: int) -> HttpResponse:
    room = access.get_room_for(request.user, pk)
    state = selectors.read_state(room, request.user)
    if room.kind == RoomKind.DIRECT:
        title = room.other.full_name or room.other.username
    elif room.kind == RoomKind.GROUP:
        title = f"{room.course.title} · {room.group.name}"
    else:
        title = room.course.title
    return render(
        request,
        "discussions/room.html",
        {
            "room": room,
            "title": title,
            "course": getattr(room, "course", None),
            "can_write": access.can_write(request.user, getattr(room, "course", None)),
            "ws_url": f"{ws_base(request)}/chat/{room.pk}/",
            "start_after": max(0, room.last_seq - selectors.PAGE),
            "read_upto": state.last_read_seq if state else 0,
            "muted_until": state.muted_until if state else None,
            "strings": {
                "sending": _("sending…"),
                "delete": _("delete"),
                "mute": _("mute for an hour"),
                "confirmDelete": _("Delete this message for everyone?"),
                "confirmMute": _("Mute this person in this chat for an hour?"),
                "deleted": _("message deleted"),
                "connecting": _("Connecting…"),
                "offline": _("Connection lost; reconnecting…"),
                "offlinePending": _("Connection lost; your messages will be sent when it is back."),
                "noAccess": _("You no longer have access to this chat."),
                "muted": _("A moderator has muted you in this chat for now."),
                "uploading": _("Uploading the file…"),
                "uploadFailed": _("The file could not be uploaded."),
                "you": _("you"),
            },
        },
    )


@login_required
def history(request: HttpRequest, pk: int) -> JsonResponse:
    """Older messages, for "show earlier" (JSON)."""
    room = access.get_room_for(request.user, pk)
    try:
        before = int(request.GET.get("before", room.last_seq + 1))
    except ValueError:
        before = room.last_seq + 1
    messages = selectors.messages_before(room, before)
    return JsonResponse(
        {"messages": [services.serialize(m) for m in messages], "more": bool(messages) and messages[0].seq > 1}
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> JsonResponse:
    room = access.get_room_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "no file"}, status=400)
    if not access.can_write(request.user, getattr(room, "course", None)):
        raise PermissionDenied
    try:
        attachment = services.attachment_add(room=room, user=request.user, upload=upload)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"id": attachment.pk, "name": attachment.name, "size": attachment.size})


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Attachment.objects.select_related("message"), pk=pk)
    room = access.get_room_for(request.user, item.room_id)
    # A file not yet sent is its uploader's only; a deleted message's files are nobody's.
    if item.message is None and item.uploaded_by_id != request.user.pk:
        raise Http404
    if item.message is not None and item.message.deleted_at is not None:
        raise Http404
    del room
    return serve_private_file(
        item.file, filename=item.name, content_type=item.content_type, inline=request.GET.get("inline") == "1"
    )
