"""Load the demo university once: `manage.py load_demo` (does nothing if it is already there)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from ustaz.academics import services as academics_services
from ustaz.academics.bases import basis_refusal
from ustaz.academics.models import (
    AcademicYear,
    BasisDocument,
    Course,
    Delivery,
    Department,
    Discipline,
    DltBasis,
    Enrolment,
    Faculty,
    Funding,
    Programme,
    RestrictiveMeasure,
    StudentRecord,
    StudyGroup,
    Term,
    TermKind,
)
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import Role, User
from ustaz.admissions import contracts as admission_contracts
from ustaz.admissions import documents as admission_documents
from ustaz.admissions import exams as admission_exams
from ustaz.admissions import services as admission_services
from ustaz.admissions.models import Application as AdmissionApplication
from ustaz.admissions.models import Campaign as AdmissionCampaign
from ustaz.admissions.models import CreativeExam, Criterion, ExamFormat, ScoreRule, StatusChange
from ustaz.admissions.models import Decision as AdmissionDecision
from ustaz.admissions.models import Offer as AdmissionOffer
from ustaz.admissions.models import Status as AdmissionStatus
from ustaz.assignments import media as assignment_media
from ustaz.assignments import services as assignment_services
from ustaz.assignments.models import Assignment, Submission, SubmissionFile
from ustaz.contracts import services as contract_services
from ustaz.curricula import services as curricula_services
from ustaz.curricula.models import Component, Curriculum, LineKind
from ustaz.demo import data
from ustaz.demo.appeals import load_appeals
from ustaz.demo.attestation import load_attestation
from ustaz.demo.contracts import load_contracts_demo
from ustaz.demo.media import scale_wav, syllabus_pdf
from ustaz.demo.plans import load_plans
from ustaz.demo.records import load_records
from ustaz.discussions import forums as chat_forums
from ustaz.discussions import services as chat_services
from ustaz.grades import services as grades_services
from ustaz.grades.models import Grade, GradeChange, GradeItem, GradeSource, GradingScheme, ItemKind, SchemeItem
from ustaz.live import services as live_services
from ustaz.live.models import Attendance, AttendanceStatus, ClassStatus, LiveClass
from ustaz.live.models import Format as LiveFormat
from ustaz.live.models import Provider as LiveProvider
from ustaz.live.models import Recording as LiveRecording
from ustaz.materials.markup import render_markdown
from ustaz.materials.models import Material, MaterialKind, Section
from ustaz.quizzes import services as quiz_services
from ustaz.quizzes.models import Answer as QuizAnswer
from ustaz.quizzes.models import Bank as QuizBank
from ustaz.quizzes.models import Category as QuizCategory
from ustaz.quizzes.models import Section as QuizSection
from ustaz.quizzes.models import Test as QuizTest

DEMO_PASSWORD = "ustaz-demo"  # noqa: S105 - the documented password of the demo accounts
DEMO_LOGINS = {
    "demo-student": Role.STUDENT,
    "demo-teacher": Role.TEACHER,
    "demo-office": Role.ACADEMIC_OFFICE,
    "demo-ict": Role.ICT_SUPPORT,
    "demo-rector": Role.RECTOR,
    "demo-applicant": Role.APPLICANT,
    "demo-commission": Role.ADMISSION_COMMISSION,
    "demo-chair": Role.ATTESTATION_COMMISSION,
}
STUDENTS_PER_GROUP = 25
TEACHERS_PER_DEPARTMENT = 5


def academic_year_start(today: datetime.date) -> int:
    return today.year if today.month >= 8 else today.year - 1


class Command(BaseCommand):
    help = "Load the demo university (idempotent)."

    def handle(self, *args, **options):
        if User.objects.filter(username="demo-student").exists():
            with transaction.atomic():
                added = self.add_curricula()
                self.add_dlt_basis()
                load_records()
                load_contracts_demo()
                load_plans()
                load_appeals()
                load_attestation()
            self.stdout.write(
                f"The demo university is already loaded; {added} curricula added."
                if added
                else "The demo university is already loaded."
            )
            return
        with transaction.atomic():
            self.rng = random.Random(2026)  # noqa: S311 - deterministic demo data
            self.password_hash = make_password(DEMO_PASSWORD)
            self.serial = 0
            self.load()
            self.add_curricula()
            self.add_dlt_basis()
            load_records()
            load_contracts_demo()
            load_plans()
            load_appeals()
            load_attestation()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo university loaded: {Faculty.objects.count()} faculties, {Programme.objects.count()} programmes, "
                f"{Discipline.objects.count()} disciplines, {Course.objects.count()} courses, "
                f"{User.objects.filter(User.role_filter(Role.TEACHER)).count()} teachers, "
                f"{StudentRecord.objects.count()} students, {Material.objects.count()} materials."
            )
        )

    # --- people ------------------------------------------------------------------------------------
    def person(
        self,
        *,
        username: str | None = None,
        roles: set[str],
        female: bool | None = None,
        citizenship: str = "KZ",
        time_zone: str = "Asia/Almaty",
        language: str = "kk",
        birth_year: int = 2003,
        names: tuple[str, str, str] | None = None,
    ) -> User:
        rng = self.rng
        if female is None:
            female = rng.random() < 0.55
        if names:
            last, first, patronymic = names
        else:
            last = rng.choice(data.SURNAMES)
            if female:
                last = last + "а" if last.endswith(("ов", "ев", "ин")) else last
            first = rng.choice(data.FEMALE_NAMES if female else data.MALE_NAMES)
            father = rng.choice(data.FATHER_NAMES)
            patronymic = f"{father}{'қызы' if female else 'ұлы'}"
        self.serial += 1
        birth = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        iin = make_iin(birth, female=female, serial=self.serial) if citizenship == "KZ" else ""
        return User(
            username=username or f"u{self.serial:04d}",
            last_name=last,
            first_name=first,
            patronymic=patronymic,
            iin=iin,
            citizenship=citizenship,
            email=f"{username or f'u{self.serial:04d}'}@demo.ustaz.kz",
            time_zone=time_zone,
            language=language,
            roles=User.encode_roles(roles),
            password=self.password_hash,
            must_change_password=False,
        )

    def load(self) -> None:
        rng = self.rng
        today = timezone.localdate()
        start = academic_year_start(today)
        year = AcademicYear.objects.create(
            name=f"{start}-{start + 1}", starts_on=datetime.date(start, 9, 1), ends_on=datetime.date(start + 1, 8, 31)
        )
        autumn = Term.objects.create(
            academic_year=year,
            kind=TermKind.AUTUMN,
            starts_on=datetime.date(start, 9, 1),
            ends_on=datetime.date(start + 1, 1, 20),
        )
        spring = Term.objects.create(
            academic_year=year,
            kind=TermKind.SPRING,
            starts_on=datetime.date(start + 1, 1, 21),
            ends_on=datetime.date(start + 1, 6, 15),
        )
        Term.objects.create(
            academic_year=year,
            kind=TermKind.SUMMER,
            starts_on=datetime.date(start + 1, 6, 16),
            ends_on=datetime.date(start + 1, 8, 31),
        )
        term = spring if today >= spring.starts_on else autumn

        faculties = {
            code: Faculty.objects.create(code=code, name_kk=kk, name_ru=ru, name_en=en)
            for code, kk, ru, en in data.FACULTIES
        }
        staff = [
            self.person(
                username="demo-office",
                roles={Role.ACADEMIC_OFFICE},
                birth_year=1982,
                language="ru",
                names=("Омарова", "Гүлнар", "Серікқызы"),
            ),
            self.person(
                username="demo-ict", roles={Role.ICT_SUPPORT}, birth_year=1990, names=("Тұрсынов", "Данияр", "Болатұлы")
            ),
            self.person(
                username="demo-rector", roles={Role.RECTOR}, birth_year=1965, names=("Сәтбаев", "Нұрлан", "Ерікұлы")
            ),
            self.person(
                username="demo-applicant",
                roles={Role.APPLICANT},
                birth_year=2008,
                names=("Есенова", "Аружан", "Маратқызы"),
            ),
            self.person(
                username="demo-commission",
                roles={Role.ADMISSION_COMMISSION},
                birth_year=1975,
                language="ru",
                names=("Жұмабаева", "Сәуле", "Қанатқызы"),
            ),
        ]
        User.objects.bulk_create(staff)

        programmes, teachers_by_dept, disciplines_by_dept = [], {}, {}
        teachers: list[User] = []
        for faculty_code, dept_code, dept_names, prog_code, prog_names in data.PROGRAMMES:
            department = Department.objects.create(
                faculty=faculties[faculty_code],
                code=dept_code,
                name_kk=dept_names[0],
                name_ru=dept_names[1],
                name_en=dept_names[2],
            )
            programmes.append(
                Programme.objects.create(
                    code=prog_code,
                    department=department,
                    name_kk=prog_names[0],
                    name_ru=prog_names[1],
                    name_en=prog_names[2],
                    instruction_languages="kk,ru",
                )
            )
            disciplines_by_dept[dept_code] = [
                Discipline.objects.create(
                    code=f"{dept_code}{n + 1:02d}{credits}",
                    department=department,
                    credits=credits,
                    name_kk=kk,
                    name_ru=ru,
                    name_en=en,
                )
                for n, (kk, ru, en, credits) in enumerate(data.DISCIPLINES[dept_code])
            ]
            dept_teachers = []
            for n in range(TEACHERS_PER_DEPARTMENT):
                first = dept_code == "INS" and n == 0
                dept_teachers.append(
                    self.person(
                        username="demo-teacher" if first else None,
                        roles={Role.TEACHER},
                        birth_year=rng.randint(1960, 1992),
                        names=("Жұмабаева", "Ақмарал", "Ғаниқызы") if first else None,
                        female=True if first else None,
                    )
                )
            # One teacher from abroad (§1.4: foreign specialists teach at a distance).
            if dept_code == "VOC":
                dept_teachers[-1].citizenship, dept_teachers[-1].iin = "IT", ""
                dept_teachers[-1].time_zone, dept_teachers[-1].language = "Europe/Rome", "en"
            teachers_by_dept[dept_code] = dept_teachers
            teachers.extend(dept_teachers)
        User.objects.bulk_create(teachers)
        # bulk_create on SQLite does not set primary keys for every backend version: read them back.
        by_name = {u.username: u for u in User.objects.filter(username__in=[t.username for t in teachers])}
        for dept_code, dept_teachers in teachers_by_dept.items():
            teachers_by_dept[dept_code] = [by_name[t.username] for t in dept_teachers]

        # Groups: one per programme and year of study, 25 students each.
        bases = (
            [DltBasis.HIGHER_BLENDED] * 6
            + [DltBasis.SHORTENED] * 3
            + [
                DltBasis.EXCHANGE,
                DltBasis.ACADEMIC_MOBILITY,
                DltBasis.BUSINESS_TRIP,
                DltBasis.SPECIAL_NEEDS,
                DltBasis.TEMPORARY_HEALTH,
                DltBasis.FOREIGN_FAMILY,
                DltBasis.WORKING_ADULT,
                DltBasis.MILITARY_SERVICE,
            ]
        )
        deliveries = [Delivery.NETWORK] * 6 + [Delivery.BLENDED] * 3 + [Delivery.CASE] * 2
        students: list[User] = []
        plan: list[tuple[StudyGroup, int, dict]] = []
        groups_by_key = {}
        for programme, (_f, dept_code, *_rest) in zip(programmes, data.PROGRAMMES, strict=True):
            for year_of_study in range(1, 5):
                admitted = start - year_of_study + 1
                group = StudyGroup.objects.create(
                    name=f"{dept_code}-{admitted % 100:02d}",
                    programme=programme,
                    admission_year=admitted,
                    language="kk" if year_of_study % 2 else "ru",
                )
                groups_by_key[(programme.code, year_of_study)] = group
                for n in range(STUDENTS_PER_GROUP):
                    is_demo = dept_code == "INS" and year_of_study == 2 and n == 0
                    fitting = [b for b in bases if basis_refusal(b, programme.level) is None]
                    basis = DltBasis.HIGHER_BLENDED if is_demo else rng.choice(fitting)
                    abroad = basis in (
                        DltBasis.EXCHANGE,
                        DltBasis.ACADEMIC_MOBILITY,
                        DltBasis.BUSINESS_TRIP,
                        DltBasis.FOREIGN_FAMILY,
                    )
                    country, tz = rng.choice(data.ABROAD) if abroad else ("KZ", "Asia/Almaty")
                    citizenship = country if basis == DltBasis.FOREIGN_FAMILY else "KZ"
                    student = self.person(
                        username="demo-student" if is_demo else None,
                        roles={Role.STUDENT},
                        birth_year=2008 - year_of_study,
                        citizenship=citizenship,
                        time_zone=tz,
                        language=rng.choice(["kk", "kk", "ru"]),
                        names=("Сейітов", "Ерлан", "Асқарұлы") if is_demo else None,
                        female=False if is_demo else None,
                    )
                    students.append(student)
                    plan.append(
                        (
                            group,
                            year_of_study,
                            {
                                "programme": programme,
                                "delivery": Delivery.NETWORK if is_demo else rng.choice(deliveries),
                                "dlt_basis": basis,
                                "funding": Funding.PAID_CONTRACT,
                                "contract_number": f"ҚБТ-{admitted}-{len(plan) + 1:04d}",
                                "country_of_residence": country,
                            },
                        )
                    )
        User.objects.bulk_create(students, batch_size=200)
        ids = dict(User.objects.filter(username__in=[s.username for s in students]).values_list("username", "id"))
        StudentRecord.objects.bulk_create(
            [
                StudentRecord(student_id=ids[s.username], group=group, year_of_study=year_of_study, **fields)
                for s, (group, year_of_study, fields) in zip(students, plan, strict=True)
            ],
            batch_size=200,
        )

        self.add_scheme(programmes[0])
        # This term's courses: two or three disciplines per group, taught by the department's teachers.
        wav = scale_wav()
        pdf_by_dept: dict[str, bytes] = {}
        courses: list[Course] = []
        for programme, (_f, dept_code, *_rest) in zip(programmes, data.PROGRAMMES, strict=True):
            disciplines = disciplines_by_dept[dept_code]
            dept_teachers = teachers_by_dept[dept_code]
            for year_of_study in range(1, 5):
                group = groups_by_key[(programme.code, year_of_study)]
                count = 3 if year_of_study == 2 else 2
                for k in range(count):
                    discipline = disciplines[((year_of_study - 1) * 2 + k) % len(disciplines)]
                    course = Course.objects.create(discipline=discipline, term=term)
                    lead = (
                        dept_teachers[0] if (dept_code == "INS" and year_of_study == 2) else rng.choice(dept_teachers)
                    )
                    assistant = rng.choice([t for t in dept_teachers if t != lead])
                    course.teachers.set([lead, assistant] if k == 0 else [lead])
                    course.groups.add(group)
                    courses.append(course)
                    if dept_code not in pdf_by_dept:
                        pdf_by_dept[dept_code] = syllabus_pdf(
                            discipline.name_kk,
                            discipline.code,
                            discipline.credits,
                            [t[0] for t in data.SECTION_TITLES] + ["Аралық бақылау", "Емтихан"],
                        )
                    self.add_materials(course, lead, pdf_by_dept[dept_code], wav)
        enrolments = [
            Enrolment(course=course, student_id=sid)
            for course in courses
            for sid in StudentRecord.objects.filter(group__in=course.groups.all()).values_list("student_id", flat=True)
        ]
        Enrolment.objects.bulk_create(enrolments, batch_size=500)
        self.add_grades(courses)
        ins_courses = [c for c in courses if c.groups.filter(pk=groups_by_key[(programmes[0].code, 2)].pk).exists()]
        self.add_classes(ins_courses)
        self.add_chat(ins_courses[0])
        self.add_assignments(ins_courses[0], wav)
        self.add_test(ins_courses[0])
        self.add_admission(programmes)
        self.add_past_admission(start, groups_by_key[(programmes[0].code, 1)], groups_by_key[(programmes[0].code, 2)])
        ins = data.PROGRAMMES[0][1]
        self.add_previous_term(
            year=year,
            group=groups_by_key[(programmes[0].code, 2)],
            disciplines=disciplines_by_dept[ins][:2],
            teacher=teachers_by_dept[ins][0],
            this_term=[c for c in courses if c.groups.filter(pk=groups_by_key[(programmes[0].code, 1)].pk).exists()],
        )

    def add_grades(self, courses: list[Course]) -> None:
        """The journals as they stand late in the term: rating 1 done, current control 2 under way."""
        rng = self.rng
        with translation.override("kk"):
            for course in courses:
                grades_services.default_items_create(course=course)
        items = {(i.course_id, i.position): i for i in GradeItem.objects.filter(course__in=courses)}
        leads = {c.pk: c.teachers.order_by("pk").first() for c in courses}
        grades, changes = [], []
        for enrolment in Enrolment.objects.filter(course__in=courses).order_by("pk"):
            talent = rng.uniform(45, 98)  # each student's level, so a row hangs together
            for position in (1, 2, 3):  # current control 1, RK1, current control 2
                item = items[(enrolment.course_id, position)]
                points = Decimal(str(round(min(100, max(0, rng.gauss(talent, 8))))))
                lead = leads[enrolment.course_id]
                grades.append(
                    Grade(
                        item=item,
                        student_id=enrolment.student_id,
                        points=points,
                        posted_by=lead,
                        source=GradeSource.JOURNAL,
                    )
                )
                changes.append(
                    GradeChange(
                        item=item,
                        student_id=enrolment.student_id,
                        old_points=None,
                        new_points=points,
                        changed_by=lead,
                        source=GradeSource.JOURNAL,
                    )
                )
        Grade.objects.bulk_create(grades, batch_size=1000)
        GradeChange.objects.bulk_create(changes, batch_size=1000)

    def add_classes(self, courses: list[Course]) -> None:
        """Demo-student's group: weekly online classes since the term began (attendance taken, a recording),
        one starting in a few minutes (its join button open), a weekly class in person (blended, §2.2), one
        cancelled."""
        rng = self.rng
        almaty = ZoneInfo("Asia/Almaty")
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        for n, course in enumerate(courses):
            lead = course.teachers.order_by("pk").first()
            first = monday - datetime.timedelta(weeks=6) + datetime.timedelta(days=n)
            online = live_services.class_schedule(
                course=course,
                by=lead,
                title=f"{course.discipline.name_kk}: онлайн сабақ",
                description="Сабаққа дейін тақырып бойынша материалдарды қараңыз.",
                starts_at=datetime.datetime.combine(first, datetime.time(10 + n * 2, 0), tzinfo=almaty),
                duration_minutes=80,
                format=LiveFormat.ONLINE,
                provider=LiveProvider.LINK,
                link=f"https://meet.jit.si/ustaz-demo-{course.discipline.code.lower()}",
                repeat_until=first + datetime.timedelta(weeks=8),
                time_zone="Asia/Almaty",
            )
            held = [c for c in online if c.ends_at < timezone.now()]
            students = list(Enrolment.objects.filter(course=course).values_list("student_id", flat=True))
            marks = []
            for live_class in held:
                for student_id in students:
                    roll = rng.random()
                    mark = Attendance(live_class=live_class, student_id=student_id)
                    if roll < 0.88:  # joined through the platform: present, or late past the grace minutes
                        mark.status = AttendanceStatus.PRESENT if roll < 0.8 else AttendanceStatus.LATE
                        late_by = rng.randint(-5, 4) if roll < 0.8 else rng.randint(16, 40)
                        mark.joined_at = live_class.starts_at + datetime.timedelta(minutes=late_by)
                    elif roll < 0.93:  # excused by the teacher
                        mark.status, mark.note = AttendanceStatus.EXCUSED, "Анықтама берілді"
                        mark.marked_by, mark.marked_at = lead, live_class.ends_at
                    else:
                        continue
                    marks.append(mark)
            Attendance.objects.bulk_create(marks, batch_size=1000)
            if held:
                LiveRecording.objects.create(
                    live_class=held[-1],
                    title=held[-1].title,
                    url="https://www.youtube.com/watch?v=ustaz-demo",
                    started_at=held[-1].starts_at,
                )
            if n == 0:
                soon = timezone.now() + datetime.timedelta(minutes=10)
                live_services.class_schedule(
                    course=course,
                    by=lead,
                    title="Кеңес: емтиханға дайындық",
                    starts_at=soon.replace(second=0, microsecond=0),
                    duration_minutes=60,
                    format=LiveFormat.ONLINE,
                    provider=LiveProvider.LINK,
                    link="https://meet.jit.si/ustaz-demo-consultation",
                )
            if n == 1:
                live_services.class_schedule(
                    course=course,
                    by=lead,
                    title="Ансамбль: шағын топпен бетпе-бет",
                    starts_at=datetime.datetime.combine(
                        monday + datetime.timedelta(days=3), datetime.time(15, 0), tzinfo=almaty
                    ),
                    duration_minutes=90,
                    format=LiveFormat.IN_PERSON,
                    room="Құрманғазы залы, 204",
                    repeat_until=monday + datetime.timedelta(weeks=6),
                    time_zone="Asia/Almaty",
                )
                upcoming = [c for c in online if c.starts_at > timezone.now() + datetime.timedelta(days=7)]
                if upcoming:
                    LiveClass.objects.filter(pk=upcoming[0].pk).update(status=ClassStatus.CANCELLED)

    def add_assignments(self, course: Course, wav: bytes) -> None:
        """A recording to hand in (demo-student's reviewed, with a comment at 0:02 and the grade in the
        journal; two classmates' waiting in demo-teacher's queue) and a written essay due in three days."""
        teacher = course.teachers.order_by("pk").first()
        student = User.objects.get(username="demo-student")
        classmates = list(User.objects.filter(enrolments__course=course).exclude(pk=student.pk).order_by("pk")[3:5])
        column = GradeItem.objects.filter(course=course, kind=ItemKind.CURRENT).order_by("position").last()
        now = timezone.now()
        recording = assignment_services.assignment_save(
            assignment=Assignment(
                course=course,
                title="Гамма мен этюд: аудиожазба",
                instructions="Гамманы және №3 этюдті орындап, **аудиоға** жазыңыз. Телефон жеткілікті.",
                kind="audio",
                accepts=["audio", "video"],
                opens_at=now - datetime.timedelta(days=10),
                due_at=now - datetime.timedelta(days=2),
                late_policy="penalty",
                late_penalty_percent=10,
                grade_item=column,
            ),
            by=teacher,
            criteria=[
                {"title": "Интонация", "levels": [{"title": "әлсіз", "points": 10}, {"title": "жақсы", "points": 50}]},
                {"title": "Ырғақ", "levels": [{"title": "әлсіз", "points": 10}, {"title": "жақсы", "points": 50}]},
            ],
        )
        assignment_services.assignment_save(
            assignment=Assignment(
                course=course,
                title="Эссе: күй өнерінің тарихы",
                instructions="Бір күйшінің шығармашылығы туралы 2–3 беттік эссе жазыңыз.",
                kind="written",
                accepts=["document", "pdf"],
                opens_at=now - datetime.timedelta(days=1),
                due_at=now + datetime.timedelta(days=3),
                late_policy="accept",
            ),
            by=teacher,
        )
        for n, person in enumerate([student, *classmates]):
            submission = Submission.objects.create(assignment=recording, student=person, version=1, text="")
            name = f"assignments/demo/{person.pk}/gamma.wav"
            stored = default_storage.save(name, ContentFile(wav))
            item = SubmissionFile.objects.create(
                submission=submission,
                file=stored,
                name="гамма.wav",
                size=len(wav),
                category="audio",
                content_type="audio/wav",
            )
            assignment_media.process(item)
            if n == 0:
                assignment_services.comment_add(
                    file=item, author=teacher, text="Мұнда интонация сәл төмен — құлақпен тексеріңіз.", start=2.0
                )
                criteria = list(recording.criteria.all())
                assignment_services.review_save(
                    submission=submission,
                    reviewer=teacher,
                    feedback="Жалпы жақсы. Ырғақ тұрақты, интонацияға назар аударыңыз.",
                    rubric={criteria[0].pk: 0, criteria[1].pk: 1},
                )

    def add_test(self, course: Course) -> None:
        """A question bank imported from GIFT, a test open this week (demo-student has not taken it), and
        eight classmates' finished attempts, so the teacher's statistics show."""
        teacher = course.teachers.order_by("pk").first()
        student = User.objects.get(username="demo-student")
        bank = QuizBank.objects.create(discipline=course.discipline, name=f"{course.discipline.name_kk}: тест")
        quiz_services.bank_import(bank=bank, category="Негіздер", raw=data.QUIZ_GIFT.encode(), fmt="gift", by=teacher)
        now = timezone.now()
        test = QuizTest.objects.create(
            course=course,
            title="Аралық бақылау: тест",
            instructions="20 минут, бір әрекет. Жауаптар бірден сақталады.",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=6),
            time_limit_minutes=20,
            review="after_submit",
            created_by=teacher,
        )
        QuizSection.objects.create(test=test, category=QuizCategory.objects.get(bank=bank), count=6)
        classmates = User.objects.filter(enrolments__course=course).exclude(pk=student.pk).order_by("pk")[5:13]
        rng = self.rng
        for pupil in classmates:
            attempt = quiz_services.attempt_start(test=test, student=pupil)
            for answer in QuizAnswer.objects.filter(attempt=attempt).select_related("version__question"):
                kind, key = answer.version.question.kind, answer.version.data
                if rng.random() < 0.7:
                    response = {
                        "single": key.get("correct"),
                        "truefalse": key.get("correct"),
                        "numeric": key.get("answer"),
                        "short": (key.get("answers") or [""])[0],
                        "multiple": key.get("correct"),
                    }.get(kind)
                else:
                    response = 0 if kind == "single" else None
                quiz_services.answer_save(attempt=attempt, position=answer.position, response=response)
            quiz_services.attempt_finish(attempt=attempt)

    def add_admission(self, programmes: list[Programme]) -> None:
        """A campaign open now for three programmes; demo-applicant's draft (basis: a long business trip
        abroad) with two of its four documents."""
        today = timezone.localdate()
        campaign = AdmissionCampaign.objects.create(
            title=f"{today.year} қабылдау: қашықтықтан оқыту",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=45),
        )
        offers = [
            AdmissionOffer.objects.create(
                campaign=campaign,
                programme=programme,
                places=15,
                fee_per_year=Decimal("1450000"),
                creative_exams="Шығармашылық емтихан: бағдарлама орындау (бейнежазба немесе онлайн).",
            )
            for programme in programmes[:3]
        ]
        applicant = User.objects.get(username="demo-applicant")
        EmailAddress.objects.get_or_create(
            user=applicant,
            email=applicant.email or "demo-applicant@example.kz",
            defaults={"verified": True, "primary": True},
        )
        application = admission_services.application_draft(
            applicant=applicant,
            offer=offers[0],
            basis="business_trip",
            justification="Әкем Германияда ұзақ іссапарда; отбасымызбен Берлинде тұрамыз.",
            country="DE",
            city="Берлин",
            time_zone="Europe/Berlin",
            previous_education="Алматы, №25 мектеп-гимназия, 2026",
        )
        pdf = syllabus_pdf("Жеке куәлік (үлгі)", "ID", 0, [])
        for kind in ("identity", "education"):
            admission_services.document_add(
                application=application, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", pdf), by=applicant
            )
        self.add_competition(campaign, offers, pdf)

    def add_competition(self, campaign, offers, pdf: bytes) -> None:
        """The commission at work: demo-commission and two colleagues. The first programme: applications
        waiting in the queue, others checked, its in-person exam held yesterday with the colleagues' scores in
        (demo-commission's still to give, then the results to publish). The second programme: examined and
        ranked, waiting for the rector's order (demo-rector)."""

        rng = self.rng
        office = User.objects.get(username="demo-office")
        colleagues = [
            self.person(roles={Role.ADMISSION_COMMISSION}, birth_year=1970 + n, language="kk") for n in range(2)
        ]
        User.objects.bulk_create(colleagues)
        member = User.objects.get(username="demo-commission")
        campaign.commission.set([member, *colleagues])
        now = timezone.now()
        exams_by_offer = {}
        for index, offer in enumerate(offers[:2]):
            offer.places = 4 if index else 15
            offer.printed_materials_fee = Decimal("85000")
            offer.score_rule = ScoreRule.MEAN
            offer.save()
            exam = CreativeExam.objects.create(
                offer=offer,
                title="Мамандық бойынша шығармашылық емтихан",
                format=ExamFormat.IN_PERSON,
                place="Концерт залы, 2-қабат",
                starts_at=now - datetime.timedelta(days=1 + index),
                pass_score=Decimal("50"),
            )
            for position, (name, top) in enumerate(
                (("Техника", 40), ("Көркемдік бейнелеу", 40), ("Сахналық мәдениет", 20)), start=1
            ):
                Criterion.objects.create(exam=exam, name=name, max_points=Decimal(top), position=position)
            exams_by_offer[offer.pk] = exam
        CreativeExam.objects.create(
            offer=offers[0],
            title="Бейнежазба: еркін бағдарлама",
            position=2,
            format=ExamFormat.RECORDING,
            starts_at=now + datetime.timedelta(days=10),
            pass_score=Decimal("0"),
        )
        Criterion.objects.create(
            exam=CreativeExam.objects.get(offer=offers[0], position=2), name="Жалпы әсер", max_points=Decimal(20)
        )
        bases = ["business_trip", "working_adult", "higher_blended", "academic_mobility", "special_needs", "exchange"]
        abroad = {
            "business_trip": ("DE", "Europe/Berlin"),
            "academic_mobility": ("KR", "Asia/Seoul"),
            "exchange": ("TR", "Europe/Istanbul"),
        }
        plan = [(offers[0], "submitted")] * 4 + [(offers[0], "checked")] * 8 + [(offers[1], "examined")] * 7
        for offer, stage in plan:
            basis = rng.choice(bases)
            country, zone = abroad.get(basis, ("KZ", "Asia/Almaty"))
            person = self.person(roles={Role.APPLICANT}, birth_year=2007, time_zone=zone, language="kk")
            person.save()
            EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
            application = admission_services.application_draft(
                applicant=person,
                offer=offer,
                basis=basis,
                justification="Қашықтықтан оқу қажет: тұрғылықты жерім оқу орнынан алыс.",
                iin=person.iin,
                country=country,
                time_zone=zone,
                previous_education="Колледж, 2026",
            )
            for kind in admission_documents.required(basis):
                admission_services.document_add(
                    application=application, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", pdf), by=person
                )
            admission_services.application_submit(application=application, by=person)
            if stage == "submitted":
                continue
            for document in application.documents.all():
                admission_services.document_check(document=document, by=member, accepted=True)
            admission_services.status_change(application=application, new=AdmissionStatus.CHECKED, by=member)
            exam = exams_by_offer[offer.pk]
            scorers = colleagues if stage == "checked" else [member, *colleagues]
            for who in scorers:
                level = rng.uniform(0.45, 0.95)
                admission_exams.scores_save(
                    exam=exam,
                    application=application,
                    member=who,
                    points={c.pk: Decimal(round(float(c.max_points) * level)) for c in exam.criteria.all()},
                )
        admission_exams.results_publish(exam=exams_by_offer[offers[1].pk], by=office)

    def add_past_admission(self, start: int, first_year_group: StudyGroup, demo_group: StudyGroup) -> None:
        """Last years' campaigns of the first programme: demo-student and classmates came through them, were
        admitted by order, signed contracts and pay by the schedule (demo-student has an overdue payment);
        the office sees every balance."""
        office = User.objects.get(username="demo-office")
        rector = User.objects.get(username="demo-rector")
        today = timezone.localdate()
        for group in (demo_group, first_year_group):
            year = group.admission_year
            campaign = AdmissionCampaign.objects.create(
                title=f"{year} қабылдау: қашықтықтан оқыту",
                opens_on=datetime.date(year, 6, 20),
                closes_on=datetime.date(year, 8, 20),
            )
            offer = AdmissionOffer.objects.create(
                campaign=campaign,
                programme=group.programme,
                places=25,
                fee_per_year=Decimal("1350000" if year < start else "1450000"),
                printed_materials_fee=Decimal("85000"),
            )
            decision = AdmissionDecision.objects.create(
                offer=offer,
                order_number=f"{year}-{start % 7 + 40}-Қ",
                order_date=datetime.date(year, 8, 27),
                recorded_by=rector,
            )
            records = list(group.student_records.select_related("student").order_by("student__username"))
            demo_first = sorted(records, key=lambda r: r.student.username != "demo-student")[:8]
            for index, record in enumerate(demo_first):
                application = AdmissionApplication.objects.create(
                    applicant=record.student,
                    offer=offer,
                    basis=record.dlt_basis,
                    justification="Қашықтықтан оқу қажет.",
                    iin=record.student.iin,
                    citizenship=record.student.citizenship,
                    country=record.country_of_residence,
                    time_zone=record.student.time_zone,
                    status=AdmissionStatus.ADMITTED,
                    submitted_at=datetime.datetime(year, 7, 1 + index, 10, tzinfo=ZoneInfo("Asia/Almaty")),
                    total_score=Decimal(92 - index * 3),
                    passed_exams=True,
                    decision=decision,
                )
                contract = admission_contracts.contract_create(
                    application=application, printed_materials=index % 3 == 0, by=office
                )
                contract.signed_on = datetime.date(year, 8, 29)
                contract.save(update_fields=["signed_on"])
                record.contract_number = contract.number
                record.save(update_fields=["contract_number"])
                application.status = AdmissionStatus.ENROLLED
                application.save(update_fields=["status"])
                StatusChange.objects.bulk_create(
                    StatusChange(application=application, old=old, new=new, by=by)
                    for old, new, by in [
                        ("", AdmissionStatus.SUBMITTED, record.student),
                        (AdmissionStatus.SUBMITTED, AdmissionStatus.CHECKED, office),
                        (AdmissionStatus.CHECKED, AdmissionStatus.EXAMINED, office),
                        (AdmissionStatus.EXAMINED, AdmissionStatus.ADMITTED, rector),
                        (AdmissionStatus.ADMITTED, AdmissionStatus.ENROLLED, office),
                    ]
                )
                # Everyone paid what fell due, but demo-student missed the last installment and one other
                # student paid half of it.
                due = [i for i in contract.installments.all() if i.due_on < today]
                for number, installment in enumerate(due):
                    last = number == len(due) - 1
                    if last and record.student.username == "demo-student":
                        continue
                    amount = installment.amount / 2 if last and index == 3 else installment.amount
                    contract_services.payment_record(
                        contract=contract,
                        amount=amount,
                        paid_on=installment.due_on - datetime.timedelta(days=3),
                        reference=f"KZ{year}{index:02d}{number:02d}",
                        by=office,
                    )

    def add_chat(self, course: Course) -> None:
        """A conversation in demo-student's first course, and a direct message from the teacher to them."""
        teacher = course.teachers.order_by("pk").first()
        student = User.objects.get(username="demo-student")
        classmates = list(User.objects.filter(enrolments__course=course).exclude(pk=student.pk).order_by("pk")[:3])
        room = chat_services.course_room(course)
        lines = [
            (teacher, "Қайырлы күн! Бейсенбіге дейін этюдтердің жазбасын жүктеңіздер."),
            (classmates[0], "Жазбаны телефонмен түсіруге бола ма?"),
            (teacher, "Иә, дыбысы анық болса болады. Штатив қолданыңыз."),
            (classmates[1], "Рахмет! Менде интернет әлсіз, кешірек жүктеймін."),
            (student, f"@{teacher.username} консультация сілтемесі сабақ бетінде ме?"),
            (teacher, "Иә, «Сабақтар» бетінде: басталудан 15 минут бұрын ашылады."),
            (classmates[2], "Ноталарды материалдар бөлімінен таптым 👍"),
        ]
        for author, body in lines:
            chat_services.message_post(room=room, author=author, body=body)
        # The course's forum and announcements, and the University's announcements from the office.
        course.is_teacher, course.is_enrolled = True, False
        forum = chat_forums.course_forum(course)
        forum.course, forum.can_start, forum.can_reply, forum.can_moderate = course, True, True, True
        thread = chat_forums.thread_start(
            forum=forum,
            author=classmates[0],
            title="Этюдтердің жазбасы: қандай микрофон?",
            body="Телефонның микрофоны жеткілікті ме, әлде **сыртқы микрофон** керек пе?",
        )
        thread.forum, thread.can_reply = forum, True
        chat_forums.reply(
            thread=thread,
            author=teacher,
            body="Телефон жеткілікті. Бастысы:\n\n1. тыныш бөлме;\n2. аспаптан бір метр;\n3. алдымен сынап жазыңыз.",
        )
        chat_forums.reply(thread=thread, author=student, body="Рахмет, штативпен жазып көрдім — жақсы шықты.")
        announcements = chat_forums.course_forum(course, "announcements")
        announcements.course, announcements.can_start, announcements.can_moderate = course, True, True
        chat_forums.thread_start(
            forum=announcements,
            author=teacher,
            title="Аралық бақылау кестесі",
            body="Аралық бақылау **8-аптада**, онлайн сабақ уақытында өтеді.",
        )
        office = User.objects.get(username="demo-office")
        university = chat_forums.university_announcements()
        university.course, university.can_start = None, True
        chat_forums.thread_start(
            forum=university,
            author=office,
            title="Қысқы емтихан сессиясы",
            body="Қысқы емтихан сессиясы желтоқсанның соңғы аптасында басталады. Кестені курстың бетінен қараңыз.",
        )
        direct = chat_services.direct_room(teacher, student)
        chat_services.message_post(
            room=direct, author=teacher, body="Ерлан, өткен аптадағы орындауың жақсы болды. Темпті сақта."
        )

    def add_dlt_basis(self) -> None:
        """§1.5 in the demo: demo-student's group studied under restrictive measures last spring (a quarantine,
        with its order), and a student with a disability has a certificate that expires within the notice
        window. Each is made once: a second run finds them."""
        office = User.objects.get(username="demo-office")
        today = timezone.localdate()
        if not RestrictiveMeasure.objects.filter(order_number="112-Н").exists():
            start = academic_year_start(today)
            group = StudentRecord.objects.select_related("group").get(student__username="demo-student").group
            academics_services.restrictive_measure_create(
                reason="Тұмау мен ЖРВИ бойынша карантин (бас мемлекеттік санитарлық дәрігердің қаулысы)",
                order_number="112-Н",
                order_date=datetime.date(start, 3, 13),
                starts_on=datetime.date(start, 3, 16),
                ends_on=datetime.date(start, 4, 4),
                groups=[group],
                by=office,
            )
        if not BasisDocument.objects.exists():
            record = (
                StudentRecord.objects.filter(dlt_basis=DltBasis.SPECIAL_NEEDS)
                .exclude(student__username="demo-student")
                .order_by("pk")
                .first()
            )
            if record is not None:
                pdf = syllabus_pdf("Мүгедектік туралы анықтама", "II топ", 0, ["Қайта куәландыру мерзімі"])
                academics_services.basis_document_save(
                    record=record,
                    upload=SimpleUploadedFile("мүгедектік-анықтамасы.pdf", pdf, content_type="application/pdf"),
                    expires_on=today + datetime.timedelta(days=20),
                    by=office,
                )

    def add_curricula(self) -> int:
        """An approved curriculum for each demo programme and year of admission of its groups (the shared plan
        of data.CURRICULUM_LINES with the programme's own disciplines); for the first programme's newest year a
        second version is being drafted. Years that have a curriculum are left alone, so a second run adds
        nothing."""
        office = User.objects.get(username="demo-office")
        programmes = list(Programme.objects.filter(code__in=[p[3] for p in data.PROGRAMMES]).order_by("code"))
        first_faculty = Faculty.objects.get(code=data.PROGRAMMES[0][0])
        department, _created = Department.objects.get_or_create(
            code="GEN",
            defaults={
                "faculty": first_faculty,
                "name_kk": "Жалпы білім беру пәндері кафедрасы",
                "name_ru": "Кафедра общеобразовательных дисциплин",
                "name_en": "Department of General Education",
            },
        )
        shared = {}
        for code, kk, ru, en, credits in data.GENERAL_DISCIPLINES:
            shared[code], _created = Discipline.objects.get_or_create(
                code=code,
                defaults={"department": department, "name_kk": kk, "name_ru": ru, "name_en": en, "credits": credits},
            )
        added = 0
        for programme in programmes:
            own = list(Discipline.objects.filter(department=programme.department).order_by("code"))
            years = sorted(set(programme.groups.values_list("admission_year", flat=True)))
            for year in years:
                if Curriculum.objects.filter(programme=programme, admission_year=year).exists():
                    continue
                curriculum = curricula_services.curriculum_create(
                    programme=programme, admission_year=year, terms=8, actor=office
                )
                groups = {}
                for code, term, cycle, credits, names, offered in data.CURRICULUM_GROUPS:
                    groups[code] = curricula_services.group_save(
                        curriculum=curriculum,
                        data=curricula_services.GroupData(
                            code=code,
                            term=term,
                            cycle=cycle,
                            credits_to_choose=credits,
                            name_kk=names[0],
                            name_ru=names[1],
                            name_en=names[2],
                        ),
                    )
                    for option in offered:
                        curricula_services.line_save(
                            curriculum=curriculum,
                            data=curricula_services.LineData(
                                kind=LineKind.DISCIPLINE,
                                term=term,
                                credits=shared[option].credits,
                                cycle=cycle,
                                discipline=shared[option],
                                component=Component.ELECTIVE,
                                control="exam",
                                elective_group=groups[code],
                            ),
                        )
                for term, what, credits, cycle, control in data.CURRICULUM_LINES:
                    line = curricula_services.LineData(
                        kind=LineKind.DISCIPLINE,
                        term=term,
                        credits=credits,
                        cycle=cycle,
                        component=Component.COMPULSORY if cycle == "general" else Component.UNIVERSITY,
                        control=control,
                    )
                    if what.startswith("practice:"):
                        _kind, line.practice_kind, weeks = what.split(":")
                        line.kind, line.weeks = LineKind.PRACTICE, int(weeks)
                    elif what.startswith("attestation:"):
                        line.kind, line.attestation_form = LineKind.ATTESTATION, what.split(":")[1]
                    elif what.startswith("D"):
                        line.discipline = own[int(what[1:])]
                    else:
                        line.discipline = shared[what]
                    curricula_services.line_save(curriculum=curriculum, data=line)
                curricula_services.curriculum_approve(curriculum=curriculum, actor=office)
                added += 1
                if programme == programmes[0] and year == years[-1]:
                    curricula_services.curriculum_new_version(curriculum=curriculum, actor=office)
        return added

    def add_scheme(self, programme: Programme) -> None:
        """The academic office's journal scheme for the performance programme: technique and a recital."""
        scheme = GradingScheme.objects.create(
            name="Орындаушылық: техника және концерттік бағдарлама", programme=programme
        )
        SchemeItem.objects.bulk_create(
            [
                SchemeItem(
                    scheme=scheme, kind=ItemKind.CURRENT, period=1, title="Техникалық сынақтар 1", week=7, position=1
                ),
                SchemeItem(
                    scheme=scheme, kind=ItemKind.MIDTERM, period=1, title="АБ1: шығарманы орындау", week=7, position=2
                ),
                SchemeItem(
                    scheme=scheme, kind=ItemKind.CURRENT, period=2, title="Техникалық сынақтар 2", week=15, position=3
                ),
                SchemeItem(
                    scheme=scheme, kind=ItemKind.MIDTERM, period=2, title="АБ2: шығарманы орындау", week=15, position=4
                ),
                SchemeItem(
                    scheme=scheme, kind=ItemKind.EXAM, title="Шығармашылық емтихан: концерттік бағдарлама", position=5
                ),
            ]
        )

    def add_previous_term(self, *, year, group, disciplines, teacher, this_term: list[Course]) -> None:
        """Last spring's two courses of the demo student's group, graded to the end: the transcript has a
        history, one classmate retook the exam after FX, another failed and studies the discipline again."""
        rng = self.rng
        earlier_year = AcademicYear.objects.create(
            name=f"{year.starts_on.year - 1}-{year.starts_on.year}",
            starts_on=datetime.date(year.starts_on.year - 1, 9, 1),
            ends_on=datetime.date(year.starts_on.year, 8, 31),
        )
        spring = Term.objects.create(
            academic_year=earlier_year,
            kind=TermKind.SPRING,
            starts_on=datetime.date(year.starts_on.year, 1, 21),
            ends_on=datetime.date(year.starts_on.year, 6, 15),
        )
        office = User.objects.get(username="demo-office")
        students = list(User.objects.filter(student_record__group=group).order_by("username"))
        fx_student, f_student = [s for s in students if s.username != "demo-student"][:2]
        past = []
        with translation.override("kk"):
            for discipline in disciplines:
                course = Course.objects.create(discipline=discipline, term=spring)
                course.teachers.add(teacher)
                course.groups.add(group)
                Enrolment.objects.bulk_create([Enrolment(course=course, student=s) for s in students])
                items = grades_services.default_items_create(course=course)
                for student in students:
                    talent = {"demo-student": 93, fx_student.username: 75, f_student.username: 75}.get(
                        student.username, rng.uniform(55, 95)
                    )
                    exam = talent
                    if student == fx_student and discipline == disciplines[1]:
                        exam = 40
                    if student == f_student and discipline == disciplines[0]:
                        exam = 15
                    for item in items:
                        mark = exam if item.kind == ItemKind.EXAM else rng.gauss(talent, 5)
                        self.post(item, student, mark, teacher)
                past.append((course, items))
            course, items = past[1]
            retake = GradeItem.objects.create(
                course=course,
                kind=ItemKind.EXAM,
                attempt=2,
                title="Емтиханды қайта тапсыру 1",
                position=len(items) + 1,
                entry_until=spring.ends_on,
            )
            self.post(retake, fx_student, 68, teacher)
        # demo-student appeals last spring's exam in the first discipline: the office gets the notice.
        demo_student = next(s for s in students if s.username == "demo-student")
        grades_services.appeal_file(
            item=past[0][1][-1],
            student=demo_student,
            grounds="2-сұрақ: гармониялық талдау толық берілген, бірақ бағаланбаған.",
        )
        again = next((c for c in this_term if c.discipline_id == disciplines[0].pk), None)
        if again is not None:
            grades_services.restudy_enrol(course=again, student=f_student, enrolled_by=office)

    def post(self, item: GradeItem, student: User, mark: float, teacher: User) -> None:
        grades_services.grade_post(
            item=item,
            student=student,
            points=Decimal(str(round(min(100, max(0, mark))))),
            posted_by=teacher,
            source=GradeSource.JOURNAL,
            approved=True,
            reason="Демо: өткен семестр",
        )

    def add_materials(self, course: Course, author: User, pdf: bytes, wav: bytes) -> None:
        rng = self.rng
        sections = Section.objects.bulk_create(
            [Section(course=course, title=titles[0], position=n + 1) for n, titles in enumerate(data.SECTION_TITLES)]
        )
        sections = list(Section.objects.filter(course=course).order_by("position"))
        name = course.discipline.name_kk
        items = [
            (
                sections[0],
                MaterialKind.FILE,
                f"{name}: силлабус",
                {"file": ("syllabus.pdf", pdf, "application/pdf")},
                True,
            ),
            (sections[0], MaterialKind.PAGE, "Курсқа кіріспе", {"body": data.PAGE_TEXT.format(title=name)}, False),
            (
                sections[1],
                MaterialKind.FILE,
                "Тыңдауға арналған үлгі: до мажор гаммасы",
                {"file": ("scale-c-major.wav", wav, "audio/wav")},
                False,
            ),
            (sections[1], MaterialKind.VIDEO, "Бейнедәріс", {"url": rng.choice(data.VIDEO_URLS)}, False),
            (
                sections[2],
                MaterialKind.LINK,
                "Қазақстан Республикасының Ұлттық академиялық кітапханасы",
                {"url": "https://www.nlrk.kz/"},
                False,
            ),
        ]
        for position, (section, kind, title, payload, in_print) in enumerate(items, start=1):
            material = Material(
                course=course,
                section=section,
                kind=kind,
                title=title,
                created_by=author,
                is_published=True,
                available_in_print=in_print,
                position=position,
            )
            if "body" in payload:
                material.body = payload["body"]
                material.body_html = render_markdown(material.body)
            if "url" in payload:
                material.url = payload["url"]
            if "file" in payload:
                file_name, content, content_type = payload["file"]
                material.file_name, material.content_type, material.size = file_name, content_type, len(content)
                material.file.save(file_name, ContentFile(content), save=False)
            material.save()
        # A draft the teacher sees and the students do not.
        Material.objects.create(
            course=course,
            section=sections[2],
            kind=MaterialKind.PAGE,
            title="Келесі тапсырма",
            body="Дайындалуда.",
            body_html=render_markdown("Дайындалуда."),
            created_by=author,
            is_published=False,
            position=10,
        )
