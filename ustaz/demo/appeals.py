"""The appeal commission in the demo (issue 15, item 8; decision 0019): demo-appeals chairs the appeal commission
of demo-student's programme for this term (and for the term of demo-student's appeal of last spring's exam),
with two colleagues; a classmate's appeal of an exam grade of this term waits for it.

Made once: a second run finds the commission and the appeal and adds nothing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password

from ustaz.academics.models import Enrolment, StudentRecord
from ustaz.accounts.models import Role, User
from ustaz.grades import services as grades_services
from ustaz.grades.models import Appeal, AppealCommission, GradeItem, GradeSource, ItemKind

MEMBERS = (
    ("demo-appeals", ("Мұқанова", "Гүлнар", "Серікқызы")),
    ("demo-appeals-2", ("Әбдірахманов", "Тимур", "Болатұлы")),
    ("demo-appeals-3", ("Иванова", "Елена", "Сергеевна")),
)


def _members() -> list[User]:
    from ustaz.demo.management.commands.load_demo import DEMO_PASSWORD

    members = []
    for username, (last, first, patronymic) in MEMBERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "last_name": last,
                "first_name": first,
                "patronymic": patronymic,
                "email": f"{username}@demo.ustaz.kz",
                "language": "ru" if username.endswith("3") else "kk",
                "roles": User.encode_roles({Role.APPEAL_COMMISSION}),
                "password": make_password(DEMO_PASSWORD),
                "must_change_password": False,
            },
        )
        members.append(user)
    return members


def _commission(programme, term, members: list[User]) -> AppealCommission:
    commission, created = AppealCommission.objects.get_or_create(
        programme=programme, term=term, defaults={"chair": members[0]}
    )
    if created:
        commission.members.set(members)
    return commission


def load_appeals() -> None:
    record = StudentRecord.objects.select_related("programme").filter(student__username="demo-student").first()
    if record is None:
        return
    members = _members()
    # The term of demo-student's appeal of last spring's exam: it waits for this commission too.
    for appeal in Appeal.objects.filter(student=record.student).select_related("item__course"):
        _commission(record.programme, appeal.item.course.term, members)
    # This term: a classmate's exam grade, published today, appealed.
    this_term = (
        Enrolment.objects.filter(student=record.student)
        .select_related("course__term")
        .order_by("-course__term__starts_on")
    ).first()
    if this_term is None:
        return
    course = this_term.course
    _commission(record.programme, course.term, members)
    exam = GradeItem.objects.filter(course=course, kind=ItemKind.EXAM).order_by("attempt").first()
    classmate = (
        User.objects.filter(student_record__group_id=record.group_id, enrolments__course=course)
        .exclude(pk=record.student_id)
        .order_by("username")
        .first()
    )
    if exam is None or classmate is None or Appeal.objects.filter(item=exam, student=classmate).exists():
        return
    teacher = course.teachers.order_by("pk").first()
    grades_services.grade_post(
        item=exam, student=classmate, points=Decimal(52), posted_by=teacher, source=GradeSource.JOURNAL
    )
    grades_services.appeal_file(
        item=exam,
        student=classmate,
        grounds="3-сұрақ: жауап толық, бірақ 10 ұпайдың 4-і ғана қойылды; 5-сұрақ: есептің шешімі дұрыс.",
    )
