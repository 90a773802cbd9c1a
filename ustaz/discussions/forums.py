"""Writes of forums: threads and replies (Markdown sanitized once, when posted), attached files, subscriptions,
pinning, locking and deleting by moderators, and notices to subscribers (and to the whole course for an
announcement) in each reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ustaz.academics.models import Course
from ustaz.accounts.models import Role, User
from ustaz.core.files import clean_filename, guess_content_type
from ustaz.core.markup import render_markdown
from ustaz.notifications import services as notifications

from .apps import ANNOUNCEMENT, FORUM_POST
from .models import Forum, ForumKind, Post, PostFile, Subscription, Thread
from .services import room_members

MAX_FILES = 10


def course_forum(course: Course, kind: str = ForumKind.DISCUSSION) -> Forum:
    try:
        with transaction.atomic():
            return Forum.objects.get_or_create(kind=kind, course=course)[0]
    except IntegrityError:
        return Forum.objects.get(kind=kind, course=course)


def university_announcements() -> Forum:
    try:
        with transaction.atomic():
            return Forum.objects.get_or_create(kind=ForumKind.ANNOUNCEMENTS, course=None)[0]
    except IntegrityError:
        return Forum.objects.get(kind=ForumKind.ANNOUNCEMENTS, course=None)


def _check_files(files: list[UploadedFile]) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError(_("At most %(count)d files to a post.") % {"count": MAX_FILES})
    limit = settings.CHAT_MAX_ATTACHMENT_MB * 1024 * 1024
    for upload in files:
        if upload.size > limit:
            raise ValidationError(
                _("%(name)s is %(size)s MB; an attached file is at most %(limit)d MB.")
                % {
                    "name": upload.name,
                    "size": round(upload.size / 1024 / 1024, 1),
                    "limit": settings.CHAT_MAX_ATTACHMENT_MB,
                }
            )


def _post(thread: Thread, author: User, body: str, files: list[UploadedFile]) -> Post:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the text of the post.")})
    post = Post.objects.create(thread=thread, author=author, body=body, body_html=render_markdown(body))
    for upload in files:
        name = clean_filename(upload.name)
        item = PostFile(post=post, name=name, content_type=guess_content_type(name), size=upload.size)
        item.file.save(name, upload, save=False)
        item.save()
    Subscription.objects.get_or_create(user=author, forum=thread.forum, thread=thread)
    return post


@transaction.atomic
def thread_start(*, forum: Forum, author: User, title: str, body: str, files: Iterable[UploadedFile] = ()) -> Thread:
    if not getattr(forum, "can_start", False):
        raise PermissionDenied(_("Only the course's teachers post announcements."))
    files = list(files)
    _check_files(files)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the thread a title.")})
    now = timezone.now()
    thread = Thread.objects.create(forum=forum, title=title[:200], author=author, last_post_at=now, post_count=1)
    post = _post(thread, author, body, files)
    _tell(thread, post, author, first=True)
    return thread


@transaction.atomic
def reply(*, thread: Thread, author: User, body: str, files: Iterable[UploadedFile] = ()) -> Post:
    if not getattr(thread, "can_reply", False):
        raise PermissionDenied(
            _("This thread is locked.") if thread.is_locked else _("You cannot reply in this forum.")
        )
    files = list(files)
    _check_files(files)
    post = _post(thread, author, body, files)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at, post_count=F("post_count") + 1)
    _tell(thread, post, author, first=False)
    return post


def _tell(thread: Thread, post: Post, author: User, *, first: bool) -> None:
    forum = thread.forum
    followers = User.objects.filter(
        pk__in=Subscription.objects.filter(forum=forum)
        .filter(thread__isnull=True)
        .union(Subscription.objects.filter(thread=thread))
        .values("user_id")
    )
    readers = {u.pk: u for u in followers}
    if forum.kind == ForumKind.ANNOUNCEMENTS and first:
        if forum.course_id is None:
            everyone = User.objects.filter(
                User.role_filter(Role.STUDENT) | User.role_filter(Role.TEACHER), is_active=True
            )
        else:
            everyone = room_members_of_course(forum.course_id)
        readers.update({u.pk: u for u in everyone})
    readers.pop(author.pk, None)
    if not readers:
        return
    kind = ANNOUNCEMENT if forum.kind == ForumKind.ANNOUNCEMENTS else FORUM_POST
    title = gettext_lazy("%(name)s: %(title)s") if first else gettext_lazy("%(name)s replied: %(title)s")
    notifications.notify(
        users=readers.values(),
        kind=kind,
        title=title,
        body=post.body[:1000],
        params={"name": author.full_name or author.username, "title": thread.title},
        url=reverse("discussions:thread", args=[thread.pk]) + f"#post-{post.pk}",
    )


def room_members_of_course(course_id: int) -> list[User]:
    from .models import Room, RoomKind

    return room_members(Room(kind=RoomKind.COURSE, course_id=course_id))


def subscribe(*, user: User, forum: Forum, thread: Thread | None = None, on: bool = True) -> None:
    if on:
        Subscription.objects.get_or_create(user=user, forum=forum, thread=thread)
    else:
        Subscription.objects.filter(user=user, forum=forum, thread=thread).delete()


def thread_set(*, thread: Thread, by: User, pinned: bool | None = None, locked: bool | None = None) -> Thread:
    if not thread.forum.can_moderate:
        raise PermissionDenied
    if pinned is not None:
        thread.is_pinned = pinned
    if locked is not None:
        thread.is_locked = locked
    thread.save(update_fields=["is_pinned", "is_locked"])
    return thread


@transaction.atomic
def post_delete(*, post: Post, thread: Thread, by: User) -> None:
    """A moderator removes a post (the thread with it when it is the first)."""
    if not thread.forum.can_moderate:
        raise PermissionDenied
    first = thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    if post.pk == first:
        thread.delete()
        return
    post.delete()
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") - 1)
