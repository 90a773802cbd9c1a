"""Who may read, write and moderate a room, and who may message whom.

- A course's chat: the people of the course (its teachers, its students, the overseeing offices).
- A group's chat within a course: its teachers, the overseers, and the course's students of that group.
- Direct messages: only the two people; a student writes to their teachers and the academic office, a
  teacher to their students and the office, the office to anyone.
Moderators (delete others' messages, mute) are the course's teachers and the academic office.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ustaz.academics import access as academics_access
from ustaz.academics.models import Course, Enrolment, StudentRecord
from ustaz.accounts.models import Role, User

from .models import Room, RoomKind

OFFICE = (Role.ACADEMIC_OFFICE, Role.ADMIN)


def _student_group_id(user: User) -> int | None:
    return StudentRecord.objects.filter(student_id=user.pk).values_list("group_id", flat=True).first()


def get_room_for(user: User, pk: int) -> Room:
    """The room with the user's relation to it (room.can_moderate, room.course); 404 for anyone outside it."""
    if not user.is_authenticated:
        raise PermissionDenied
    try:
        room = Room.objects.select_related("group", "user_low", "user_high").get(pk=pk)
    except Room.DoesNotExist:
        raise Http404 from None
    room.can_moderate = False
    if room.kind == RoomKind.DIRECT:
        if user.pk not in (room.user_low_id, room.user_high_id):
            raise Http404
        room.other = room.user_high if user.pk == room.user_low_id else room.user_low
        return room
    if room.course_id is None:
        raise Http404
    course = academics_access.get_course_for(user, room.course_id)
    if room.kind == RoomKind.GROUP and course.is_enrolled and _student_group_id(user) != room.group_id:
        raise Http404
    room.course = course
    room.can_moderate = bool(course.is_teacher or user.has_role(*OFFICE))
    return room


def can_write(user: User, course: Course | None) -> bool:
    """Overseers who are not the office (the rector) read course rooms; they do not write in them."""
    if course is None:
        return True
    return bool(course.is_teacher or course.is_enrolled or user.has_role(*OFFICE))


def can_message(user: User, other: User) -> bool:
    if user.pk == other.pk or not other.is_active or not user.is_authenticated:
        return False
    if user.has_role(*OFFICE) or other.has_role(*OFFICE):
        return other.has_role(Role.STUDENT, Role.TEACHER, *OFFICE) or user.has_role(Role.STUDENT, Role.TEACHER)
    pairs = [(user, other), (other, user)]
    for student, teacher in pairs:
        if student.has_role(Role.STUDENT) and teacher.has_role(Role.TEACHER):
            # A student on leave, expelled or graduated no longer talks to their teachers as a student.
            if (
                academics_access.takes_part(student)
                and Enrolment.objects.filter(student=student, course__teachers=teacher).exists()
            ):
                return True
    return False


def get_group_room_course(user: User, course_pk: int, group_pk: int) -> Course:
    course = academics_access.get_course_for(user, course_pk)
    if not course.groups.filter(pk=group_pk).exists():
        raise Http404
    if course.is_enrolled and _student_group_id(user) != group_pk:
        raise Http404
    return course


# --- Forums ------------------------------------------------------------------------------------------------


def get_forum_for(user: User, pk: int):
    """The forum with the user's rights (forum.can_moderate, can_start, can_reply, course); 404 if not theirs."""
    from .models import Forum, ForumKind

    if not user.is_authenticated:
        raise PermissionDenied
    try:
        forum = Forum.objects.get(pk=pk)
    except Forum.DoesNotExist:
        raise Http404 from None
    if forum.course_id is None:  # the University's announcements: everyone reads, the office writes
        forum.course = None
        forum.can_moderate = user.has_role(*OFFICE)
        forum.can_start = forum.can_reply = forum.can_moderate
        return forum
    course = academics_access.get_course_for(user, forum.course_id)
    forum.course = course
    forum.can_moderate = bool(course.is_teacher or user.has_role(*OFFICE))
    if forum.kind == ForumKind.ANNOUNCEMENTS:
        forum.can_start = forum.can_reply = forum.can_moderate
    else:
        forum.can_start = forum.can_reply = can_write(user, course)
    return forum


def get_thread_for(user: User, pk: int):
    from .models import Thread

    try:
        thread = Thread.objects.select_related("author").get(pk=pk)
    except Thread.DoesNotExist:
        raise Http404 from None
    thread.forum = get_forum_for(user, thread.forum_id)
    thread.can_reply = thread.forum.can_reply and (not thread.is_locked or thread.forum.can_moderate)
    return thread


def get_thread_to_moderate_for(user: User, pk: int):
    thread = get_thread_for(user, pk)
    if not thread.forum.can_moderate:
        raise PermissionDenied
    return thread
