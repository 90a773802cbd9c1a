"""Reads of conversation: a room's messages by number, a person's rooms with unread counts, whom they may write
to. Each in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course, Enrolment, StudentRecord
from ustaz.academics.selectors import taking_part
from ustaz.accounts.models import Role, User

from .models import Attachment, Message, ReadState, Room, RoomKind

PAGE = 50
RECENT_COURSE_DAYS = 45


def _messages(room: Room):
    return (
        Message.objects.filter(room=room)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )


def messages_after(room: Room, after: int, limit: int = 200) -> list[Message]:
    return list(_messages(room).filter(seq__gt=after).order_by("seq")[:limit])


def messages_between(room: Room, after: int, upto: int) -> list[Message]:
    return list(_messages(room).filter(seq__gt=after, seq__lte=upto).order_by("seq"))


def messages_before(room: Room, before: int, limit: int = PAGE) -> list[Message]:
    return list(_messages(room).filter(seq__lt=before).order_by("-seq")[:limit])[::-1]


def deleted_seqs(room: Room, upto: int, window: int = 500) -> list[int]:
    """Numbers of deleted messages among the room's recent ones, for a client catching up."""
    return list(
        Message.objects.filter(room=room, seq__gt=upto - window, seq__lte=upto, deleted_at__isnull=False)
        .order_by("seq")
        .values_list("seq", flat=True)
    )


def direct_room_between(user: User, other: User) -> Room | None:
    """The two people's conversation if it has been started (opening the page does not start one)."""
    low, high = sorted([user.pk, other.pk])
    return Room.objects.filter(kind=RoomKind.DIRECT, user_low_id=low, user_high_id=high).first()


def read_state(room: Room, user: User) -> ReadState | None:
    return ReadState.objects.filter(room=room, user=user).first()


def _recent_courses(user: User):
    since = timezone.localdate() - datetime.timedelta(days=RECENT_COURSE_DAYS)
    # Two indexed lookups rather than an OR across two joins (which SQLite plans as a scan).
    taught = Course.teachers.through.objects.filter(user=user).values("course_id")
    enrolled = Enrolment.objects.filter(student=user).values("course_id")
    if not academics_access.takes_part(user):
        enrolled = enrolled.none()  # on leave, expelled or graduated: no course rooms (docs/decisions/0014)
    return Course.objects.filter(Q(pk__in=taught) | Q(pk__in=enrolled), term__ends_on__gte=since)


def rooms_for(user: User) -> list[Room]:
    """The person's rooms (their current courses' chats, their group's chats, their direct conversations),
    newest activity first, each with `unread`. Course rooms are made here the first time."""
    courses = list(_recent_courses(user).select_related("discipline").prefetch_related("groups"))
    group_id = StudentRecord.objects.filter(student=user).values_list("group_id", flat=True).first()
    taught = set(Course.teachers.through.objects.filter(user=user).values_list("course_id", flat=True))
    wanted = []
    for course in courses:
        wanted.append((RoomKind.COURSE.value, course.pk, None))
        groups = list(course.groups.all())
        if len(groups) > 1:
            for group in groups:
                if course.pk in taught or group.pk == group_id:
                    wanted.append((RoomKind.GROUP.value, course.pk, group.pk))
    course_q = Q(kind=RoomKind.COURSE, course__in=[c.pk for c in courses])
    group_q = Q(pk__in=[])
    for _kind, course_id, group in (w for w in wanted if w[0] == RoomKind.GROUP.value):
        group_q |= Q(kind=RoomKind.GROUP, course_id=course_id, group_id=group)
    existing = set(Room.objects.filter(course_q | group_q).values_list("kind", "course_id", "group_id"))
    missing = [w for w in wanted if w not in existing]
    if missing:  # the first visit after a course starts: made once, in one INSERT
        Room.objects.bulk_create(
            [Room(kind=kind, course_id=course_id, group_id=group) for kind, course_id, group in missing],
            ignore_conflicts=True,
        )
    direct_q = Q(kind=RoomKind.DIRECT) & (Q(user_low=user) | Q(user_high=user))
    read = ReadState.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")[:1]
    rooms = list(
        Room.objects.filter(course_q | group_q | direct_q)
        .select_related("course__discipline", "group", "user_low", "user_high")
        .annotate(read_upto=Coalesce(Subquery(read, output_field=IntegerField()), Value(0)))
        .order_by("-last_message_at", "pk")
    )
    for room in rooms:
        room.unread = max(0, room.last_seq - room.read_upto)
        if room.kind == RoomKind.DIRECT:
            room.other = room.user_high if room.user_low_id == user.pk else room.user_low
    return rooms


def people_to_message(user: User) -> list[User]:
    """Whom the person may start a conversation with (see access.can_message)."""
    office = User.objects.filter(User.role_filter(Role.ACADEMIC_OFFICE), is_active=True)
    people = User.objects.none()
    if user.has_role(Role.STUDENT) and academics_access.takes_part(user):
        people = User.objects.filter(courses_taught__enrolments__student=user, is_active=True)
    if user.has_role(Role.TEACHER):
        students = Enrolment.objects.filter(course__teachers=user).values("student_id")
        people = people | User.objects.filter(taking_part(), pk__in=students, is_active=True)
    if user.has_role(Role.ACADEMIC_OFFICE, Role.ADMIN):
        people = User.objects.filter(User.role_filter(Role.TEACHER) | User.role_filter(Role.STUDENT), is_active=True)
    chosen = (people | office).exclude(pk=user.pk).distinct().order_by("last_name", "first_name")
    return list(chosen[:500])


# --- Forums ------------------------------------------------------------------------------------------------


def forum_threads(forum):
    from .models import Thread

    return Thread.objects.filter(forum=forum).select_related("author").order_by("-is_pinned", "-last_post_at", "-pk")


def thread_posts(thread):
    from .models import Post, PostFile

    return (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(Prefetch("files", queryset=PostFile.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )


def is_subscribed(user: User, forum, thread=None) -> bool:
    from .models import Subscription

    return Subscription.objects.filter(user=user, forum=forum, thread=thread).exists()
