"""A small university with one of everything, built through factories and services, for tests that try
every page as every kind of person (tests/test_permission_matrix.py).

Its people: the owner student (who owns the submission, the attempt, the appeal...), a classmate of the
same group and course, a student of another group (and another course), the course's teacher, the teacher
of another course, an applicant, the academic office, the ICT centre, the rector and a member of the
admission commission of the campaign."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from testkit import admission as kit
from testkit.factories import (
    CourseFactory,
    MaterialFactory,
    ProgrammeFactory,
    SectionFactory,
    StudyGroupFactory,
    UserFactory,
    enrol,
)
from ustaz.accounts.iin import make_iin
from ustaz.accounts.models import Role, User

# The role of the admission commission's member. Kept in this one place: the role `commission_member` is
# being split into `admission_commission` and `appeal_commission`; switch it here when that lands.
ADMISSION_COMMISSION_ROLE = Role.ADMISSION_COMMISSION

# The persons every page is tried by, in the order reports list them.
PERSONS = (
    "anonymous",
    "owner",
    "classmate",
    "other_group",
    "teacher",
    "other_teacher",
    "applicant",
    "office",
    "ict",
    "rector",
    "commission",
)

PDF = b"%PDF-1.4\n% a private scan\n"
GIFT = "Домбыраның неше ішегі бар? {=Екі ~Үш ~Төрт}\n\nКүй туралы жазыңыз. {}\n"


@dataclass
class University:
    people: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _person(first_name: str, *roles: str, **extra) -> User:
    return UserFactory(roles=User.encode_roles(set(roles)), first_name=first_name, **extra)


def build() -> University:  # noqa: PLR0915 - one of everything, in the order things depend on each other
    from ustaz.academics.models import Enrolment
    from ustaz.admissions import contracts, exams, ranking
    from ustaz.admissions import services as admission_services
    from ustaz.admissions.models import Campaign, ExamFormat, ExamRecording, Offer
    from ustaz.assignments import services as assignment_services
    from ustaz.assignments.models import (
        Assignment,
        AssignmentFile,
        Kind,
        LatePolicy,
        Submission,
        SubmissionFile,
        Upload,
    )
    from ustaz.contracts import services as contract_services
    from ustaz.core.models import AuditAction
    from ustaz.core.services import audit_record
    from ustaz.discussions import forums
    from ustaz.discussions import services as discussion_services
    from ustaz.discussions.models import Attachment
    from ustaz.grades import services as grade_services
    from ustaz.grades.models import GradeSource
    from ustaz.live import services as live_services
    from ustaz.live.models import Format, Provider, Recording
    from ustaz.materials.models import MaterialKind
    from ustaz.notifications import kinds as notice_kinds
    from ustaz.notifications import services as notification_services
    from ustaz.quizzes import services as quiz_services
    from ustaz.quizzes.models import Bank, Category, QuestionType, ReviewPolicy, Test
    from ustaz.quizzes.models import Section as TestSection

    uni = University()
    now = timezone.now()
    o = uni.objects

    # --- People and the academic structure --------------------------------------------------------------
    programme = ProgrammeFactory()
    group = StudyGroupFactory(programme=programme)
    other_group = StudyGroupFactory(programme=programme)
    course = CourseFactory()
    other_course = CourseFactory()
    course.groups.add(group)
    other_course.groups.add(other_group)

    owner = _person("Owner", Role.STUDENT)
    classmate = _person("Classmate", Role.STUDENT)
    other_student = _person("OtherGroup", Role.STUDENT)
    enrol(owner, course, group)
    enrol(classmate, course, group)
    enrol(other_student, other_course, other_group)
    teacher = _person("Teacher", Role.TEACHER)
    other_teacher = _person("OtherTeacher", Role.TEACHER)
    course.teachers.add(teacher)
    other_course.teachers.add(other_teacher)
    # The course's teacher advises the owner's group (the student's file, issue 22); the other teacher does not.
    group.advisor = teacher
    group.save(update_fields=["advisor"])
    applicant = _person("Applicant", Role.APPLICANT, iin="")
    office = _person("Office", Role.ACADEMIC_OFFICE)
    ict = _person("Ict", Role.ICT_SUPPORT)
    rector = _person("Rector", Role.RECTOR)
    commission = _person("Commission", ADMISSION_COMMISSION_ROLE)
    uni.people = {
        "anonymous": None,
        "owner": owner,
        "classmate": classmate,
        "other_group": other_student,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "applicant": applicant,
        "office": office,
        "ict": ict,
        "rector": rector,
        "commission": commission,
    }
    o.update(programme=programme, group=group, other_group=other_group, course=course, other_course=other_course)

    # --- Materials: published, draft, and a published file stored privately ----------------------------
    section = SectionFactory(course=course)
    o["section"] = section
    o["material"] = MaterialFactory(section=section, title="Published page")
    o["draft_material"] = MaterialFactory(section=section, title="Draft page", is_published=False)
    private = MaterialFactory(section=section, title="Score", kind=MaterialKind.FILE, body="", body_html="")
    private.file.save("score.pdf", ContentFile(PDF), save=False)
    private.file_name, private.content_type, private.size = "score.pdf", "application/pdf", len(PDF)
    private.save()
    o["file_material"] = private

    # --- Grades: the default journal, a current mark and an exam grade appealed ------------------------
    items = grade_services.default_items_create(course=course)
    o["grade_item"] = items[0]
    exam_item = items[-1]
    o["exam_item"] = exam_item
    grade_services.grade_post(
        item=items[0], student=owner, points=Decimal(80), posted_by=teacher, source=GradeSource.JOURNAL
    )
    grade_services.grade_post(
        item=exam_item, student=owner, points=Decimal(48), posted_by=teacher, source=GradeSource.JOURNAL
    )
    # The appeal commission of the owner's programme and the course's term (decision 0019): its member, not one
    # of PERSONS, rejects the appeal of another student of the group (not one of PERSONS either), so that its
    # protocol exists; the owner's waits.
    from ustaz.grades.models import AppealCommission

    appeal_member = _person("Appeals", Role.APPEAL_COMMISSION)
    o["appeal_commission"] = AppealCommission.objects.create(
        programme=group.programme, term=course.term, chair=appeal_member
    )
    o["appeal_commission"].members.add(appeal_member)
    o["appeal"] = grade_services.appeal_file(item=exam_item, student=owner, grounds="Question 3 was marked wrong.")
    appellant = _person("Appellant", Role.STUDENT)
    enrol(appellant, course, group)
    grade_services.grade_post(
        item=exam_item, student=appellant, points=Decimal(50), posted_by=teacher, source=GradeSource.JOURNAL
    )
    o["decided_appeal"] = grade_services.appeal_decide(
        appeal=grade_services.appeal_file(item=exam_item, student=appellant, grounds="Question 2."),
        decided_by=appeal_member,
        granted=False,
        decision="The grade stands.",
    )

    # --- An assignment with an instructions file, the owner's submission with a file and a comment -----
    assignment = assignment_services.assignment_save(
        assignment=Assignment(
            course=course,
            title="Этюд",
            instructions="Орындаңыз.",
            kind=Kind.MIXED,
            accepts=["pdf", "document"],
            opens_at=now - datetime.timedelta(days=1),
            due_at=now + datetime.timedelta(days=7),
            late_policy=LatePolicy.ACCEPT,
        ),
        by=teacher,
        criteria=None,
    )
    o["assignment"] = assignment
    instructions = AssignmentFile(assignment=assignment, name="task.pdf", content_type="application/pdf", size=len(PDF))
    instructions.file.save("task.pdf", ContentFile(PDF), save=False)
    instructions.save()
    o["assignment_file"] = instructions
    submission = Submission.objects.create(assignment=assignment, student=owner, version=1, text="Дайын.")
    o["submission"] = submission
    submitted = SubmissionFile(
        submission=submission, name="work.pdf", size=len(PDF), category="pdf", content_type="application/pdf"
    )
    submitted.file.save("work.pdf", ContentFile(PDF), save=False)
    submitted.save()
    o["submission_file"] = submitted
    # In the other course: its own assignment, handed in by the student of the other group.
    other_assignment = assignment_services.assignment_save(
        assignment=Assignment(
            course=other_course,
            title="Эссе",
            instructions="Жазыңыз.",
            kind=Kind.MIXED,
            accepts=["pdf"],
            allows_text=True,
            opens_at=now - datetime.timedelta(days=1),
            due_at=now + datetime.timedelta(days=7),
            late_policy=LatePolicy.ACCEPT,
        ),
        by=other_teacher,
    )
    o["other_submission"] = Submission.objects.create(
        assignment=other_assignment, student=other_student, version=1, text="Дайын."
    )
    # A resumable upload the owner has begun (tus: HEAD/PATCH on it).
    o["upload"] = Upload.objects.create(assignment=assignment, user=owner, filename="next.pdf", length=len(PDF) * 2)
    o["comment"] = assignment_services.comment_add(file=submitted, author=teacher, text="Жақсы.", page=1)

    # --- A test with an essay: the owner's attempt, submitted ------------------------------------------
    bank = Bank.objects.create(discipline=course.discipline, name="Аспаптану", created_by=teacher)
    quiz_services.bank_import(bank=bank, category="Домбыра", raw=GIFT.encode(), fmt="gift", by=teacher)
    o["bank"] = bank
    from ustaz.quizzes.models import BankImport, ImportStatus

    o["bank_import"] = BankImport.objects.create(
        bank=bank, created_by=teacher, filename="bank.gift", fmt="gift", category="Домбыра", status=ImportStatus.DONE
    )
    o["question"] = bank.questions.order_by("pk").first()
    test = Test.objects.create(
        course=course,
        title="Аралық тест",
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=2),
        time_limit_minutes=30,
        attempts_allowed=2,
        review=ReviewPolicy.AFTER_SUBMIT,
        created_by=teacher,
    )
    TestSection.objects.create(test=test, category=Category.objects.get(bank=bank), count=2)
    o["test"] = test
    attempt = quiz_services.attempt_start(test=test, student=owner)
    o["attempt"] = quiz_services.attempt_finish(attempt=attempt)
    o["essay_position"] = attempt.answers.get(version__question__kind=QuestionType.ESSAY).position

    # --- Discussions: a forum thread with a file, the course chat, a direct conversation with a file ---
    from ustaz.discussions import access as discussion_access

    forum = forums.course_forum(course)
    o["forum"] = forum
    thread = forums.thread_start(
        forum=discussion_access.get_forum_for(owner, forum.pk),
        author=owner,
        title="Гармония сұрақтары",
        body="Сұрақ бар",
        files=[SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")],
    )
    o["thread"] = thread
    o["post"] = thread.posts.order_by("pk").first()
    o["post_file"] = o["post"].files.first()
    o["room"] = discussion_services.course_room(course)
    direct = discussion_services.direct_room(owner, teacher)
    o["direct_room"] = direct
    attachment = Attachment(room=direct, uploaded_by=owner, name="q.pdf", content_type="application/pdf", size=len(PDF))
    attachment.file.save("q.pdf", ContentFile(PDF), save=False)
    attachment.save()
    o["attachment"] = attachment
    discussion_services.message_post(room=direct, author=owner, body="Сәлеметсіз бе!", attachment_ids=[attachment.pk])

    # --- A live class with a recording; the owner's calendar feed --------------------------------------
    live_class = live_services.class_schedule(
        course=course,
        by=teacher,
        title="Сольфеджио",
        starts_at=now + datetime.timedelta(minutes=5),
        duration_minutes=80,
        format=Format.ONLINE,
        provider=Provider.LINK,
        link="https://meet.example.com/abc",
    )[0]
    o["live_class"] = live_class
    Recording.objects.create(live_class=live_class, title="Жазба", url="https://video.example.com/1")
    o["feed_token"] = live_services.feed_token(owner)

    # --- Notices -------------------------------------------------------------------------------------
    o["notice"] = notification_services.notify(
        users=[owner], kind=notice_kinds.all_kinds()[0].key, title="Жаңа баға", url="/"
    )[0]

    # --- Admission: a campaign with its commission, the applicant's submitted and draft applications ---
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Қабылдау", opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=5)
    )
    campaign.commission.add(commission)
    o["campaign"] = campaign
    offer = Offer.objects.create(
        campaign=campaign, programme=programme, places=5, fee_per_year=Decimal("1200000"), years=4
    )
    other_offer = Offer.objects.create(
        campaign=campaign, programme=ProgrammeFactory(), places=5, fee_per_year=Decimal("1000000"), years=4
    )
    o["offer"], o["other_offer"] = offer, other_offer
    submitted_application = admission_services.application_draft(
        applicant=applicant,
        offer=offer,
        basis="higher_blended",
        justification="Алыста тұрамын.",
        country="KZ",
        iin=make_iin(datetime.date(2007, 3, 4), female=True, serial=7),
    )
    from ustaz.admissions import documents

    for kind in documents.required("higher_blended"):
        admission_services.document_add(
            application=submitted_application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF),
            by=applicant,
        )
    admission_services.application_submit(application=submitted_application, by=applicant)
    o["application"] = submitted_application
    o["document"] = submitted_application.documents.order_by("pk").first()
    draft = admission_services.application_draft(
        applicant=applicant, offer=other_offer, basis="higher_blended", justification="Жұмыс істеймін.", country="KZ"
    )
    admission_services.document_add(
        application=draft, kind="identity", upload=SimpleUploadedFile("id.pdf", PDF), by=applicant
    )
    o["draft_application"] = draft
    o["draft_document"] = draft.documents.get()

    # Another applicant, checked, examined, admitted by the rector's order, with a contract and a payment;
    # a third one checked, with a recorded performance for the recording exam.
    exam = kit.exam(offer)
    o["exam"] = exam
    admitted = kit.checked_application(offer, by=office)
    kit.score(exam, admitted, commission, 40, 45)
    exams.results_publish(exam=exam, by=office)
    decision = ranking.decision_record(
        offer=offer, order_number="12-Қ", order_date=today, admitted=[admitted.pk], by=office
    )
    o["decision"] = decision
    admitted.refresh_from_db()
    o["admitted_application"] = admitted
    contract = contracts.contract_create(application=admitted, printed_materials=False, by=office)
    contract_services.payment_record(
        contract=contract, amount=Decimal("100000"), paid_on=today, reference="PP-1", by=office
    )
    o["contract"] = contract
    # The owner's contract, made by the office (not through admission), with an addendum adding a year at a new
    # fee; the classmate pays but has no contract yet (the office's "without a contract" list).
    owner_contract = contract_services.contract_for_record(
        record=owner.student_record, first_year=today.year - 1, years=1, fee=Decimal("900000"), by=office
    )
    o["owner_contract"] = owner_contract
    o["addendum_year"] = contract_services.addendum_record(
        contract=owner_contract,
        academic_year=today.year,
        fee=Decimal("950000"),
        number="1",
        signed_on=today,
        by=office,
    )
    o["classmate_record"] = classmate.student_record
    recording_exam = kit.exam(other_offer, "Жазба бойынша емтихан", format=ExamFormat.RECORDING)
    o["recording_exam"] = recording_exam
    examinee = kit.checked_application(other_offer, by=office)
    o["examinee_application"] = examinee
    recording = ExamRecording(
        application=examinee, exam=recording_exam, name="play.pdf", content_type="application/pdf", size=len(PDF)
    )
    recording.file.save("play.pdf", ContentFile(PDF), save=False)
    recording.save()
    o["recording"] = recording

    # --- The programme's curriculum: a version in force, and the next one drafted --------------------------
    from ustaz.curricula import services as curricula
    from ustaz.curricula.models import Component, Control, Curriculum, CurriculumStatus, Cycle, LineKind

    in_force = curricula.curriculum_create(
        programme=programme, admission_year=group.admission_year, terms=8, actor=office
    )
    curricula.line_save(
        curriculum=in_force,
        data=curricula.LineData(
            kind=LineKind.DISCIPLINE,
            term=1,
            credits=5,
            cycle=Cycle.GENERAL,
            discipline=course.discipline,
            component=Component.COMPULSORY,
            control=Control.EXAM,
        ),
    )
    curricula.group_save(
        curriculum=in_force,
        data=curricula.GroupData(code="EL-1", term=1, cycle=Cycle.GENERAL, credits_to_choose=5, name_kk="Таңдау"),
    )
    # Approved as it stands (one line is far from the credit rules, which the curricula's own tests try).
    Curriculum.objects.filter(pk=in_force.pk).update(status=CurriculumStatus.APPROVED)
    in_force.refresh_from_db()
    o["curriculum"] = in_force
    o["curriculum_draft"] = draft = curricula.curriculum_new_version(curriculum=in_force, actor=office)
    o["curriculum_draft_line"] = draft.lines.first()
    o["curriculum_draft_group"] = draft.elective_groups.first()

    # --- Final attestation: the programme's commission for the year its groups graduate, with an external
    # chair and the course's teacher as a member (the curriculum in force has eight terms: the fourth year) ---
    from ustaz.attestation import services as attestation
    from ustaz.attestation.models import MemberRole

    graduating_year = group.admission_year + 3
    commission_of_year = attestation.commission_create(programme=programme, academic_year=graduating_year, actor=office)
    chair = _person("Chair", Role.ATTESTATION_COMMISSION, citizenship="RU")
    attestation.member_add(
        commission=commission_of_year, person=chair, role=MemberRole.CHAIR, is_external=True, actor=office
    )
    o["attestation_member"] = attestation.member_add(
        commission=commission_of_year, person=teacher, role=MemberRole.MEMBER, is_external=False, actor=office
    )
    o["attestation_commission"] = commission_of_year

    # --- An accounts import the office ran in the background, done ---------------------------------------
    from ustaz.core.models import ImportJob, ImportJobStatus

    o["import_job"] = ImportJob.objects.create(
        kind="accounts",
        runner="ustaz.accounts.services.accounts_import_job_run",
        filename="people.csv",
        created_by=office,
        total=600,
        checked=600,
        applied=600,
        status=ImportJobStatus.DONE,
        result={"count": 600},
    )

    # --- The DLT basis: the owner's record with its document, a quarantine of the group -----------------
    from ustaz.academics import services as academics_services
    from ustaz.academics.models import StudentRecord

    o["student_record"] = owner_record = StudentRecord.objects.get(student=owner)
    academics_services.basis_document_save(
        record=owner_record,
        upload=SimpleUploadedFile("certificate.pdf", PDF),
        expires_on=timezone.localdate() + datetime.timedelta(days=60),
        by=office,
    )
    o["restrictive_measure"] = academics_services.restrictive_measure_create(
        reason="Карантин",
        order_number="12-Н",
        order_date=timezone.localdate(),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=14),
        groups=[group],
        by=office,
    )

    # --- Orders on students: the owner's enrolment recorded as an order; a draft about the classmate ----
    from ustaz.records import services as records_services
    from ustaz.records.models import OrderKind

    o["status_order"] = records_services.enrolment_record(record=owner_record, by=office, number="1-К")
    o["status_order_draft"] = records_services.order_draft(
        data=records_services.OrderData(
            kind=OrderKind.GRADUATION,
            order_date=timezone.localdate(),
            effective_on=timezone.localdate(),
            signed_by="Ректор",
            items=[records_services.ItemData(record=StudentRecord.objects.get(student=classmate))],
        ),
        by=office,
    )

    # --- Study plans: this year's elective window open, the owner's plan submitted to the adviser -----------
    from ustaz.plans import services as plans_services

    this_year = course.term.academic_year
    o["elective_window"] = plans_services.window_save(
        academic_year=this_year,
        opens_on=timezone.localdate() - datetime.timedelta(days=1),
        closes_on=timezone.localdate() + datetime.timedelta(days=10),
        by=office,
    )
    o["study_plan"] = plans_services.plan_save(student=owner, academic_year=this_year, chosen_ids=[], submit=True)
    o["term"] = course.term

    # --- The audit log has something in it ------------------------------------------------------------
    audit_record(action=AuditAction.values[0], actor=office, target=owner)
    assert Enrolment.objects.filter(course=course, student=owner).exists()
    return uni
