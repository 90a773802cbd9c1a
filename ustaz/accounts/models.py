from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .iin import validate_iin


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")
    ACADEMIC_OFFICE = "academic_office", _("Academic office")
    ICT_SUPPORT = "ict_support", _("ICT support")
    APPLICANT = "applicant", _("Applicant")
    # Two commissions, two roles: the admission commission reads the applications of its campaigns, the
    # appeal commission decides students' grade appeals; neither sees the other's work.
    ADMISSION_COMMISSION = "admission_commission", _("Admission commission member")
    APPEAL_COMMISSION = "appeal_commission", _("Appeal commission member")
    # A member of a final attestation commission (often from outside the University): the role opens only
    # the pages of the commissions they sit on (ustaz.attestation.access), nothing else.
    ATTESTATION_COMMISSION = "attestation_commission", _("Attestation commission member")
    RECTOR = "rector", _("Rector")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.ACADEMIC_OFFICE, Role.ICT_SUPPORT, Role.RECTOR, Role.ADMIN})


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class User(AbstractUser):
    """A person who logs in. Roles are kept as a delimited string (",student,teacher,") so that the
    request's user row carries them with no further query; who granted what and when is in the audit log."""

    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    iin = models.CharField(
        _("IIN"),
        max_length=12,
        blank=True,
        validators=[validate_iin],
        help_text=_("12 digits. Optional for foreign citizens."),
    )
    citizenship = models.CharField(_("citizenship"), max_length=2, default="KZ", help_text=_("ISO country code"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Almaty")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="kk")
    roles = models.CharField(_("roles"), max_length=200, default="", blank=True, editable=False)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    issued_password_expires = models.DateTimeField(_("one-time password expires"), null=True, blank=True)
    # Kept by ustaz.notifications.services on the row every request loads, so the badge costs no query.
    unread_notices = models.PositiveIntegerField(_("unread notices"), default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(fields=["iin"], condition=~models.Q(iin=""), name="user_iin_unique"),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip() or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.role_set.intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        return bool(self.role_set & STAFF_ROLES)

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.role_set]

    @staticmethod
    def encode_roles(roles: set[str]) -> str:
        ordered = [r for r in Role.values if r in roles]
        return f",{','.join(ordered)}," if ordered else ""

    @classmethod
    def role_filter(cls, role: str) -> models.Q:
        return models.Q(roles__contains=f",{role},")
