from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ustaz.core.i18n import TranslatedNameModel


class Faculty(TranslatedNameModel):
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("faculty")
        verbose_name_plural = _("faculties")
        ordering = ["code"]


class Department(TranslatedNameModel):
    faculty = models.ForeignKey(
        Faculty, verbose_name=_("faculty"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]


class Level(models.TextChoices):
    VOCATIONAL = "vocational", _("Technical and vocational")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


class InstructionLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class Programme(TranslatedNameModel):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("For example 6B02101."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BACHELOR)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="programmes"
    )
    instruction_languages = models.CharField(
        _("languages of instruction"),
        max_length=20,
        default="kk,ru",
        help_text=_("Comma-separated: kk, ru, en."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Discipline(TranslatedNameModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    credits = models.PositiveSmallIntegerField(_("credits"), default=5)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="disciplines"
    )

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AcademicYear(models.Model):
    name = models.CharField(_("name"), max_length=9, unique=True, help_text=_("For example 2026-2027."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class TermKind(models.TextChoices):
    AUTUMN = "autumn", _("Autumn term")
    SPRING = "spring", _("Spring term")
    SUMMER = "summer", _("Summer term")


class Term(models.Model):
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="terms"
    )
    kind = models.CharField(_("term"), max_length=10, choices=TermKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-starts_on"]
        constraints = [models.UniqueConstraint(fields=["academic_year", "kind"], name="term_unique_kind")]

    def __str__(self) -> str:
        return f"{self.academic_year.name}, {self.get_kind_display()}"


class StudyGroup(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="groups"
    )
    admission_year = models.PositiveSmallIntegerField(_("year of admission"))
    language = models.CharField(
        _("language of instruction"),
        max_length=2,
        choices=InstructionLanguage.choices,
        default=InstructionLanguage.KAZAKH,
    )
    # The group's adviser (эдвайзер): a teacher who approves its students' individual study plans and
    # reads their files.
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advised_groups",
    )

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.TextChoices):
    """The three technologies of §2.2."""

    NETWORK = "network", _("Network")
    CASE = "case", _("Case")
    BLENDED = "blended", _("Blended")


class DltBasis(models.TextChoices):
    """The eleven categories of §1.5 for which distance learning technologies are used."""

    SHORTENED = "shortened", _("Shortened programme on the basis of TVE, post-secondary or higher education")
    SPECIAL_NEEDS = "special_needs", _("Special educational needs or disability")
    TEMPORARY_HEALTH = "temporary_health", _("Temporary health limitation")
    EXCHANGE = "exchange", _("Exchange programme abroad")
    HIGHER_BLENDED = "higher_blended", _("Higher or postgraduate study, including blended")
    BUSINESS_TRIP = "business_trip", _("Long business trip abroad (over 2 months)")
    ACADEMIC_MOBILITY = "academic_mobility", _("Academic mobility programme")
    FOREIGN_FAMILY = "foreign_family", _("Foreign citizen, for family reasons")
    MILITARY_SERVICE = "military_service", _("Compulsory military service")
    WORKING_ADULT = "working_adult", _("Working adult in technical and vocational education")
    RESTRICTIONS = "restrictions", _("Restrictive measures (quarantine, emergencies)")


class Funding(models.TextChoices):
    PAID_CONTRACT = "paid_contract", _("Paid contract (§3.4)")
    OTHER = "other", _("Other")


class StudentStatus(models.TextChoices):
    ACTIVE = "active", _("Studying")
    ACADEMIC_LEAVE = "leave", _("Academic leave")
    GRADUATED = "graduated", _("Graduated")
    EXPELLED = "expelled", _("Expelled")


class StudentRecord(models.Model):
    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.PROTECT, related_name="student_record"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="student_records"
    )
    group = models.ForeignKey(
        StudyGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="student_records"
    )
    year_of_study = models.PositiveSmallIntegerField(_("year of study"), default=1)
    delivery = models.CharField(
        _("delivery technology"), max_length=10, choices=Delivery.choices, default=Delivery.NETWORK
    )
    dlt_basis = models.CharField(_("DLT basis"), max_length=30, choices=DltBasis.choices)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, default=Funding.PAID_CONTRACT)
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    country_of_residence = models.CharField(_("country of residence"), max_length=2, default="KZ")
    status = models.CharField(_("status"), max_length=10, choices=StudentStatus.choices, default=StudentStatus.ACTIVE)
    bolashak_scholar = models.BooleanField(
        _("holder of the Bolashak scholarship"),
        default=False,
        help_text=_("A Bolashak scholar abroad does not study on the exchange programme basis (§1.5)."),
    )

    class Meta:
        verbose_name = _("student record")
        verbose_name_plural = _("student records")

    def __str__(self) -> str:
        return f"{self.student} ({self.group})"


class Course(models.Model):
    """A discipline taught in one term to some groups by some teachers."""

    # The viewer's relation to the course, set by academics.access (not stored).
    is_teacher: bool = False
    is_enrolled: bool = False

    discipline = models.ForeignKey(
        Discipline, verbose_name=_("discipline"), on_delete=models.PROTECT, related_name="courses"
    )
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="courses")
    title_kk = models.CharField(
        _("title (Kazakh)"), max_length=255, blank=True, help_text=_("Leave empty to use the discipline's name.")
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), blank=True, related_name="courses_taught"
    )
    groups = models.ManyToManyField(StudyGroup, verbose_name=_("groups"), blank=True, related_name="courses")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Bumped whenever what students see of the course changes: it keys the cached course page content.
    content_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["discipline__code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        own = getattr(self, f"title_{(get_language() or 'kk')[:2]}", "")
        return own or self.title_kk or self.title_ru or self.title_en or self.discipline.name


class Enrolment(models.Model):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "student"], name="enrolment_unique")]
        indexes = [models.Index(fields=["student", "course"])]

    def __str__(self) -> str:
        return f"{self.student} → {self.course}"


def basis_document_upload_to(instance: StudentRecord, filename: str) -> str:
    from ustaz.core.files import generated_name

    return f"academics/bases/{instance.pk}/{generated_name(filename)}"


class BasisDocument(models.Model):
    """The supporting document of a student's DLT basis (rules.md, "Admission documents by DLT basis"),
    with its expiry: the office is told before it expires, once per document."""

    record = models.OneToOneField(
        StudentRecord, verbose_name=_("student record"), on_delete=models.CASCADE, related_name="basis_document"
    )
    file = models.FileField(upload_to=basis_document_upload_to, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the office has been told of the coming expiry; a new document or date clears it.
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("document of the DLT basis")
        verbose_name_plural = _("documents of the DLT basis")

    def __str__(self) -> str:
        return self.name


class RestrictiveMeasure(models.Model):
    """Restrictive measures (§1.5: quarantine, emergencies) switched on by the office for a period and for
    some groups, programmes or faculties. While in force the students covered study on the "restrictive
    measures" basis; their own basis stays on their record and is theirs again when the period ends."""

    reason = models.CharField(_("reason"), max_length=300)
    order_number = models.CharField(_("order number"), max_length=40)
    order_date = models.DateField(_("order date"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), help_text=_("The last day the measures are in force."))
    groups = models.ManyToManyField(StudyGroup, verbose_name=_("groups"), blank=True, related_name="+")
    programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), blank=True, related_name="+")
    faculties = models.ManyToManyField(Faculty, verbose_name=_("faculties"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The last day first ordered, kept when the office ends the measures early (then ends_on is earlier:
    # the eve of starts_on for measures ended before they began, in force on no day).
    planned_ends_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended early by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("restrictive measure")
        verbose_name_plural = _("restrictive measures")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_number} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on
