import datetime

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.timezone import localdate

from ustaz.academics import selectors as academics_selectors
from ustaz.academics.bases import basis_refusal
from ustaz.academics.models import BasisDocument, Course, Delivery, DltBasis, RestrictiveMeasure, StudentRecord
from ustaz.accounts.models import User
from ustaz.core.models import AuditAction, AuditEvent
from ustaz.demo.management.commands.load_demo import DEMO_LOGINS, DEMO_PASSWORD
from ustaz.grades import selectors
from ustaz.grades.models import Grade, GradeItem, GradingScheme
from ustaz.materials.models import Material


def test_the_demo_university_loads_once_and_every_demo_login_works(db):
    from ustaz.curricula.models import Curriculum, CurriculumLine

    call_command("load_demo")
    counts = (User.objects.count(), Course.objects.count(), Material.objects.count(), Grade.objects.count())
    counts += (Curriculum.objects.count(), CurriculumLine.objects.count())
    counts += (RestrictiveMeasure.objects.count(), BasisDocument.objects.count())
    call_command("load_demo")  # a second run changes nothing
    again = (User.objects.count(), Course.objects.count(), Material.objects.count(), Grade.objects.count())
    again += (Curriculum.objects.count(), CurriculumLine.objects.count())
    assert again + (RestrictiveMeasure.objects.count(), BasisDocument.objects.count()) == counts

    # §1.5: every demo basis fits its programme's level; demo-student's group had a quarantine last spring,
    # ended now; a student with a disability has a certificate expiring within the notice window.
    for basis, level in StudentRecord.objects.values_list("dlt_basis", "programme__level").distinct():
        assert basis_refusal(basis, level) is None, (basis, level)
    record = StudentRecord.objects.get(student__username="demo-student")
    [quarantine] = academics_selectors.measures_covering(record)
    today = localdate()
    assert quarantine.order_number and quarantine.ends_on < today and quarantine.starts_on.month == 3
    assert academics_selectors.effective_basis(record, quarantine.starts_on) == DltBasis.RESTRICTIONS
    assert academics_selectors.effective_basis(record) == record.dlt_basis
    [certificate] = BasisDocument.objects.select_related("record")
    assert certificate.record.dlt_basis == DltBasis.SPECIAL_NEEDS
    assert today < certificate.expires_on <= today + datetime.timedelta(days=settings.DLT_DOCUMENT_NOTICE_DAYS)

    assert StudentRecord.objects.count() == 600
    assert User.objects.filter(User.role_filter("teacher")).count() == 30
    assert set(StudentRecord.objects.values_list("delivery", flat=True)) == set(Delivery.values)
    assert StudentRecord.objects.exclude(country_of_residence="KZ").exists()
    assert User.objects.exclude(time_zone="Asia/Almaty").exists()

    student = User.objects.get(username="demo-student")
    courses = Course.objects.filter(enrolments__student=student)
    assert courses.exists()
    assert all(c.teachers.filter(username="demo-teacher").exists() for c in courses)
    assert Material.objects.filter(course__in=courses, kind="file", content_type="application/pdf").exists()
    assert Material.objects.filter(course__in=courses, kind="file", content_type="audio/wav").exists()
    assert Grade.objects.filter(student=student).exists()
    # Last spring is graded to the end: a transcript with history, an exam retake, a discipline studied again.
    past, _now = selectors.transcript(student)
    assert past.gpa is not None and all(line.result.letter for line in past.lines)
    assert GradeItem.objects.filter(attempt=2, grades__isnull=False).exists()
    assert AuditEvent.objects.filter(action=AuditAction.RESTUDY_ENROLLED).count() == 1
    assert GradingScheme.objects.filter(programme=student.student_record.programme).exists()
    # A classmate's appeal of this term tells the programme's appeal commission (not the office), whose badge shows
    # it and whose chair, demo-appeals, may decide it (decision 0019).
    from ustaz.grades import access as grades_access
    from ustaz.grades.appeal_selectors import appeals_for
    from ustaz.grades.models import AppealCommission

    chair = User.objects.get(username="demo-appeals")
    assert chair.unread_notices >= 1
    waiting = appeals_for(chair).filter(status="pending").exclude(student=student)
    assert waiting.exists() and grades_access.can_decide_appeal(chair, waiting[0])
    assert AppealCommission.objects.filter(programme=student.student_record.programme).count() == 2
    assert Course.objects.filter(enrolments__student=student, grade_items__title__startswith="АБ1").exists()
    # Classes: held ones with attendance, one to join now, one in person, one cancelled.
    from django.utils import timezone

    from ustaz.live import access as live_access
    from ustaz.live import selectors as live_selectors
    from ustaz.live.models import Attendance, ClassStatus, Format

    now = timezone.now()
    mine = live_selectors.upcoming_for(student, now - datetime.timedelta(days=60), now + datetime.timedelta(days=60))
    assert Attendance.objects.filter(student=student).exists()
    assert any(live_access.join_state(c, now) == "open" for c in mine)
    assert any(c.format == Format.IN_PERSON for c in mine) and any(c.status == ClassStatus.CANCELLED for c in mine)
    # Chat: the course room has a conversation; the teacher wrote to demo-student directly.
    from ustaz.discussions import selectors as chat_selectors

    rooms = chat_selectors.rooms_for(student)
    assert any(r.kind == "course" and r.last_seq >= 5 for r in rooms)
    assert any(r.kind == "direct" and r.unread == 1 for r in rooms)
    from ustaz.discussions.models import Thread

    assert Thread.objects.filter(forum__course__enrolments__student=student, post_count__gte=3).exists()
    assert Thread.objects.filter(forum__course__isnull=True).exists()  # the University's announcements
    # Assignments: demo-student's recording reviewed (with a time-coded comment), two waiting for review.
    from ustaz.assignments import selectors as assignment_selectors
    from ustaz.assignments.models import Comment, Review

    assert Review.objects.filter(submission__student=student).exists()
    assert Comment.objects.filter(file__submission__student=student, start=2.0).exists()
    teacher = User.objects.get(username="demo-teacher")
    assert len(assignment_selectors.review_queue(teacher)) == 2
    # A test open now, with classmates' attempts graded (statistics to see).
    from ustaz.quizzes.models import Attempt, Test

    quiz = Test.objects.get(course__enrolments__student=student)
    assert Attempt.objects.filter(test=quiz, status="submitted").count() == 8
    assert not Attempt.objects.filter(test=quiz, student=student).exists()
    # Admission: a campaign open now; demo-applicant's draft misses two documents of their basis.
    from ustaz.admissions import services as admission_services
    from ustaz.admissions.models import Application

    application = Application.objects.get(applicant__username="demo-applicant")
    assert admission_services.missing_documents(application) == ["education_supplement", "business_trip"]
    # The commission's work: a queue, a sheet waiting for demo-commission, a list waiting for the rector.
    from ustaz.admissions import ranking as admission_ranking
    from ustaz.admissions.models import CreativeExam, ExamScore
    from ustaz.contracts import selectors as contract_selectors
    from ustaz.contracts.models import Contract

    member = User.objects.get(username="demo-commission")
    campaign = application.offer.campaign
    assert campaign.commission.filter(pk=member.pk).exists()
    assert Application.objects.filter(offer__campaign=campaign, status="submitted").count() == 4
    sheet = CreativeExam.objects.get(offer=application.offer, position=1)
    assert sheet.published_at is None and ExamScore.objects.filter(criterion__exam=sheet).exists()
    assert not ExamScore.objects.filter(criterion__exam=sheet, member=member).exists()
    ranked = CreativeExam.objects.exclude(offer=application.offer).get(offer__campaign=campaign)
    rows = admission_ranking.ranking(ranked.offer)
    assert len(rows) == 7 and sum(r.within for r in rows) <= 4 and not ranked.offer.decisions.exists()
    # Contracts of the students admitted in past years; demo-student owes the last installment.
    record = student.student_record
    contract = Contract.objects.get(student=student)
    assert record.contract_number == contract.number and contract.application.status == "enrolled"
    assert contract_selectors.balance(contract).debt > 0
    # A continuing student's contract made by the office: two years at different fees (an addendum), a
    # discount, payments and a refund; nothing owed.
    made = Contract.objects.get(application__isnull=True)
    years = list(made.study_years.all())
    assert len(years) == 2 and years[0].fee != years[1].fee and years[1].addendum_number
    assert years[1].discounts.exists() and made.refunds.exists() and made.payments.exists()
    assert contract_selectors.balance(made).debt == 0
    assert Contract.objects.count() == 17

    # Curricula: every programme and year of admission of its groups follows an approved one, whose credits are
    # right; a new version of one is being drafted; demo-office opens them, demo-student reads their own.
    from ustaz.academics.models import StudyGroup
    from ustaz.curricula import selectors as curricula_selectors
    from ustaz.curricula import services as curricula_services

    for group in StudyGroup.objects.all():
        in_force = curricula_selectors.curriculum_in_force(
            programme_id=group.programme_id, admission_year=group.admission_year
        )
        assert in_force is not None and curricula_services.curriculum_problems(in_force) == [], group
    assert Curriculum.objects.filter(status="draft").count() == 1
    assert curricula_selectors.curriculum_for_student(student).programme == record.programme
    office = Client()
    office.force_login(User.objects.get(username="demo-office"))
    assert office.get(f"/curricula/{Curriculum.objects.get(status='draft').pk}/").status_code == 200
    mine = Client()
    mine.force_login(student)
    listed = mine.get("/curricula/")
    assert {c.programme for c in listed.context["curricula"]} == {record.programme}

    # An installation loaded before curricula existed gets them on the next run, and only once (it had no
    # study plans either: they keep their curriculum).
    from ustaz.plans.models import StudyPlan

    StudyPlan.objects.all().delete()
    Curriculum.objects.all().delete()
    call_command("load_demo")
    assert (Curriculum.objects.count(), CurriculumLine.objects.count()) == counts[4:6]

    for login, role in DEMO_LOGINS.items():
        client = Client()
        response = client.post("/accounts/login/", {"login": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/").status_code == 200, login
        assert User.objects.get(username=login).has_role(role)


def test_the_demo_has_last_springs_plans_approved_and_this_years_window_open(db):
    from ustaz.academics.models import Enrolment
    from ustaz.plans import selectors as plans_selectors
    from ustaz.plans.models import ElectiveWindow, PlannedCourse, PlanStatus, StudyPlan

    call_command("load_demo")
    counts = (StudyPlan.objects.count(), ElectiveWindow.objects.count(), Enrolment.objects.count())
    call_command("load_demo")  # a second run adds no plan, window or enrolment
    assert (StudyPlan.objects.count(), ElectiveWindow.objects.count(), Enrolment.objects.count()) == counts

    record = StudentRecord.objects.select_related("group__advisor").get(student__username="demo-student")
    assert record.group.advisor.username == "demo-teacher"
    today = localdate()
    [window] = plans_selectors.open_windows_for(record)
    assert window.academic_year.starts_on > today  # the choice is for next academic year
    this_year = StudyPlan.objects.get(student=record.student, academic_year__starts_on__lte=today)
    assert this_year.status == PlanStatus.APPROVED and this_year.decided_at.month == 5
    assert not StudyPlan.objects.filter(student=record.student, academic_year=window.academic_year).exists()
    waiting = StudyPlan.objects.filter(academic_year=window.academic_year, status=PlanStatus.SUBMITTED)
    assert waiting.count() == 3 and all(p.student.student_record.group == record.group for p in waiting)
    # This year's courses hold demo-student as the approved plan says, and demo-teacher teaches them.
    made = PlannedCourse.objects.filter(term__academic_year=this_year.academic_year)
    assert made.exists()
    assert all(Enrolment.objects.filter(course=p.course, student=record.student).exists() for p in made)

    from django.utils import translation

    # Each reads the page in their own language.
    client = Client()
    assert client.login(username="demo-student", password=DEMO_PASSWORD)
    page = client.get("/plans/my/").content.decode()
    student = record.student
    with translation.override(student.language or "kk"):
        assert translation.gettext("Submit to my adviser") in page
    client = Client()
    assert client.login(username="demo-teacher", password=DEMO_PASSWORD)
    teacher = User.objects.get(username="demo-teacher")
    with translation.override(teacher.language or "kk"):
        submitted = translation.gettext("Submitted to the adviser")
    assert client.get("/plans/advising/").content.decode().count(submitted) == 3
