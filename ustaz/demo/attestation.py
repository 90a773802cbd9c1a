"""Final attestation in the demo (issue 15, items 1-2): the first programme's fourth-year group graduates this
academic year before its attestation commission. Its chair, from outside the University, logs in as
`demo-chair` (the demo password); demo-teacher sits on it as a member, another teacher keeps its protocol as
its secretary; the order approving the composition is dated two months before the first sitting in June. Three
graduating students have their form: two theses with topics, supervisors and reviewers, one creative exam. The
second programme's commission has no order yet: the office's list warns about it.

Made once: a second run finds the commission and does nothing."""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from ustaz.academics.models import Programme
from ustaz.accounts.models import Role, User
from ustaz.attestation import selectors as attestation_selectors
from ustaz.attestation import services as attestation
from ustaz.attestation.models import Commission, MemberRole
from ustaz.curricula.models import AttestationForm

TOPICS = [
    "Құрманғазы күйлерінің домбырада орындалу ерекшеліктері",
    "Қазіргі қазақ композиторларының қобызға арналған шығармалары",
]


def _chair() -> User:
    from ustaz.demo.management.commands.load_demo import DEMO_PASSWORD

    chair, _created = User.objects.get_or_create(
        username="demo-chair",
        defaults={
            "last_name": "Жұбанова",
            "first_name": "Ғазиза",
            "patronymic": "Ахметқызы",
            "citizenship": "KZ",
            "email": "demo-chair@example.kz",
            "language": "kk",
            "roles": User.encode_roles({Role.ATTESTATION_COMMISSION}),
            "password": make_password(DEMO_PASSWORD),
            "must_change_password": False,
        },
    )
    return chair


def load_attestation() -> None:
    today = timezone.localdate()
    start = today.year if today.month >= 8 else today.year - 1
    programmes = list(Programme.objects.filter(groups__admission_year=start - 3).distinct().order_by("code")[:2])
    if not programmes or Commission.objects.filter(programme=programmes[0], academic_year=start).exists():
        return
    office = User.objects.get(username="demo-office")
    programme = programmes[0]
    commission = attestation.commission_create(programme=programme, academic_year=start, actor=office)
    first_sitting = datetime.date(start + 1, 6, 1)
    attestation.commission_update(
        commission=commission,
        first_sitting_on=first_sitting,
        order_number="214-Ж",
        order_date=first_sitting - datetime.timedelta(days=61),
        actor=office,
    )
    attestation.member_add(
        commission=commission,
        person=_chair(),
        role=MemberRole.CHAIR,
        is_external=True,
        position="Өнертану докторы, Құрманғазы атындағы ұлттық консерватория",
        actor=office,
    )
    demo_teacher = User.objects.get(username="demo-teacher")
    teachers = [demo_teacher] + list(
        User.objects.filter(User.role_filter(Role.TEACHER)).exclude(pk=demo_teacher.pk).order_by("pk")[:4]
    )
    for person in teachers[:4]:
        attestation.member_add(
            commission=commission, person=person, role=MemberRole.MEMBER, is_external=False, actor=office
        )
    attestation.member_add(
        commission=commission, person=teachers[4], role=MemberRole.SECRETARY, is_external=False, actor=office
    )
    graduating = attestation_selectors.graduating_records(commission)[:3]
    forms = [AttestationForm.THESIS, AttestationForm.THESIS, AttestationForm.CREATIVE_EXAM]
    allowed = attestation.programme_forms(programme.pk)
    for n, (record, form) in enumerate(zip(graduating, forms, strict=False)):
        if form not in allowed:
            continue
        attestation.attestation_save(
            commission=commission,
            student=record.student,
            data=attestation.AttestationData(
                form=form,
                topic=TOPICS[n] if form == AttestationForm.THESIS else "",
                supervisor=teachers[1 + n % 3],
                reviewer_name="Ерланұлы Б., Қазақ ұлттық өнер университеті" if form == AttestationForm.THESIS else "",
            ),
            actor=office,
        )
    if len(programmes) > 1:
        attestation.commission_create(programme=programmes[1], academic_year=start, actor=office)
