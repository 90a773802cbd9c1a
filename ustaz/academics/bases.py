"""The DLT bases of §1.5 and the levels of education each fits (rules.md, "Admission documents by DLT
basis"; docs/decisions/0012-dlt-basis.md). One rule, asked by every path that sets a student's basis: the
office's page and the admin, the students import, admission's application and enrolment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import DltBasis, Level

HIGHER = frozenset({Level.BACHELOR, Level.MASTER, Level.DOCTORATE})

# The levels a basis fits; a basis not listed fits every level.
LEVELS: dict[str, frozenset[str]] = {
    # Shortened programmes exist in technical and vocational education and in the bachelor's.
    DltBasis.SHORTENED: frozenset({Level.VOCATIONAL, Level.BACHELOR}),
    DltBasis.EXCHANGE: HIGHER,
    DltBasis.HIGHER_BLENDED: HIGHER,
    DltBasis.ACADEMIC_MOBILITY: HIGHER,
    DltBasis.FOREIGN_FAMILY: HIGHER,
    # "Students at the higher level": the bachelor's.
    DltBasis.BUSINESS_TRIP: frozenset({Level.BACHELOR}),
    DltBasis.MILITARY_SERVICE: frozenset({Level.BACHELOR}),
    DltBasis.WORKING_ADULT: frozenset({Level.VOCATIONAL}),
}


def basis_refusal(basis: str, level: str, *, bolashak_scholar: bool = False, own: bool = True) -> str | None:
    """Why the basis cannot be a student's at the level (a translated message naming both), or None.

    own: the basis is set as the student's own; "restrictive measures" is never one, the office switches it
    on for a period (RestrictiveMeasure)."""
    if basis not in DltBasis.values:
        return _("Unknown DLT basis “%(basis)s”.") % {"basis": basis}
    names = {"basis": DltBasis(basis).label, "level": Level(level).label if level in Level.values else level}
    if own and basis == DltBasis.RESTRICTIONS:
        return (
            _(
                "The basis “%(basis)s” is not given to a student: the academic office switches it on for a period "
                "with an order (restrictive measures)."
            )
            % names
        )
    if level not in LEVELS.get(basis, frozenset(Level.values)):
        return _("The basis “%(basis)s” does not apply at the level “%(level)s”.") % names
    if bolashak_scholar and basis == DltBasis.EXCHANGE:
        return _("A holder of the Bolashak scholarship does not study on the basis “%(basis)s” (§1.5).") % names
    return None


def check_basis(basis: str, level: str, *, bolashak_scholar: bool = False, field: str | None = None) -> None:
    """Raise ValidationError (on the field, if given) when the basis does not fit."""
    refusal = basis_refusal(basis, level, bolashak_scholar=bolashak_scholar)
    if refusal:
        raise ValidationError({field: refusal} if field else refusal)
