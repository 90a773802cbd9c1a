from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ustaz.academics import access as academics_access
from ustaz.accounts.models import User
from ustaz.core.files import serve_private_file
from ustaz.core.websocket import ws_base

from . import access, forums, selectors, services
from .forms import PostForm, ThreadForm
from .models import Attachment, Post, PostFile, RoomKind, Thread


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
    """A conversation with one person: opened when it exists; started only by a POST (a link followed by a
    crawler or a prefetch makes nothing), from a page with the button that starts it."""
    other = get_object_or_404(User, pk=user_pk)
    if not access.can_message(request.user, other):
        raise Http404
    if request.method == "POST":
        return redirect("discussions:room", pk=services.direct_room(request.user, other).pk)
    existing = selectors.direct_room_between(request.user, other)
    if existing is not None:
        return redirect("discussions:room", pk=existing.pk)
    return render(request, "discussions/direct_start.html", {"other": other})


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


# --- Forums ------------------------------------------------------------------------------------------------

POSTS_PER_PAGE = 50


@login_required
def course_forum(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    course = academics_access.get_course_for(request.user, pk)
    return redirect("discussions:forum", pk=forums.course_forum(course, kind).pk)


@login_required
def university_announcements(request: HttpRequest) -> HttpResponse:
    return redirect("discussions:forum", pk=forums.university_announcements().pk)


@login_required
def forum(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for(request.user, pk)
    page = Paginator(selectors.forum_threads(forum), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "discussions/forum.html",
        {
            "forum": forum,
            "course": forum.course,
            "page": page,
            "subscribed": selectors.is_subscribed(request.user, forum),
        },
    )


@login_required
def thread_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for(request.user, pk)
    if not forum.can_start:
        raise PermissionDenied
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = forums.thread_start(
                forum=forum,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect("discussions:thread", pk=thread.pk)
    return render(request, "discussions/thread_form.html", {"forum": forum, "course": forum.course, "form": form})


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access.get_thread_for(request.user, pk)
    form = PostForm(request.POST or None, request.FILES or None) if thread.can_reply else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                post = forums.reply(
                    thread=thread, author=request.user, body=form.cleaned_data["body"], files=form.cleaned_data["files"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                last = Paginator(selectors.thread_posts(thread), POSTS_PER_PAGE).num_pages
                return redirect(reverse("discussions:thread", args=[thread.pk]) + f"?page={last}#post-{post.pk}")
    page = Paginator(selectors.thread_posts(thread), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "discussions/thread.html",
        {
            "thread": thread,
            "forum": thread.forum,
            "course": thread.forum.course,
            "page": page,
            "form": form,
            "subscribed": selectors.is_subscribed(request.user, thread.forum, thread),
        },
    )


@login_required
@require_POST
def subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or stop following a forum (or, with thread=<id>, a thread)."""
    forum = access.get_forum_for(request.user, pk)
    thread = None
    if request.POST.get("thread"):
        thread = access.get_thread_for(request.user, int(request.POST["thread"]))
        if thread.forum_id != forum.pk:
            raise Http404
    forums.subscribe(user=request.user, forum=forum, thread=thread, on=request.POST.get("on") == "1")
    if thread is not None:
        return redirect("discussions:thread", pk=thread.pk)
    return redirect("discussions:forum", pk=pk)


@login_required
@require_POST
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    thread = access.get_thread_to_moderate_for(request.user, pk)
    action = request.POST.get("action")
    flags = {"pin": {"pinned": True}, "unpin": {"pinned": False}, "lock": {"locked": True}, "unlock": {"locked": False}}
    if action not in flags:
        return HttpResponse(status=400)
    forums.thread_set(thread=thread, by=request.user, **flags[action])
    return redirect("discussions:thread", pk=thread.pk)


@login_required
@require_POST
def post_delete(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    thread = access.get_thread_to_moderate_for(request.user, pk)
    post = get_object_or_404(Post, pk=post_pk, thread=thread)
    forum_pk = thread.forum.pk
    forums.post_delete(post=post, thread=thread, by=request.user)
    messages.success(request, _("The post is deleted."))
    if not Thread.objects.filter(pk=thread.pk).exists():
        return redirect("discussions:forum", pk=forum_pk)
    return redirect("discussions:thread", pk=thread.pk)


@login_required
def post_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PostFile.objects.select_related("post"), pk=pk)
    access.get_thread_for(request.user, item.post.thread_id)
    return serve_private_file(
        item.file, filename=item.name, content_type=item.content_type, inline=request.GET.get("inline") == "1"
    )
