"""Factories and helpers shared by the tests of every app."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from ustaz.academics.models import (
    AcademicYear,
    Course,
    Delivery,
    Department,
    Discipline,
    DltBasis,
    Enrolment,
    Faculty,
    Programme,
    StudentRecord,
    StudyGroup,
    Term,
    TermKind,
)
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import User
from ustaz.materials.models import Material, MaterialKind, Section

PASSWORD = "correct horse battery"  # noqa: S105 - test password


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Айгерім"
    last_name = factory.Sequence(lambda n: f"Тестова{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    iin = factory.Sequence(lambda n: make_iin(datetime.date(2000, 1, 1), female=True, serial=n * 3))
    language = "en"
    roles = ""

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class FacultyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faculty

    code = factory.Sequence(lambda n: f"F{n}")
    name_kk = factory.Sequence(lambda n: f"Факультет {n}")
    name_en = factory.Sequence(lambda n: f"Faculty {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    faculty = factory.SubFactory(FacultyFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name_kk = factory.Sequence(lambda n: f"Кафедра {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"6B02{n:03d}")
    department = factory.SubFactory(DepartmentFactory)
    name_kk = "Аспаптық орындаушылық"
    name_ru = "Инструментальное исполнительство"
    name_en = "Instrumental performance"


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline

    code = factory.Sequence(lambda n: f"DSC{n:03d}")
    credits = 5
    department = factory.SubFactory(DepartmentFactory)
    name_kk = factory.Sequence(lambda n: f"Гармония {n}")
    name_ru = factory.Sequence(lambda n: f"Гармония {n}")
    name_en = factory.Sequence(lambda n: f"Harmony {n}")


def current_term() -> Term:
    today = timezone.localdate()
    year, _created = AcademicYear.objects.get_or_create(
        name="2099-2100",
        defaults={"starts_on": today - datetime.timedelta(days=60), "ends_on": today + datetime.timedelta(days=300)},
    )
    term, _created = Term.objects.get_or_create(
        academic_year=year,
        kind=TermKind.AUTUMN,
        defaults={"starts_on": today - datetime.timedelta(days=30), "ends_on": today + datetime.timedelta(days=60)},
    )
    return term


class StudyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyGroup

    name = factory.Sequence(lambda n: f"GRP-{n}")
    programme = factory.SubFactory(ProgrammeFactory)
    admission_year = 2025


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    discipline = factory.SubFactory(DisciplineFactory)
    term = factory.LazyFunction(current_term)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Week {n}")
    position = factory.Sequence(lambda n: n)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    section = factory.SubFactory(SectionFactory)
    course = factory.LazyAttribute(lambda m: m.section.course)
    kind = MaterialKind.PAGE
    title = factory.Sequence(lambda n: f"Material {n}")
    body = "Some **text**"
    body_html = "<p>Some <strong>text</strong></p>"
    is_published = True


def enrol(student: User, course: Course, group: StudyGroup | None = None) -> None:
    if not StudentRecord.objects.filter(student=student).exists():
        group = group or StudyGroupFactory()
        StudentRecord.objects.create(
            student=student,
            programme=group.programme,
            group=group,
            delivery=Delivery.NETWORK,
            dlt_basis=DltBasis.HIGHER_BLENDED,
        )
    Enrolment.objects.get_or_create(course=course, student=student)
