"""Who may see or change curricula.

The academic office (and an administrator) drafts, edits and approves curricula and sees every version. The
rector reads every version. Teachers read the approved versions (in force or superseded) of every programme;
a student reads those of their own programme. Drafts are the office's work in progress: nobody else sees them.
Anybody else (applicants, commission members, the ICT centre) sees no curriculum: 403 for the list, 404 for a
curriculum.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ustaz.academics.models import StudentRecord
from ustaz.accounts.models import Role, User

from .models import Curriculum, CurriculumStatus

EDITORS = (Role.ACADEMIC_OFFICE, Role.ADMIN)
READERS_OF_ALL = (Role.ACADEMIC_OFFICE, Role.ADMIN, Role.RECTOR)


def can_edit_curricula(user: User) -> bool:
    return user.is_authenticated and user.has_role(*EDITORS)


def _own_programme_id(user: User) -> int | None:
    if not user.has_role(Role.STUDENT):
        return None
    return StudentRecord.objects.filter(student_id=user.pk).values_list("programme_id", flat=True).first()


def visible_curricula(user: User) -> QuerySet[Curriculum]:
    """The curricula this person may read (none for those who may read none)."""
    if not user.is_authenticated:
        return Curriculum.objects.none()
    if user.has_role(*READERS_OF_ALL):
        return Curriculum.objects.all()
    published = ~Q(status=CurriculumStatus.DRAFT)
    if user.has_role(Role.TEACHER):
        return Curriculum.objects.filter(published)
    programme_id = _own_programme_id(user)
    if programme_id is not None:
        return Curriculum.objects.filter(published, programme_id=programme_id)
    return Curriculum.objects.none()


def can_list_curricula(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_role(*READERS_OF_ALL, Role.TEACHER):
        return True
    return _own_programme_id(user) is not None


def get_curriculum_for(user: User, pk: int) -> Curriculum:
    """The curriculum with its programme; 404 for anyone who may not read it."""
    try:
        return visible_curricula(user).select_related("programme", "approved_by", "based_on").get(pk=pk)
    except Curriculum.DoesNotExist:
        raise Http404 from None


def get_curriculum_to_edit_for(user: User, pk: int) -> Curriculum:
    """The curriculum for its editors; 404 for those who may not read it, 403 for its other readers."""
    curriculum = get_curriculum_for(user, pk)
    if not can_edit_curricula(user):
        raise PermissionDenied
    return curriculum


def capabilities(user: User, curriculum: Curriculum | None = None) -> dict[str, bool]:
    """What the templates may offer: the same answers as the views."""
    editor = can_edit_curricula(user)
    return {
        "create": editor,
        "edit": editor and curriculum is not None and curriculum.is_draft,
        "approve": editor and curriculum is not None and curriculum.is_draft,
        "new_version": editor and curriculum is not None and curriculum.status == CurriculumStatus.APPROVED,
        "export": curriculum is not None,
    }


def get_line_to_edit_for(user: User, pk: int, line_pk: int):
    """The curriculum and one of its lines, for its editors (404/403 as get_curriculum_to_edit_for)."""
    curriculum = get_curriculum_to_edit_for(user, pk)
    line = curriculum.lines.filter(pk=line_pk).first()
    if line is None:
        raise Http404
    return curriculum, line


def get_group_to_edit_for(user: User, pk: int, group_pk: int):
    curriculum = get_curriculum_to_edit_for(user, pk)
    group = curriculum.elective_groups.filter(pk=group_pk).first()
    if group is None:
        raise Http404
    return curriculum, group
